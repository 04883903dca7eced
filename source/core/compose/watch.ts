import {openEvents, type EventFilters} from '../docker/events.ts';
import {dockerTransport} from '../docker/transport.ts';
import {InspectCache, queryStatus} from './status.ts';
import {PROJECT_LABEL} from '../compose-labels.ts';
import {applyEvent, fleetTotals, sameAppStatus} from './state.ts';
import {sleep} from '../sleep.ts';
import type {EngineEvent} from '../docker/events.ts';
import type {ContainerSummary} from '../docker/engine.ts';
import type {AppStatus, FleetStatus, StatusTarget, WatchOptions} from './types.ts';

/**
 * The container events that can change a state. Health checks also emit exec_create/exec_start/exec_die
 * every interval; asking only for these keeps an idle fleet silent. `kill` and `stop` are followed by
 * `die`, which is the one that matters.
 */
export const STATE_EVENTS = ['create', 'start', 'restart', 'die', 'destroy', 'pause', 'unpause', 'oom', 'health_status', 'update', 'rename'];

export const EVENT_FILTERS: EventFilters = {type: ['container'], event: STATE_EVENTS, label: [PROJECT_LABEL]};

const RETRY_MS = 1000;
const MIN_POLL_MS = 2000;

/** Whether an event is about a container of one of `apps` (an event without a project label may be). */
export function concernsWatched(event: EngineEvent, apps: readonly StatusTarget[]): boolean {
	const project = event.attributes[PROJECT_LABEL];
	return project === undefined || apps.some(app => app.projectName === project);
}

/** What changed between two states (all apps and the engine when there was none before). */
export function diffStatus(previous: FleetStatus | null, next: FleetStatus): {changed: AppStatus[]; engineChanged: boolean} {
	const engineChanged = !previous || previous.engine.reachable !== next.engine.reachable || previous.engine.message !== next.engine.message;
	const before = new Map((previous?.apps ?? []).map(app => [app.id, app]));
	const changed = next.apps.filter(app => {
		const old = before.get(app.id);
		return !old || !sameAppStatus(old, app);
	});
	return {changed, engineChanged};
}

/**
 * Watches the state of apps: the first state, then a new one whenever the Engine reports a container
 * event of one of them (one list query per burst of events), or every `pollMs` (>= 2 s) when the event
 * stream cannot be opened. An unreachable engine is reported as a state and retried every second until
 * it answers again (also when only a query failed and its event stream runs on). Resolves when `signal` aborts.
 */
export async function watchState(options: WatchOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
	const {signal, onChange} = options;
	// A misspelt BERTH_DOCKER_TRANSPORT fails here, not as a watch that retries forever in silence.
	dockerTransport(env);
	const appsNow = () => (typeof options.apps === 'function' ? options.apps() : options.apps);
	const pollMs = Math.max(MIN_POLL_MS, options.pollMs ?? MIN_POLL_MS);
	const cache = new InspectCache();
	let previous = null as FleetStatus | null;
	let running: Promise<void> | null = null;
	let again = false;
	let events = 0;
	let stale = 0;

	async function refreshOnce(listed?: Promise<ContainerSummary[]>): Promise<FleetStatus> {
		const seen = events;
		// From an early list: the list's view alone (see WatchOptions.early), restart counts `null`.
		const status =
			listed !== undefined ? ((await queryStatus(appsNow(), {env, cache, listed, detail: 'list'})) as FleetStatus) : await queryStatus(appsNow(), {env, cache});
		if (signal.aborted) return status;
		// An event came in meanwhile: this answer may predate it; the refresh that follows tells (unless
		// events never stop coming: then every third answer is shown anyway).
		if (events !== seen && ++stale < 3) return status;
		stale = 0;
		const change = diffStatus(previous, status);
		previous = status;
		if (change.engineChanged || change.changed.length > 0) onChange(status, change);
		return status;
	}

	/** Runs a refresh now, or once more right after the one in flight (events come in bursts). */
	function refresh(): Promise<void> {
		if (running !== null) {
			again = true;
			return running;
		}
		running = (async () => {
			do {
				again = false;
				try {
					await refreshOnce();
				} catch {
					// An unexpected Engine answer: keep the last state; the next event or retry tries again.
				}
			} while (again && !signal.aborted);
		})().finally(() => {
			running = null;
			retryWhileGone();
		});
		return running;
	}

	// Whether the event stream is open: while it is, the loop below waits on it and retries nothing.
	let streaming = false;
	let retrying = false;
	/**
	 * A query found the engine gone while its event stream still runs (a context pointed elsewhere, a
	 * list that failed on a loaded engine): no event may come to ask again, so ask every RETRY_MS until
	 * it answers. A stream that broke is retried by the loop below instead.
	 */
	function retryWhileGone(): void {
		if (retrying || !streaming || signal.aborted || previous?.engine.reachable !== false) return;
		retrying = true;
		void sleep(RETRY_MS, signal).then(() => {
			retrying = false;
			if (streaming && !signal.aborted) void refresh();
		});
	}

	options.refreshWith?.(() => {
		if (!signal.aborted) void refresh();
	});

	/** Shows what the event already says at once (the query that confirms it takes longer). */
	function onEvent(event: EngineEvent): void {
		// The Engine ANDs label filters, so the stream carries every compose project's events: those of
		// projects not watched (other tools, tests, other workspaces) must not cost a query.
		if (!concernsWatched(event, appsNow())) return;
		events++;
		cache.invalidate(event.id);
		if (previous?.engine.reachable) {
			const patched = applyEvent(previous.apps, event);
			if (patched) {
				const status: FleetStatus = {...previous, at: new Date().toISOString(), apps: patched, totals: fleetTotals(patched)};
				const change = diffStatus(previous, status);
				previous = status;
				if (change.changed.length > 0) onChange(status, change);
			}
		}
		void refresh();
	}

	// A list asked for before the watch: the first state without waiting for the event stream. It may
	// predate a change, which the query after subscribing (below) catches.
	if (options.early !== undefined) await refreshOnce(options.early).catch(() => undefined);
	while (!signal.aborted) {
		let stream;
		try {
			stream = await openEvents(EVENT_FILTERS, onEvent, signal, env);
		} catch {
			if (signal.aborted) break;
			await refresh();
			if (!previous?.engine.reachable) {
				await sleep(RETRY_MS, signal);
				continue;
			}
			// The engine answers but offers no event stream: poll until it does.
			while (!signal.aborted) {
				await sleep(pollMs, signal);
				if (signal.aborted) break;
				await refresh();
				if (previous?.engine.reachable) {
					try {
						stream = await openEvents(EVENT_FILTERS, onEvent, signal, env);
						break;
					} catch {
						// still no events
					}
				}
			}
			if (!stream) break;
		}
		// Subscribed first, then queried: no change can fall between the two.
		const opened = Date.now();
		streaming = true;
		await refresh();
		const ended = await stream.closed;
		streaming = false;
		if (signal.aborted || ended === null) break;
		await refresh();
		// A stream that keeps closing at once must not turn into a busy loop of queries.
		await sleep(previous?.engine.reachable && Date.now() - opened > RETRY_MS ? 0 : RETRY_MS, signal);
	}
	await running;
}
