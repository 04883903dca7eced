import {contextEnv} from '../docker/contexts.ts';
import {fleetTotals} from './state.ts';
import {queryStatus, type StatusOptions} from './status.ts';
import type {AppStatus, EngineStatus, FleetStatus, ServiceStatus, StatusTarget} from './types.ts';

/** The state of one engine at a query: reachable, or why not. */
export interface EngineState extends EngineStatus {
	/** The engine (Docker context) name; `null`: the current context, for apps placed nowhere yet. */
	name: string | null;
}

/**
 * The state of apps spread over several engines: one query per engine that holds one of them (in
 * parallel), merged in the order the apps were given. An engine that does not answer turns its own apps
 * `unknown`, never down; the others are unaffected. `engine` is the first unreachable engine's status
 * (or a reachable one), `engines` each engine's.
 */
export async function queryFleetStatus(
	apps: readonly (StatusTarget & {engine?: string | null})[],
	options: StatusOptions & {detail?: 'inspect'} = {},
): Promise<FleetStatus<ServiceStatus> & {engines: EngineState[]}> {
	const env = options.env ?? process.env;
	const groups = new Map<string | null, (StatusTarget & {engine?: string | null})[]>();
	for (const app of apps) {
		const key = app.engine ?? null;
		groups.set(key, [...(groups.get(key) ?? []), app]);
	}
	if (groups.size === 0) groups.set(null, []);
	const answers = await Promise.all(
		[...groups].map(async ([name, group]) => ({name, status: await queryStatus(group, {...options, env: name ? contextEnv(name, env) : env})})),
	);
	const byId = new Map<string, AppStatus<ServiceStatus>>();
	for (const {status} of answers) for (const app of status.apps) byId.set(app.id, app);
	const merged = apps.map(app => byId.get(app.id)!);
	const engines = answers.map(({name, status}) => ({name, ...status.engine}));
	const down = engines.find(e => !e.reachable);
	return {
		at: answers[0]!.status.at,
		engine: down ? {reachable: false, message: down.name ? `engine ${down.name}: ${down.message}` : down.message} : {reachable: true, message: null},
		apps: merged,
		totals: fleetTotals(merged),
		engines,
	};
}
