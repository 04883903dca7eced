import {listContainers, EngineUnreachableError, type ContainerSummary} from '../docker/engine.ts';
import {inspectContainers, type ContainerDetails} from '../docker/inspect.ts';
import {errorMessage} from '../errors.ts';
import {PROJECT_LABEL} from '../compose-labels.ts';
import {fleetTotals, mapAppStates, mapListedAppStates, parseStatusText, unknownApps} from './state.ts';
import type {FleetStatus, ListedServiceStatus, StatusTarget} from './types.ts';

/**
 * Remembers inspect results while a container's list row says nothing changed, so a watch re-inspects
 * only the containers an event or a state change touched: the cost of a refresh stays one list call.
 */
export class InspectCache {
	readonly #entries = new Map<string, {fingerprint: string; details: ContainerDetails}>();

	static fingerprint(container: ContainerSummary): string {
		const {health, exitCode} = parseStatusText(container.status);
		return `${container.state}|${health}|${exitCode}`;
	}

	/** Forget a container (an event named it). */
	invalidate(id: string): void {
		this.#entries.delete(id);
	}

	get(container: ContainerSummary): ContainerDetails | undefined {
		const entry = this.#entries.get(container.id);
		return entry && entry.fingerprint === InspectCache.fingerprint(container) ? entry.details : undefined;
	}

	set(container: ContainerSummary, details: ContainerDetails): void {
		this.#entries.set(container.id, {fingerprint: InspectCache.fingerprint(container), details});
	}

	/** Drop entries of containers that no longer exist. */
	retain(ids: ReadonlySet<string>): void {
		for (const id of this.#entries.keys()) if (!ids.has(id)) this.#entries.delete(id);
	}
}

export interface StatusOptions {
	env?: NodeJS.ProcessEnv;
	/** Inspect results kept between queries (the watch's). */
	cache?: InspectCache;
	/**
	 * `inspect` (default): every container of the asked-for apps is inspected too (exact start time,
	 * restart count, start errors): one more request per container. `list`: the container list alone,
	 * one request whatever the number of apps; only `created` containers are inspected (a start error
	 * is not in the list). For the state of a whole fleet.
	 */
	detail?: 'inspect' | 'list';
	/** The container list, already asked for (every compose container: `all` and the project label). */
	listed?: Promise<ContainerSummary[]>;
}

/** Every compose container of the Engine, running or not: what `queryStatus` reads states from. */
export function listFleetContainers(env: NodeJS.ProcessEnv = process.env): Promise<ContainerSummary[]> {
	return listContainers({all: true, labels: [PROJECT_LABEL]}, env);
}

/** A container whose list row cannot say how it is: a `created` one may have failed to start. */
function needsInspect(container: ContainerSummary): boolean {
	return container.state === 'created';
}

/**
 * The state of `apps`: one label-filtered list of every compose container (one Engine call, whatever
 * the number of apps), plus inspect of the asked-for apps' containers not in `cache` (with `detail:
 * 'list'`, only of those the list cannot judge). Never throws for an unreachable engine: that is a
 * state (`engine.reachable: false`, every app `unknown`).
 */
export function queryStatus(apps: readonly StatusTarget[], options: StatusOptions & {detail: 'list'}): Promise<FleetStatus<ListedServiceStatus>>;
export function queryStatus(apps: readonly StatusTarget[], options?: StatusOptions & {detail?: 'inspect'}): Promise<FleetStatus>;
export async function queryStatus(apps: readonly StatusTarget[], options: StatusOptions = {}): Promise<FleetStatus<ListedServiceStatus>> {
	const env = options.env ?? process.env;
	const listed = options.detail === 'list';
	const at = new Date().toISOString();
	const unreachable = (error: unknown): FleetStatus<ListedServiceStatus> => {
		if (error instanceof EngineUnreachableError)
			return {at, engine: {reachable: false, message: errorMessage(error)}, apps: unknownApps(apps), totals: fleetTotals([])};
		throw error;
	};
	let containers: ContainerSummary[];
	try {
		containers = await (options.listed ?? listFleetContainers(env));
	} catch (error) {
		return unreachable(error);
	}
	const wanted = new Set(apps.map(a => a.projectName));
	const mine = containers.filter(c => wanted.has(c.labels[PROJECT_LABEL] ?? ''));
	const cache = options.cache ?? new InspectCache();
	const details = new Map<string, ContainerDetails>();
	const missing: ContainerSummary[] = [];
	for (const container of listed ? mine.filter(needsInspect) : mine) {
		const cached = cache.get(container);
		if (cached) details.set(container.id, cached);
		else missing.push(container);
	}
	if (missing.length > 0) {
		try {
			const fresh = await inspectContainers(
				missing.map(c => c.id),
				env,
			);
			for (const container of missing) {
				const found = fresh.get(container.id);
				if (!found) continue;
				details.set(container.id, found);
				cache.set(container, found);
			}
		} catch (error) {
			return unreachable(error);
		}
	}
	cache.retain(new Set(containers.map(c => c.id)));
	const states = listed ? mapListedAppStates(apps, mine, details) : mapAppStates(apps, mine, details);
	return {at, engine: {reachable: true, message: null}, apps: states, totals: fleetTotals(states)};
}
