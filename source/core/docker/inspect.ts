import {engineGet, EngineUnreachableError, SocketRouteError} from './engine.ts';
import {engineSocket} from './transport.ts';
import type {Health} from '../compose/types.ts';
import {runBounded} from '../pool.ts';

/** What `docker inspect` adds to a container's list row. */
export interface ContainerDetails {
	id: string;
	/** The Engine's state (created, running, exited, ...): fresher than a list row taken just before. */
	state: string;
	restartCount: number;
	/** ISO time of the last start, `null` when never started. */
	startedAt: string | null;
	exitCode: number;
	health: Health | null;
	/** The Engine's error for a container that failed to start, else ''. */
	error: string;
}

interface ApiInspect {
	Id: string;
	RestartCount?: number;
	State?: {Status?: string; StartedAt?: string; ExitCode?: number; Error?: string; Health?: {Status?: string}};
}

const NEVER = '0001-01-01T00:00:00Z';

export function detailsFromInspect(raw: ApiInspect): ContainerDetails {
	const state = raw.State ?? {};
	const health = state.Health?.Status;
	return {
		id: raw.Id,
		state: state.Status ?? '',
		restartCount: raw.RestartCount ?? 0,
		startedAt: state.StartedAt && !state.StartedAt.startsWith('0001-') && state.StartedAt !== NEVER ? new Date(state.StartedAt).toISOString() : null,
		exitCode: state.ExitCode ?? 0,
		health: health === 'healthy' || health === 'unhealthy' || health === 'starting' ? health : null,
		error: state.Error ?? '',
	};
}

/** At most this many inspect requests at once: a fleet's first watch query must not open hundreds of sockets. */
const PARALLEL = 8;

/**
 * Inspects containers: over the Engine socket (up to 8 requests of a few ms at once), else one
 * `docker inspect` process for all of them. A container removed meanwhile is simply missing from the result.
 */
export async function inspectContainers(ids: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Map<string, ContainerDetails>> {
	const result = new Map<string, ContainerDetails>();
	if (ids.length === 0) return result;
	const socket = engineSocket(env);
	if (socket) {
		// Stops the pool: the engine is gone, or the socket cannot serve it (then the CLI is asked for all).
		const stop = new AbortController();
		let fallback = false;
		const answers = await runBounded(
			ids,
			PARALLEL,
			async id => {
				try {
					result.set(id, detailsFromInspect(await engineGet<ApiInspect>(socket, `/containers/${encodeURIComponent(id)}/json`)));
				} catch (error) {
					if (error instanceof SocketRouteError) {
						fallback = true;
						stop.abort();
					} else if (error instanceof EngineUnreachableError) {
						stop.abort();
						throw error;
					}
					// Anything else is a 404: the container was removed between list and inspect.
				}
			},
			stop.signal,
		);
		const unreachable = answers.find(a => a?.status === 'rejected');
		if (unreachable) throw (unreachable as PromiseRejectedResult).reason;
		if (!fallback) return result;
	}
	return inspectContainersCli(ids, env);
}

/** One `docker inspect` for all `ids` (the CLI knows tcp://, ssh:// and contexts). */
export async function inspectContainersCli(ids: readonly string[], env: NodeJS.ProcessEnv): Promise<Map<string, ContainerDetails>> {
	const result = new Map<string, ContainerDetails>();
	const {execa} = await import('execa');
	// --type container: an id prefix that also names an image or a volume must not match those.
	const run = await execa('docker', ['inspect', '--type', 'container', ...ids], {reject: false, env, timeout: 10_000});
	// With some ids gone, docker prints the others and fails naming the missing ones.
	if (run.failed && !String(run.stdout).trim().startsWith('[')) {
		if (/No such/i.test(String(run.stderr))) return result;
		throw new EngineUnreachableError(
			String(run.stderr || run.message)
				.split('\n')
				.find(l => l.trim())
				?.trim() ?? 'docker inspect failed',
			run,
		);
	}
	for (const raw of JSON.parse(String(run.stdout) || '[]') as ApiInspect[]) result.set(raw.Id, detailsFromInspect(raw));
	return result;
}
