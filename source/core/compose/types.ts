import type {ContainerSummary, PublishedPort} from '../docker/engine.ts';
import type {ComposeBinary} from './detect.ts';

/**
 * What berth needs to drive one app's compose stack. A `WorkspaceApp` (core/workspace/discover.ts) is
 * one, so the TUI can hand its rows straight to the client.
 */
export interface ComposeTarget {
	/** `<model>/app<N>` */
	id: string;
	/** The compose project name (`-p`), unique per app. */
	projectName: string;
	/** The app folder: compose's project directory (`--project-directory`) and the child's cwd. */
	path: string;
	/** The compose file (`-f`), or `null` when the app has none (then every action fails with `no-compose`). */
	composeFile: string | null;
	/** The allocated host ports by slot, checked by the pre-flight of `up`; `null` when none are allocated. */
	ports: Record<string, number> | null;
	/** berth's own override (`berth adopt`), passed last to every compose call; `null`/absent when not adopted. */
	berthOverride?: string | null;
	/** The engine (Docker context) the app is placed on; `null`/absent: placed nowhere yet, the current context. */
	engine?: string | null;
}

/** What the state query needs to know of an app. A `WorkspaceApp` is one. */
export interface StatusTarget {
	id: string;
	projectName: string;
	hasCompose: boolean;
	/** The engine (Docker context) the app is placed on; `null`/absent: the current context. */
	engine?: string | null;
}

/**
 * berth's one word for the state of an app's stack: `berth ps` (table and JSON), `ps --watch` and the TUI
 * all show this word, decided by `appStateOf()` (state.ts). docs/compose.md lists what each one means.
 */
export type AppStateName =
	| 'unknown'
	| 'no-compose'
	| 'not-created'
	| 'error'
	| 'crash-loop'
	| 'stopped'
	| 'paused'
	| 'partial'
	| 'unhealthy'
	| 'starting'
	| 'healthy'
	| 'running';

/**
 * berth's one word for the state of a service's container (decided by `serviceStateOf()`): the Engine's
 * state, with a running container's health in place of `running` when it has a health check, and
 * `error` for a container the Engine failed to start.
 */
export type ServiceStateName =
	| 'running'
	| 'healthy'
	| 'unhealthy'
	| 'starting'
	| 'paused'
	| 'restarting'
	| 'exited'
	| 'created'
	| 'removing'
	| 'dead'
	| 'error';

export type Health = 'healthy' | 'unhealthy' | 'starting';

/** One container of a compose service. */
export interface ServiceStatus {
	/** The compose service name (`com.docker.compose.service`). */
	service: string;
	/** The container name, e.g. `shop-app1_web_1` (v1) or `shop-app1-web-1` (v2). */
	container: string;
	containerId: string;
	/** The Engine's state: created, running, paused, restarting, removing, exited, dead. */
	state: string;
	/** berth's word for it (what `ps` and the TUI show): see `ServiceStateName`. */
	status: ServiceStateName;
	/** `null` when the service has no health check. */
	health: Health | null;
	/** The exit code of a container that is not running (`null` while it runs). */
	exitCode: number | null;
	/** Host ports published by the container. */
	ports: PublishedPort[];
	/** ISO time the container last started, `null` when it never did (or, listed only, when not known). */
	startedAt: string | null;
	/** How often the Engine restarted it (restart policy). */
	restartCount: number;
	/** The Engine's own message for a container that failed to start (e.g. a port bind error), else `null`. */
	error: string | null;
}

/**
 * A service row of the one-shot state of many apps (`queryStatus(apps, {detail: 'list'})`, `berth ps`):
 * taken from the Engine's container list alone, which has neither the exact start time nor the restart
 * count. `startedAt` and `restartCount` are `null` unless the container was inspected (only `created`
 * containers are: the list cannot tell one that failed to start from one not started yet).
 */
export interface ListedServiceStatus extends Omit<ServiceStatus, 'restartCount'> {
	restartCount: number | null;
	/** The Engine's status text, e.g. "Up 5 minutes (healthy)", "Exited (0) 2 hours ago": uptime in words. */
	statusText?: string;
}

/** The state of one app's stack. `S` is `ListedServiceStatus` for the one-shot state of many apps. */
export interface AppStatus<S extends ListedServiceStatus = ServiceStatus> {
	id: string;
	projectName: string;
	state: AppStateName;
	/** Sorted by service name, then container name. Empty for not-created and no-compose. */
	services: S[];
}

/** Counts of apps by state, for headers and summaries (decided by `fleetTotals()`). */
export interface FleetTotals {
	/** Apps with at least one running container (running, healthy, starting, unhealthy, partial). */
	running: number;
	/** Apps with a running container whose health check fails. */
	unhealthy: number;
	/** Apps in `error` or `crash-loop`. */
	error: number;
}

export interface EngineStatus {
	reachable: boolean;
	/** Why the engine is unreachable (ready to show), else `null`. */
	message: string | null;
}

/** The state of every asked-for app at one moment, from one label-filtered container query. */
export interface FleetStatus<S extends ListedServiceStatus = ServiceStatus> {
	/** ISO time of the query. */
	at: string;
	engine: EngineStatus;
	/** In the order the apps were given. When the engine is unreachable every app is `unknown`, without services. */
	apps: AppStatus<S>[];
	totals: FleetTotals;
}

/** One line of output of a compose action (pull/build/up/...), as the child wrote it, without the newline. */
export interface OutputLine {
	stream: 'stdout' | 'stderr';
	text: string;
}

export interface ActionOptions {
	/** Limit the action to these services (default: the whole stack). */
	services?: readonly string[];
	/** Receives each line of the child's output as it comes. The child never writes to the terminal. */
	onLine?: (line: OutputLine) => void;
	/** Seconds to wait for containers to stop before killing them (stop, restart, down). */
	timeoutSeconds?: number;
}

