import {readdirSync} from 'node:fs';
import path from 'node:path';
import {BerthError} from '../errors.ts';
import {engineGet, engineSocket} from './engine.ts';
import {dockerConfigDir, readConfigJson, selectedContext} from './transport.ts';

/**
 * Docker engines as berth sees them: every Docker context (`docker context ls`) is one, with the
 * current context (or DOCKER_HOST) as the default. berth keeps no host list of its own: contexts are
 * made and removed with `docker context create|rm`, and berth follows.
 */
export interface EngineContext {
	/** The context's name; "default" is the DOCKER_HOST / /var/run/docker.sock configuration. */
	name: string;
	/** Where the engine listens: unix://…, tcp://…, ssh://…, npipe://… */
	endpoint: string;
	description: string;
	/** The context docker commands use when none is named (DOCKER_HOST, DOCKER_CONTEXT, config.json). */
	current: boolean;
	/** TLS material (ca/cert/key) is kept with the context: the endpoint is tcp+TLS. */
	tls: boolean;
	/** The folder of that material (ca.pem, cert.pem, key.pem), when there is one. */
	tlsDir?: string;
	/** The context says not to verify the engine's certificate. */
	skipTlsVerify?: boolean;
}

function entries(dir: string): string[] {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}

/** The context docker uses when none is named, as the docker CLI decides it (DOCKER_HOST wins). */
export function currentContextName(env: NodeJS.ProcessEnv = process.env): string {
	if (env['DOCKER_HOST']) return 'default';
	return selectedContext(env) ?? 'default';
}

/**
 * Every Docker context, read from the docker CLI's own store (`~/.docker/contexts/meta/<sha256>/meta.json`,
 * where `docker context create` writes them), default first, then by name. A context whose metadata
 * cannot be read is listed with the problem as its endpoint, not skipped.
 */
export function listEngineContexts(env: NodeJS.ProcessEnv = process.env): EngineContext[] {
	const current = currentContextName(env);
	const dir = dockerConfigDir(env);
	const contexts: EngineContext[] = [
		{
			name: 'default',
			endpoint: env['DOCKER_HOST'] || 'unix:///var/run/docker.sock',
			description: 'DOCKER_HOST or the local socket',
			current: current === 'default',
			tls: Boolean(env['DOCKER_TLS_VERIFY']),
		},
	];
	const metaRoot = path.join(dir, 'contexts', 'meta');
	for (const digest of entries(metaRoot)) {
		const meta = readConfigJson(path.join(metaRoot, digest, 'meta.json'));
		const name = typeof meta?.['Name'] === 'string' ? (meta['Name'] as string) : null;
		if (!name || name === 'default') continue;
		const docker = (meta?.['Endpoints'] as {docker?: {Host?: unknown; SkipTLSVerify?: unknown}} | undefined)?.docker;
		const host = typeof docker?.Host === 'string' ? docker.Host : '';
		const description = String((meta?.['Metadata'] as {Description?: unknown} | undefined)?.Description ?? '');
		const tlsDir = path.join(dir, 'contexts', 'tls', digest, 'docker');
		const tls = entries(tlsDir).length > 0;
		contexts.push({
			name,
			endpoint: host || '(no docker endpoint in this context)',
			description,
			current: current === name,
			tls,
			...(tls ? {tlsDir} : {}),
			skipTlsVerify: docker?.SkipTLSVerify === true,
		});
	}
	return [contexts[0]!, ...contexts.slice(1).sort((a, b) => a.name.localeCompare(b.name))];
}

/**
 * The environment that points docker, compose (v1 and v2) and berth's own Engine calls at one context:
 * DOCKER_CONTEXT names it, and DOCKER_HOST (which would win over it) is dropped. The default context
 * keeps the caller's DOCKER_HOST.
 */
export function contextEnv(name: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	if (name === 'default') {
		const {DOCKER_CONTEXT: _, ...rest} = env;
		return {...rest, DOCKER_CONTEXT: 'default'};
	}
	// DOCKER_HOST present as undefined, not left out: execa adds the caller's environment to the one it is
	// given, and would bring it back (the docker CLI then lets it win over DOCKER_CONTEXT). Node's
	// child_process passes no variable whose value is undefined.
	return {...env, DOCKER_HOST: undefined, DOCKER_CONTEXT: name};
}

/** The docker CLI's own words for a failure: its first line that says something ("Cannot connect to …"). */
function cliProblem(output: string): string {
	const line = output
		.split('\n')
		.map(l => l.trim())
		.find(l => l !== '' && !/^(Client|Server):?$/.test(l) && !l.startsWith('{'));
	return (line ?? 'the docker CLI failed without saying why').replace(/^(ERROR|error):\s*/, '').slice(0, 300);
}

