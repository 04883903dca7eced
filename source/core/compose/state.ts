import type {ContainerSummary} from '../docker/engine.ts';
import type {ContainerDetails} from '../docker/inspect.ts';
import type {EngineEvent} from '../docker/events.ts';
import type {AppStateName, AppStatus, Health, ListedServiceStatus, ServiceStatus, StatusTarget} from './types.ts';

export {PROJECT_LABEL, SERVICE_LABEL} from '../compose-labels.ts';
import {PROJECT_LABEL, SERVICE_LABEL} from '../compose-labels.ts';

/** Health and exit code as the Engine's status text tells them ("Up 5 seconds (healthy)", "Exited (137) ..."). */
export function parseStatusText(status: string): {health: Health | null; exitCode: number | null} {
	let health: Health | null = null;
	if (/\(healthy\)/.test(status)) health = 'healthy';
	else if (/\(unhealthy\)/.test(status)) health = 'unhealthy';
	else if (/\(health: starting\)/.test(status)) health = 'starting';
	const exited = /^Exited \((-?\d+)\)/.exec(status);
	return {health, exitCode: exited ? Number(exited[1]) : null};
}

/** A stopped container's exit code that means "it was stopped" rather than "it failed" (0, SIGKILL, SIGTERM). */
export function isCleanExit(code: number | null): boolean {
	return code === null || code === 0 || code === 137 || code === 143;
}

/** One container as a service row: the list gives most fields; `details` (inspect) adds the rest. */
export function serviceStatus(container: ContainerSummary, details?: ContainerDetails): ServiceStatus {
	const fromText = parseStatusText(container.status);
	// The Engine reports an event before its list view catches up; inspect waits for the container's
	// lock, so its state is the fresher one.
	const state = details?.state || container.state;
	const running = state === 'running' || state === 'paused';
	return {
		service: container.labels[SERVICE_LABEL] ?? container.name,
		container: container.name,
		containerId: container.id,
		state,
		health: details ? (running ? details.health : null) : fromText.health,
		exitCode: running ? null : details ? (details.startedAt ? details.exitCode : null) : fromText.exitCode,
		ports: running || state === 'restarting' ? [...container.ports].sort((a, b) => a.hostPort - b.hostPort || a.containerPort - b.containerPort) : [],
		startedAt: details?.startedAt ?? null,
		restartCount: details?.restartCount ?? 0,
		error: details?.error || null,
	};
}

/**
 * A service row from the container list alone (`details` only for the containers that were inspected):
 * the list has no restart count and no exact start time, so those stay `null` without `details`.
 */
export function listedServiceStatus(container: ContainerSummary, details?: ContainerDetails): ListedServiceStatus {
	const row: ListedServiceStatus = {...serviceStatus(container, details), statusText: container.status};
	if (!details) row.restartCount = null;
	return row;
}

/**
 * The state of an app from its containers' rows:
 * - no-compose: no compose file and no containers; not-created: no containers.
 * - error: a container is dead, restarting (a crash loop), failed to start (Engine error), or — with
 *   nothing running — exited with a failure code.
 * - partial: some containers run, others do not.
 * - unhealthy / starting / running: everything runs; the worst health decides.
 * - stopped: nothing runs and nothing failed.
 */
export function appStateOf(services: readonly ListedServiceStatus[], hasCompose: boolean): AppStateName {
	if (services.length === 0) return hasCompose ? 'not-created' : 'no-compose';
	const running = services.filter(s => s.state === 'running' || s.state === 'paused');
	if (services.some(s => s.state === 'dead' || s.state === 'restarting' || s.error)) return 'error';
	if (running.length === 0) return services.some(s => s.state === 'exited' && !isCleanExit(s.exitCode)) ? 'error' : 'stopped';
	if (running.length < services.length) return 'partial';
	if (running.some(s => s.health === 'unhealthy')) return 'unhealthy';
	if (running.some(s => s.health === 'starting')) return 'starting';
	return 'running';
}

function mapApps<S extends ListedServiceStatus>(apps: readonly StatusTarget[], containers: readonly ContainerSummary[], row: (container: ContainerSummary) => S): AppStatus<S>[] {
	const byProject = new Map<string, ContainerSummary[]>();
	for (const container of containers) {
		const project = container.labels[PROJECT_LABEL];
		if (!project) continue;
		const list = byProject.get(project) ?? [];
		list.push(container);
		byProject.set(project, list);
	}
	return apps.map(app => {
		const services = (byProject.get(app.projectName) ?? [])
			.filter(c => c.labels['com.docker.compose.oneoff'] !== 'True') // `compose run` containers are not the stack
			.map(row)
			.sort((a, b) => (a.service === b.service ? (a.container < b.container ? -1 : 1) : a.service < b.service ? -1 : 1));
		return {id: app.id, projectName: app.projectName, state: appStateOf(services, app.hasCompose), services};
	});
}

/**
 * Maps one label-filtered container list to per-app states, in the order of `apps`. Containers of
 * projects not in `apps` are ignored. Pure: the caller does the one Engine query (and inspects).
 */
export function mapAppStates(apps: readonly StatusTarget[], containers: readonly ContainerSummary[], details: ReadonlyMap<string, ContainerDetails> = new Map()): AppStatus[] {
	return mapApps(apps, containers, c => serviceStatus(c, details.get(c.id)));
}

/** `mapAppStates` for rows taken from the list alone (`details` for the few inspected containers). */
export function mapListedAppStates(apps: readonly StatusTarget[], containers: readonly ContainerSummary[], details: ReadonlyMap<string, ContainerDetails> = new Map()): AppStatus<ListedServiceStatus>[] {
	return mapApps(apps, containers, c => listedServiceStatus(c, details.get(c.id)));
}

/** Whether two states of an app differ in anything a user would see. */
export function sameAppStatus(a: AppStatus<ListedServiceStatus>, b: AppStatus<ListedServiceStatus>): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What an event already tells before the Engine's views catch up: `die` (with its exit code) and
 * `health_status: X`. Returns the apps with the event applied, or `null` when it changes nothing known.
 * The watch shows this at once, then confirms it with a query.
 */
export function applyEvent(apps: readonly AppStatus[], event: EngineEvent): AppStatus[] | null {
	let patch: ((s: ServiceStatus) => ServiceStatus) | null = null;
	if (event.action === 'die') {
		const code = Number(event.attributes['exitCode']);
		patch = s => ({...s, state: 'exited', exitCode: Number.isFinite(code) ? code : s.exitCode, health: null, ports: []});
	} else if (event.action.startsWith('health_status: ')) {
		const health = event.action.slice('health_status: '.length);
		if (health === 'healthy' || health === 'unhealthy' || health === 'starting') patch = s => ({...s, health});
	}
	if (!patch) return null;
	let changed = false;
	const next = apps.map(app => {
		if (!app.services.some(s => s.containerId === event.id)) return app;
		const services = app.services.map(s => (s.containerId === event.id ? patch!(s) : s));
		changed = true;
		return {...app, services, state: appStateOf(services, true)};
	});
	return changed ? next : null;
}
