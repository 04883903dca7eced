import {contextEnv, currentContextName} from '../docker/contexts.ts';
import {fleetTotals} from './state.ts';
import {queryStatus, type StatusOptions} from './status.ts';
import {watchState} from './watch.ts';
import type {AppStatus, EngineStatus, FleetStatus, ListedServiceStatus, ServiceStatus, StatusTarget, WatchOptions} from './types.ts';

/** The state of one engine at a query: reachable, or why not. */
export interface EngineState extends EngineStatus {
	/** The engine (Docker context) name. */
	name: string;
}

/** A fleet's state over several engines: each app carries its engine, and each engine its reachability. */
export type FleetStatusOf<S extends ListedServiceStatus> = FleetStatus<S> & {apps: (AppStatus<S> & {engine: string})[]; engines: EngineState[]};

type Placed = StatusTarget & {engine?: string | null};

/**
 * The engines that hold `apps`, each once, in the apps' order (`null`, an app placed nowhere, is an
 * engine of its own here: callers pass apps whose engine is resolved, as a status gives them).
 */
export function enginesInUse<T extends {engine?: string | null}>(apps: readonly T[]): T['engine'][] {
	return [...new Set(apps.map(app => app.engine))];
}

/**
 * Whether the apps are spread over several engines: the one rule by which `ps` adds its ENGINE column
 * and the TUI badges each app with its engine and lists the engines in its header.
 */
export function severalEngines(apps: readonly {engine?: string | null}[]): boolean {
	return enginesInUse(apps).length > 1;
}

/** The apps by engine: an app placed nowhere yet is on the current context. */
function byEngine<T extends Placed>(apps: readonly T[], current: string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const app of apps) {
		const key = app.engine ?? current;
		const list = groups.get(key);
		if (list) list.push(app);
		else groups.set(key, [app]);
	}
	return groups;
}

/**
 * One status over several engines' statuses: the apps in `apps` order (an app whose engine has not
 * answered yet is `unknown`), `engine` the first unreachable engine's status (its message naming it
 * when several engines are in use), else reachable.
 */
function merge<S extends ListedServiceStatus>(apps: readonly Placed[], current: string, statuses: ReadonlyMap<string, FleetStatus<S>>): FleetStatusOf<S> {
	const byId = new Map<string, AppStatus<S>>();
	for (const status of statuses.values()) for (const app of status.apps) byId.set(app.id, app);
	const merged = apps.map(app => ({
		...(byId.get(app.id) ?? {id: app.id, projectName: app.projectName, state: 'unknown' as const, services: []}),
		engine: app.engine ?? current,
	}));
	const engines = [...statuses].map(([name, status]) => ({name, ...status.engine}));
	const down = engines.find(e => !e.reachable);
	const several = statuses.size > 1 || [...statuses.keys()].some(name => name !== current);
	return {
		at:
			[...statuses.values()]
				.map(s => s.at)
				.sort()
				.at(-1) ?? new Date().toISOString(),
		engine: down ? {reachable: false, message: several ? `engine ${down.name}: ${down.message}` : down.message} : {reachable: true, message: null},
		apps: merged,
		totals: fleetTotals(merged),
		engines,
	};
}

/**
 * The state of apps spread over several engines: one query per engine that holds one of them, in
 * parallel, merged. An engine that does not answer turns its own apps `unknown`, never down; the others
 * are unaffected.
 */
export function queryFleetStatus(apps: readonly Placed[], options: StatusOptions & {detail: 'list'}): Promise<FleetStatusOf<ListedServiceStatus>>;
export function queryFleetStatus(apps: readonly Placed[], options?: StatusOptions & {detail?: 'inspect'}): Promise<FleetStatusOf<ServiceStatus>>;
export async function queryFleetStatus(apps: readonly Placed[], options: StatusOptions = {}): Promise<FleetStatusOf<ListedServiceStatus>> {
	const env = options.env ?? process.env;
	const current = currentContextName(env);
	const groups = byEngine(apps, current);
	if (groups.size === 0) groups.set(current, []);
	const answers = await Promise.all(
		[...groups].map(
			async ([name, group]) => [name, await queryStatus(group, {...options, env: contextEnv(name, env)} as StatusOptions & {detail: 'list'})] as const,
		),
	);
	return merge(apps, current, new Map(answers));
}

/**
 * Follows apps on every engine that holds one: one watch (one event stream) per engine, started as
 * engines appear in the app list, each reporting its own apps; `onChange` gets the merged state. An
 * engine that goes away turns its apps `unknown` and comes back by itself (watchState does, per
 * engine); idle, no engine is asked anything.
 */
export async function watchFleet(
	options: Omit<WatchOptions, 'onChange'> & {onChange(status: FleetStatusOf<ServiceStatus>, change: {changed: AppStatus[]; engineChanged: boolean}): void},
	env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
	const current = currentContextName(env);
	const appsNow = (): readonly Placed[] => (typeof options.apps === 'function' ? options.apps() : options.apps);
	const latest = new Map<string, FleetStatus>();
	const refreshers = new Map<string, () => void>();
	const running = new Map<string, Promise<void>>();
	const start = (name: string) => {
		if (running.has(name) || options.signal.aborted) return;
		const watch = watchState(
			{
				apps: () => appsNow().filter(app => (app.engine ?? current) === name),
				signal: options.signal,
				...(options.pollMs === undefined ? {} : {pollMs: options.pollMs}),
				// The early list was asked of the current context: it is that engine's first answer only.
				...(name === current && options.early !== undefined ? {early: options.early} : {}),
				refreshWith: refresh => refreshers.set(name, refresh),
				onChange(status, change) {
					latest.set(name, status);
					const merged = merge(appsNow(), current, latest);
					options.onChange(merged, {changed: merged.apps.filter(app => change.changed.some(c => c.id === app.id)), engineChanged: change.engineChanged});
				},
			},
			contextEnv(name, env),
		);
		running.set(name, watch);
	};
	const ensure = () => {
		const names = new Set(appsNow().map(app => app.engine ?? current));
		if (names.size === 0) names.add(current);
		for (const name of names) start(name);
	};
	ensure();
	options.refreshWith?.(() => {
		ensure();
		for (const refresh of refreshers.values()) refresh();
	});
	// Engines may be added while this waits: wait until every watch started so far has ended.
	for (let seen = 0; seen !== running.size; ) {
		seen = running.size;
		await Promise.all(running.values());
	}
}
