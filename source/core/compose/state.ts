import type {ContainerSummary} from '../docker/engine.ts';
import type {ContainerDetails} from '../docker/inspect.ts';
import type {EngineEvent} from '../docker/events.ts';
import type {AppStateName, AppStatus, FleetTotals, Health, ListedServiceStatus, ServiceStateName, ServiceStatus, StatusTarget} from './types.ts';

export {PROJECT_LABEL, SERVICE_LABEL} from '../compose-labels.ts';
import {PROJECT_LABEL, SERVICE_LABEL} from '../compose-labels.ts';

/** Health and exit code as the Engine's status text tells them ("Up 5 seconds (healthy)", "Exited (137) ...", "Restarting (3) ..."). */
export function parseStatusText(status: string): {health: Health | null; exitCode: number | null} {
	let health: Health | null = null;
	if (/\(healthy\)/.test(status)) health = 'healthy';
	else if (/\(unhealthy\)/.test(status)) health = 'unhealthy';
	else if (/\(health: starting\)/.test(status)) health = 'starting';
	const exited = /^(?:Exited|Restarting) \((-?\d+)\)/.exec(status);
	return {health, exitCode: exited ? Number(exited[1]) : null};
}

/** A stopped container's exit code that means "it was stopped" rather than "it failed" (0, SIGKILL, SIGTERM). */
export function isCleanExit(code: number | null): boolean {
	return code === null || code === 0 || code === 137 || code === 143;
}

/** What the state words are decided from: a service row, core's or the UI's. */
export interface StateInput {
	/** The Engine's state: created, running, paused, restarting, removing, exited, dead. */
	state: string;
	health: Health | null;
	exitCode?: number | null;
	/** The Engine's message for a container it failed to start. */
	error?: string | null;
}

const ENGINE_STATES: ReadonlySet<string> = new Set(['running', 'paused', 'restarting', 'exited', 'created', 'removing', 'dead']);

/**
 * What a service's state says wherever berth shows it (the ps table, the TUI): core's word, with the
 * exit code of an exited or restarting container ("exited (137)", a crash loop's "restarting (3)"),
 * as docker says "Exited (137)", "Restarting (3)".
 */
export function serviceStateText(service: {status: ServiceStateName; exitCode: number | null}): string {
	const withCode = service.status === 'exited' || service.status === 'restarting';
	return withCode && service.exitCode !== null ? `${service.status} (${service.exitCode})` : service.status;
}

/** berth's word for one container (see `ServiceStateName`). */
export function serviceStateOf(service: StateInput): ServiceStateName {
	if (service.state === 'running')
		return service.health === 'unhealthy' || service.health === 'starting' || service.health === 'healthy' ? service.health : 'running';
	if (service.error && service.state !== 'paused') return 'error';
	// The Engine has no other states; anything new is shown as a container that is not running.
	return ENGINE_STATES.has(service.state) ? (service.state as ServiceStateName) : 'exited';
}

