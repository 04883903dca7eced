import {readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {BerthError} from '../errors.ts';
import {nodeCrypto} from '../node-crypto.ts';

/** The environment variable that forces how berth reaches the Engine. */
export const TRANSPORT_ENV = 'BERTH_DOCKER_TRANSPORT';

/**
 * How berth reaches the Engine: `auto` (default) talks HTTP to its unix socket when there is one and
 * runs the docker CLI otherwise; `cli` always runs the docker CLI (`docker ps`, `docker inspect`,
 * `docker events`), as for a tcp:// or ssh:// engine. Throws a BerthError for any other value.
 */
export function dockerTransport(env: NodeJS.ProcessEnv = process.env): 'auto' | 'cli' {
	const value = (env[TRANSPORT_ENV] ?? '').trim().toLowerCase();
	if (value === '' || value === 'auto') return 'auto';
	if (value === 'cli') return 'cli';
	throw new BerthError(
		`${TRANSPORT_ENV}=${JSON.stringify(env[TRANSPORT_ENV])} is not a transport berth knows: use "cli" (always the docker CLI) or "auto" (the Engine's unix socket when there is one), or unset it.`,
		{code: 'bad-transport'},
	);
}

/** The docker CLI's configuration folder: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
	return env['DOCKER_CONFIG'] || path.join(env['HOME'] || os.homedir(), '.docker');
}

/** A JSON object file of the docker CLI's configuration, or null when there is none (or it is not one). */
export function readConfigJson(file: string): Record<string, unknown> | null {
	try {
		const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
		return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
	} catch {
		// No file or an unreadable one: the docker CLI would use the default context too (or fail itself).
		return null;
	}
}

/**
 * The context the user selected, as the docker CLI reads it: DOCKER_CONTEXT, else `currentContext` of
 * the CLI's config.json; `null` when neither names one. (DOCKER_HOST, which wins over both, is the
 * caller's to check: contexts.ts currentContextName.)
 */
export function selectedContext(env: NodeJS.ProcessEnv = process.env): string | null {
	const name = env['DOCKER_CONTEXT'] || readConfigJson(path.join(dockerConfigDir(env), 'config.json'))?.['currentContext'];
	return typeof name === 'string' && name !== '' ? name : null;
}

/**
 * The docker endpoint of the active docker context, as the docker CLI resolves it: DOCKER_CONTEXT, else
 * `currentContext` of the CLI's config.json. `null` for the default context (or when the context's
 * metadata cannot be read), else its `Host` (e.g. "unix:///home/me/.docker/desktop/docker.sock",
 * "ssh://me@box", "tcp://10.0.0.5:2376").
 */
export function contextHost(env: NodeJS.ProcessEnv = process.env): string | null {
	const config = dockerConfigDir(env);
	const name = selectedContext(env);
	if (name === null || name === 'default') return null;
	// The CLI keeps a context's metadata under the SHA-256 of its name.
	const digest = nodeCrypto().createHash('sha256').update(name).digest('hex');
	const meta = readConfigJson(path.join(config, 'contexts', 'meta', digest, 'meta.json')) as {Endpoints?: {docker?: {Host?: unknown}}} | null;
	const host = meta?.Endpoints?.docker?.Host;
	// A context berth cannot read still points somewhere else than the default socket: say "not a socket".
	return typeof host === 'string' && host ? host : `context:${name}`;
}

/**
 * The unix socket berth talks HTTP to, or `null` to go through the docker CLI (which knows tcp://,
 * ssh:// and TLS). Follows the docker CLI's order: DOCKER_HOST, then the active docker context, then
 * /var/run/docker.sock. BERTH_DOCKER_TRANSPORT=cli forces the CLI.
 */
export function engineSocket(env: NodeJS.ProcessEnv = process.env): string | null {
	if (dockerTransport(env) === 'cli') return null;
	const host = env['DOCKER_HOST'] || contextHost(env);
	if (!host) return '/var/run/docker.sock';
	if (host.startsWith('unix://')) return host.slice('unix://'.length);
	return null;
}