export interface UpOptions extends ActionOptions {
	/** Build images before starting (`up --build`). */
	build?: boolean;
	/** Skip the port pre-flight (default false). */
	skipPreflight?: boolean;
}

export interface DownOptions extends ActionOptions {
	/** Also remove named volumes (`down --volumes`). Default false: data is kept. */
	volumes?: boolean;
}

export type ActionName = 'up' | 'start' | 'stop' | 'restart' | 'down' | 'build';

export interface ActionResult {
	app: string;
	action: ActionName;
	/** The compose command line that ran. */
	command: string[];
	exitCode: number;
	durationMs: number;
	/** What berth did instead of the usual compose call, when it did (e.g. the compose file is gone). */
	note?: string;
	/** What the user should know although the action succeeded (e.g. bind mounts an app on a remote engine cannot see). */
	warnings?: string[];
}

/**
 * What a followed app did, as a marker line says it (once): its containers exited, were removed, run
 * again; the Engine went away or came back; the first look found no containers.
 */
export type LogEvent = 'stopped' | 'removed' | 'restarted' | 'engine-lost' | 'engine-back' | 'no-containers';

/** One log line of one container. `stream: 'berth'` marks lines berth adds (markers, dropped lines). */
export interface LogLine {
	service: string;
	container: string;
	stream: 'stdout' | 'stderr' | 'berth';
	text: string;
	/** The Engine's RFC 3339 timestamp of the line (`null` on berth's own lines). */
	timestamp: string | null;
	/**
	 * On a marker line (following only): what happened. `service` set: to that service (or services,
	 * comma-separated) while the app runs on; empty: to the app as a whole.
	 */
	event?: LogEvent;
}

export interface LogOptions {
	/** Only these services (default: all of the app's containers). */
	services?: readonly string[];
	/** Keep streaming new lines; re-attach when a followed container restarts or is recreated. */
	follow?: boolean;
	/** Lines from the end of each container's log (default: all). */
	tail?: number;
	/** Only lines since this time: RFC 3339, a Unix timestamp, or a duration like "10m" (docker's syntax). */
	since?: string;
	/** Stops the stream promptly: the iterator ends, the child processes are killed. */
	signal?: AbortSignal;
	/** Most lines held for a slow reader; older lines are dropped with a `berth` marker line (default 1000). */
	bufferLines?: number;
}

export interface WatchOptions {
	/** The apps to watch: a list, or a function asked on every refresh (the TUI's list can change). */
	apps: readonly StatusTarget[] | (() => readonly StatusTarget[]);
	/** Stops the watch: `watchState` then resolves. */
	signal: AbortSignal;
	/**
	 * Called with the first state, then on every change: `changed` holds the apps whose state or services
	 * changed (all apps the first time), `engineChanged` is true when reachability changed. A first state
	 * made from `early` comes from the list alone (`restartCount` null, no start times): the next one has them.
	 */
	onChange(status: FleetStatus, change: {changed: AppStatus[]; engineChanged: boolean}): void;
	/** Polling interval when `docker events` is unavailable (default 2000 ms, never less). */
	pollMs?: number;
	/**
	 * Hands the caller a function that asks the Engine again now: the TUI calls it when its app list
	 * changed (a folder added on disk has no container event to wait for).
	 */
	refreshWith?(refresh: () => void): void;
	/**
	 * The current context's container list, asked for before the watch started (the TUI asks while its
	 * modules load): the first state is made from it at once, without inspecting each container, then
	 * the Engine is asked again as usual (that list predates the event subscription).
	 */
	early?: Promise<ContainerSummary[]>;
}

/**
 * Controls compose stacks. Built once (createComposeClient) and handed to the TUI. Actions run compose
 * with the app's project name, project directory and compose file, whatever the caller's cwd.
 * Failures are `ComposeError`s (see errors.ts); a port held by another program is a `PortConflictError`.
 */
export interface ComposeClient {
	/** The compose binary in use (v2 `docker compose` preferred, v1 `docker-compose` fallback). */
	readonly binary: ComposeBinary;
	/** `up -d` (after the port pre-flight): creates and starts the stack, or the given services. */
	up(target: ComposeTarget, options?: UpOptions): Promise<ActionResult>;
	start(target: ComposeTarget, options?: ActionOptions): Promise<ActionResult>;
	stop(target: ComposeTarget, options?: ActionOptions): Promise<ActionResult>;
	restart(target: ComposeTarget, options?: ActionOptions): Promise<ActionResult>;
	/** Removes the stack's containers and networks; volumes are kept unless `volumes: true`. */
	down(target: ComposeTarget, options?: DownOptions): Promise<ActionResult>;
	build(target: ComposeTarget, options?: ActionOptions): Promise<ActionResult>;
	/** Throws `PortConflictError` naming port and holder when an allocated port is held by anyone else. */
	preflight(target: ComposeTarget): Promise<void>;
	/**
	 * The state of the given apps: one label-filtered container query for all of them, plus an inspect
	 * of each of their containers (exact start time, restart count). For one app or a few; for a whole
	 * fleet, `queryStatus(apps, {detail: 'list'})` costs one query whatever the number of apps.
	 */
	status(apps: readonly StatusTarget[]): Promise<FleetStatus>;
	/** Live state: see WatchOptions. Resolves when the signal aborts; never rejects for engine trouble. */
	watch(options: WatchOptions): Promise<void>;
	/** The app's log lines (see LogOptions). */
	logs(target: ComposeTarget, options?: LogOptions): AsyncIterable<LogLine>;
}