/** One container as a service row: the list gives most fields; `details` (inspect) adds the rest. */
export function serviceStatus(container: ContainerSummary, details?: ContainerDetails): ServiceStatus {
	const fromText = parseStatusText(container.status);
	// The Engine reports an event before its list view catches up; inspect waits for the container's
	// lock, so its state is the fresher one.
	const state = details?.state || container.state;
	const running = state === 'running' || state === 'paused';
	const health = details ? (running ? details.health : null) : fromText.health;
	const exitCode = running ? null : details ? (details.startedAt ? details.exitCode : null) : fromText.exitCode;
	const error = details?.error || null;
	return {
		service: container.labels[SERVICE_LABEL] ?? container.name,
		container: container.name,
		containerId: container.id,
		state,
		status: serviceStateOf({state, health, exitCode, error}),
		health,
		exitCode,
		ports: running || state === 'restarting' ? [...container.ports].sort((a, b) => a.hostPort - b.hostPort || a.containerPort - b.containerPort) : [],
		startedAt: details?.startedAt ?? null,
		restartCount: details?.restartCount ?? 0,
		error,
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

/** A container that stopped with an exit code that means it failed (not 0, SIGKILL or SIGTERM). */
function failedExit(service: StateInput): boolean {
	return service.state === 'exited' && !isCleanExit(service.exitCode ?? null);
}

/**
 * berth's one word for an app, from its containers' rows (docs/compose.md, "State words"), first match:
 * - no-compose: no compose file and no containers; not-created: no containers (never started, or down).
 * - error: a container is dead or failed to start (Engine error), or nothing runs and one exited with
 *   a failure code (not 0, 137, 143).
 * - crash-loop: the Engine is restarting a container that keeps exiting (restart policy).
 * - stopped: nothing runs and nothing failed (a one-shot that exited 0 counts: the Engine cannot tell
 *   it from a server that exited 0 when stopped).
 * - paused: every container is paused; partial: some containers run, others do not.
 * - unhealthy / starting / healthy / running: everything runs; the worst health decides, `healthy`
 *   when a health check passes and none fails or is pending.
 * `unknown` is not decided here: it is the word of every app while the Engine cannot be asked.
 */
export function appStateOf(services: readonly StateInput[], hasCompose: boolean): AppStateName {
	if (services.length === 0) return hasCompose ? 'not-created' : 'no-compose';
	if (services.some(s => s.state === 'dead' || s.error)) return 'error';
	if (services.some(s => s.state === 'restarting')) return 'crash-loop';
	const running = services.filter(s => s.state === 'running');
	const paused = services.filter(s => s.state === 'paused').length;
	if (running.length + paused === 0) return services.some(failedExit) ? 'error' : 'stopped';
	if (paused === services.length) return 'paused';
	if (running.length < services.length) return 'partial';
	if (running.some(s => s.health === 'unhealthy')) return 'unhealthy';
	if (running.some(s => s.health === 'starting')) return 'starting';
	return running.some(s => s.health === 'healthy') ? 'healthy' : 'running';
}

/** The app states a user must look at: a failing health check, a container restarting in a loop, a failure. */
const ATTENTION: ReadonlySet<AppStateName> = new Set(['unhealthy', 'crash-loop', 'error']);

/** Whether an app's state needs a look (the models pane marks the models that hold such apps). */
export function needsAttention(state: AppStateName): boolean {
	return ATTENTION.has(state);
}

/** Whether an app counts as running in totals: at least one of its containers runs. */
export function hasRunningService(services: readonly StateInput[]): boolean {
	return services.some(s => s.state === 'running');
}

/** The totals of a fleet (the TUI header, `ps --json`): see `FleetTotals`. */
export function fleetTotals(apps: Iterable<{state: AppStateName; services: readonly StateInput[]}>): FleetTotals {
	const totals: FleetTotals = {running: 0, unhealthy: 0, error: 0};
	for (const app of apps) {
		if (hasRunningService(app.services)) totals.running++;
		if (app.services.some(s => s.state === 'running' && s.health === 'unhealthy')) totals.unhealthy++;
		if (app.state === 'error' || app.state === 'crash-loop') totals.error++;
	}
	return totals;
}

/** Every app as `unknown`: what is known of a fleet while the Engine cannot be asked. */
export function unknownApps(apps: readonly StatusTarget[]): AppStatus[] {
	return apps.map(app => ({id: app.id, projectName: app.projectName, state: 'unknown', services: []}));
}

function mapApps<S extends ListedServiceStatus>(
	apps: readonly StatusTarget[],
	containers: readonly ContainerSummary[],
	row: (container: ContainerSummary) => S,
): AppStatus<S>[] {
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
export function mapAppStates(
	apps: readonly StatusTarget[],
	containers: readonly ContainerSummary[],
	details: ReadonlyMap<string, ContainerDetails> = new Map(),
): AppStatus[] {
	return mapApps(apps, containers, c => serviceStatus(c, details.get(c.id)));
}

/** `mapAppStates` for rows taken from the list alone (`details` for the few inspected containers). */
export function mapListedAppStates(
	apps: readonly StatusTarget[],
	containers: readonly ContainerSummary[],
	details: ReadonlyMap<string, ContainerDetails> = new Map(),
): AppStatus<ListedServiceStatus>[] {
	return mapApps(apps, containers, c => listedServiceStatus(c, details.get(c.id)));
}

/** Whether two states of an app differ in anything a user would see. */
export function sameAppStatus(a: AppStatus<ListedServiceStatus>, b: AppStatus<ListedServiceStatus>): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** `row` with its `status` word decided again after a change to its state, health or exit code. */
function restated(row: ServiceStatus): ServiceStatus {
	return {...row, status: serviceStateOf(row)};
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
		patch = s => restated({...s, state: 'exited', exitCode: Number.isFinite(code) ? code : s.exitCode, health: null, ports: []});
	} else if (event.action.startsWith('health_status: ')) {
		const health = event.action.slice('health_status: '.length);
		if (health === 'healthy' || health === 'unhealthy' || health === 'starting') patch = s => restated({...s, health});
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
