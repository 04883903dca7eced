/**
 * The labels compose (v1 and v2) puts on every container it creates: how berth tells an app's
 * containers, services and replicas apart. A leaf module, so that docker/, compose/, ports/ and the UI
 * can all name them without depending on one another.
 */
export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
/** The replica number of a service's container (1, 2, … with `--scale`). */
export const NUMBER_LABEL = 'com.docker.compose.container-number';
/** `True` on a `compose run` container: a one-off, not part of the stack. */
export const ONEOFF_LABEL = 'com.docker.compose.oneoff';