/**
 * The environment that points compose v1 (docker-compose 1.x, Python) at a context. It does not follow
 * DOCKER_CONTEXT reliably: without a config.json beside the contexts it silently uses the default engine
 * (seen with a DOCKER_CONFIG folder made by `docker context create` alone). DOCKER_HOST, with the
 * context's TLS material as DOCKER_CERT_PATH (the same ca.pem / cert.pem / key.pem names), it does follow.
 */
export function contextHostEnv(name: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	if (name === 'default') return contextEnv(name, env);
	const context = resolveEngine(name, env);
	const {DOCKER_CONTEXT: _, DOCKER_TLS_VERIFY: _verify, DOCKER_CERT_PATH: _certs, ...rest} = env;
	return {
		...rest,
		DOCKER_HOST: context.endpoint,
		...(context.tlsDir ? {DOCKER_CERT_PATH: context.tlsDir, ...(context.skipTlsVerify ? {} : {DOCKER_TLS_VERIFY: '1'})} : {}),
	};
}

/** What an engine says about itself, or why it did not answer. */
export type EngineFacts =
	| {reachable: true; version: string; apiVersion: string; cpus: number; memoryBytes: number; containersRunning: number}
	| {reachable: false; problem: string};

interface InfoShape {
	ServerVersion?: string;
	NCPU?: number;
	MemTotal?: number;
	ContainersRunning?: number;
}

/**
 * Asks one engine for its version, API version, CPUs, memory and running containers: over its unix
 * socket when it has one, else through the docker CLI (tcp, TLS and ssh endpoints), within `timeoutMs`.
 */
export async function engineFacts(env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<EngineFacts> {
	const socket = engineSocket(env);
	try {
		let info: InfoShape;
		let apiVersion: string;
		if (socket) {
			const [i, v] = await Promise.all([engineGet<InfoShape>(socket, '/info', timeoutMs), engineGet<{ApiVersion?: string}>(socket, '/version', timeoutMs)]);
			info = i;
			apiVersion = v.ApiVersion ?? '';
		} else {
			// Loaded here: execa is ~140 modules, which `ps` and `ls` (socket only) would load for nothing.
			const {execa} = await import('execa');
			const run = (args: string[]) => execa('docker', args, {env, extendEnv: false, timeout: timeoutMs, reject: false, stdin: 'ignore'});
			const [i, v] = await Promise.all([run(['info', '--format', '{{json .}}']), run(['version', '--format', '{{json .Server}}'])]);
			if (i.timedOut || v.timedOut) return {reachable: false, problem: `no answer within ${Math.round(timeoutMs / 1000)} s`};
			if (i.exitCode !== 0 || !i.stdout.trim().startsWith('{')) return {reachable: false, problem: cliProblem(`${i.stderr}\n${i.stdout}`)};
			info = JSON.parse(i.stdout) as InfoShape;
			apiVersion = v.exitCode === 0 && v.stdout.trim().startsWith('{') ? ((JSON.parse(v.stdout) as {ApiVersion?: string}).ApiVersion ?? '') : '';
			// `docker info` exits 0 with an empty server part when the engine is unreachable (CLI >= 23).
			if (!info.ServerVersion) return {reachable: false, problem: cliProblem(`${i.stderr}\n${i.stdout}`)};
		}
		return {
			reachable: true,
			version: info.ServerVersion ?? '',
			apiVersion,
			cpus: info.NCPU ?? 0,
			memoryBytes: info.MemTotal ?? 0,
			containersRunning: info.ContainersRunning ?? 0,
		};
	} catch (error) {
		return {reachable: false, problem: error instanceof Error ? error.message : String(error)};
	}
}

/**
 * Whether an engine's published ports are this machine's ports: a unix socket or named pipe, or tcp
 * to a loopback address. Only there can berth see which host processes hold a port.
 */
export function isLocalEndpoint(endpoint: string): boolean {
	if (/^(unix|npipe):\/\//.test(endpoint)) return true;
	const host = /^(?:tcp|http|https):\/\/(\[[^\]]+\]|[^:/]+)/.exec(endpoint)?.[1];
	return host !== undefined && (host === 'localhost' || /^127\./.test(host) || host === '[::1]');
}

/** The engine named `name` (a Docker context), or a BerthError naming the engines there are. */
export function resolveEngine(name: string, env: NodeJS.ProcessEnv = process.env): EngineContext {
	const contexts = listEngineContexts(env);
	const found = contexts.find(c => c.name === name);
	if (found) return found;
	throw new BerthError(
		`there is no engine ${JSON.stringify(name)}: engines are Docker contexts, and these exist: ${contexts.map(c => c.name).join(', ')}. Add one with "docker context create ${name} --docker host=tcp://HOST:2375" (or ssh://user@host), or pick one of these.`,
		{code: 'unknown-engine'},
	);
}
