import {listContainers, EngineUnreachableError, type ContainerSummary} from '../docker/engine.ts';
import {inspectContainers, type ContainerDetails} from '../docker/inspect.ts';
import {errorMessage} from '../errors.ts';
import {mapAppStates, parseStatusText, PROJECT_LABEL} from './state.ts';
import type {FleetStatus, StatusTarget} from './types.ts';

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

/**
 * The state of `apps`: one label-filtered list of every compose container (one Engine call, whatever
 * the number of apps), plus inspect of the asked-for apps' containers not in `cache`. Never throws for an
 * unreachable engine: that is a state (`engine.reachable: false`).
 */
export async function queryStatus(apps: readonly StatusTarget[], options: {env?: NodeJS.ProcessEnv; cache?: InspectCache} = {}): Promise<FleetStatus> {
	const env = options.env ?? process.env;
	const at = new Date().toISOString();
	let containers: ContainerSummary[];
	try {
		containers = await listContainers({all: true, labels: [PROJECT_LABEL]}, env);
	} catch (error) {
		if (error instanceof EngineUnreachableError) return {at, engine: {reachable: false, message: errorMessage(error)}, apps: []};
		throw error;
	}
	const wanted = new Set(apps.map(a => a.projectName));
	const mine = containers.filter(c => wanted.has(c.labels[PROJECT_LABEL] ?? ''));
	const cache = options.cache ?? new InspectCache();
	const details = new Map<string, ContainerDetails>();
	const missing: ContainerSummary[] = [];
	for (const container of mine) {
		const cached = cache.get(container);
		if (cached) details.set(container.id, cached);
		else missing.push(container);
	}
	if (missing.length > 0) {
		try {
			const fresh = await inspectContainers(missing.map(c => c.id), env);
			for (const container of missing) {
				const found = fresh.get(container.id);
				if (!found) continue;
				details.set(container.id, found);
				cache.set(container, found);
			}
		} catch (error) {
			if (error instanceof EngineUnreachableError) return {at, engine: {reachable: false, message: errorMessage(error)}, apps: []};
			throw error;
		}
	}
	cache.retain(new Set(containers.map(c => c.id)));
	return {at, engine: {reachable: true, message: null}, apps: mapAppStates(apps, mine, details)};
}
