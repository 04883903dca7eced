import {accessSync, constants, readFileSync, statSync} from 'node:fs';
import {mkdir, rename, unlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {dockerConfigDir} from '../docker/transport.ts';

export interface ComposeBinary {
	/** v2: the `docker compose` plugin; v1: the standalone `docker-compose`. */
	flavour: 'v2' | 'v1';
	/** e.g. "2.29.1"; empty when found by `findCompose` without asking the (slow) v1 binary. */
	version: string;
	/** The command and its leading arguments, e.g. ["docker", "compose"]. */
	command: [string, ...string[]];
}

export interface ComposeDetection {
	v2: ComposeBinary | null;
	v1: ComposeBinary | null;
	/** What berth uses: v2 when present, else v1, else `null`. */
	selected: ComposeBinary | null;
}

async function versionOf(command: [string, ...string[]], env: NodeJS.ProcessEnv): Promise<string | null> {
	const [file, ...args] = command;
	// Loaded here: execa is ~140 modules, which `ls` on a warm cache (nothing to run) would load for nothing.
	const {execa} = await import('execa');
	const result = await execa(file, [...args, 'version', '--short'], {reject: false, env, timeout: 30_000});
	if (result.failed || result.exitCode !== 0) return null;
	const text = String(result.stdout).trim();
	// `docker compose` without the plugin prints docker's own help and fails; a version is digits.
	return /^v?\d+\.\d+/.test(text) ? text.replace(/^v/, '') : null;
}

/** Detects compose v2 (`docker compose`) and v1 (`docker-compose`); v2 is preferred. */
export async function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeDetection> {
	const [v2version, v1version] = await Promise.all([versionOf(['docker', 'compose'], env), versionOf(['docker-compose'], env)]);
	const v2: ComposeBinary | null = v2version ? {flavour: 'v2', version: v2version, command: ['docker', 'compose']} : null;
	const v1: ComposeBinary | null = v1version ? {flavour: 'v1', version: v1version, command: ['docker-compose']} : null;
	return {v2, v1, selected: v2 ?? v1};
}

/**
 * The binary berth uses: BERTH_COMPOSE=v1|v2 forces one (when present), else v2 when present, else v1,
 * else `null`.
 */
export function selectCompose(detection: ComposeDetection, env: NodeJS.ProcessEnv = process.env): ComposeBinary | null {
	const forced = env['BERTH_COMPOSE'];
	if (forced === 'v1' || forced === 'v2') return detection[forced];
	return detection.selected;
}

/**
 * Where `file` is on PATH (executable), or `null`. Synchronous: a dozen PATH folders, each an access()
 * that would otherwise be a thread-pool round trip one after the other, behind whatever the command
 * does meanwhile (`ls` looks while it scans the apps root).
 */
function onPath(file: string, env: NodeJS.ProcessEnv): string | null {
	for (const dir of (env['PATH'] ?? '').split(path.delimiter).filter(Boolean)) {
		const candidate = path.join(dir, file);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// not here
		}
	}
	return null;
}

/**
 * The binary berth uses, found cheaply for one-shot commands: asks `docker compose` (a Go binary, a few
 * ms) and, only when that is missing, looks for `docker-compose` on PATH without running it (v1 is a
 * Python program that takes most of a second to print its version). Same choice as
 * `selectCompose(await detectCompose())`, with `version` empty for v1.
 */
export async function findCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeBinary | null> {
	const forced = env['BERTH_COMPOSE'];
	if (forced !== 'v1') {
		const version = await versionOf(['docker', 'compose'], env);
		if (version) return {flavour: 'v2', version, command: ['docker', 'compose']};
		if (forced === 'v2') return null;
	}
	return onPath('docker-compose', env) ? {flavour: 'v1', version: '', command: ['docker-compose']} : null;
}

/**
 * The binary berth uses, with its version, asking only that one: the same choice as
 * `selectCompose(await detectCompose())`, but v1 is run for its version (a Python program, most of a
 * second of CPU) only when it is the one in use. `null` when there is none, or v1 does not answer.
 */
export async function composeInUse(env: NodeJS.ProcessEnv = process.env): Promise<ComposeBinary | null> {
	const found = await findCompose(env);
	if (found?.flavour !== 'v1') return found;
	const version = await versionOf(found.command, env);
	return version ? {...found, version} : null;
}

/**
 * Where the docker CLI looks for the compose plugin (cli-plugins/manager, Unix): the user's folder,
 * then the system's. `null` when its config names folders of its own (`cliPluginsExtraDirs`): then only
 * running `docker compose` says which plugin it uses.
 */
function pluginDirs(env: NodeJS.ProcessEnv): string[] | null {
	const config = dockerConfigDir(env);
	try {
		if ('cliPluginsExtraDirs' in (JSON.parse(readFileSync(path.join(config, 'config.json'), 'utf8')) as object)) return null;
	} catch {
		// no config, or not JSON: the docker CLI uses its defaults
	}
	const system = [
		'/usr/local/lib/docker/cli-plugins',
		'/usr/local/libexec/docker/cli-plugins',
		'/usr/lib/docker/cli-plugins',
		'/usr/libexec/docker/cli-plugins',
	];
	return [path.join(config, 'cli-plugins'), ...system];
}

/**
 * A file as it is on disk now (path, size, modification time in whole ms: Deno gives no finer, and a
 * Node and a Deno berth on one machine must agree), or `null` when it is not there.
 */
function fingerprint(file: string): string | null {
	try {
		const info = statSync(file);
		return info.isFile() ? `${file} ${info.size} ${Math.floor(info.mtimeMs)}` : null;
	} catch {
		return null;
	}
}

/** The `docker` on PATH and the compose plugin it runs, as they are on disk now; `null` when unsure. */
function composePluginIdentity(env: NodeJS.ProcessEnv): string | null {
	const docker = onPath('docker', env);
	const dirs = pluginDirs(env);
	if (!docker || !dirs) return null;
	for (const dir of dirs) {
		const plugin = fingerprint(path.join(dir, 'docker-compose'));
		if (plugin) {
			const cli = fingerprint(docker);
			return cli ? `${cli}\n${plugin}` : null;
		}
	}
	return null;
}

/** Where compose v2's version is remembered (findComposeRemembered), beside the store. */
export function composeVersionFile(storeFile: string): string {
	return path.join(path.dirname(storeFile), 'compose-version.json');
}

/**
 * `findCompose`, remembering v2's answer in `cacheFile`: while the `docker` on PATH and its compose
 * plugin are the same files as when `docker compose version` last answered (path, size, modification
 * time), that answer is used without running it again. Running it starts the docker CLI and the plugin
 * (two Go programs, 50-200 ms), which every `berth up|stop|restart|down` would otherwise wait for; an
 * upgrade, another docker first on PATH or a plugin folder of the user's own asks again.
 */
export async function findComposeRemembered(env: NodeJS.ProcessEnv, cacheFile: string): Promise<ComposeBinary | null> {
	const identity = env['BERTH_COMPOSE'] === 'v1' ? null : composePluginIdentity(env);
	if (identity) {
		try {
			const remembered = JSON.parse(readFileSync(cacheFile, 'utf8')) as {identity?: unknown; version?: unknown};
			if (remembered.identity === identity && typeof remembered.version === 'string' && /^\d+\.\d+/.test(remembered.version)) {
				return {flavour: 'v2', version: remembered.version, command: ['docker', 'compose']};
			}
		} catch {
			// not remembered yet, or unreadable: ask
		}
	}
	const found = await findCompose(env);
	if (identity && found?.flavour === 'v2') await writeAtomically(cacheFile, JSON.stringify({identity, version: found.version}));
	return found;
}

/**
 * `composeInUse`, remembering v2's answer in `cacheFile` as `findComposeRemembered` does: the TUI's
 * header names the version without starting the docker CLI and the plugin at every launch (two Go
 * programs competing with the first frame for the CPU). v1 is still asked when it is the one in use.
 */
export async function composeInUseRemembered(env: NodeJS.ProcessEnv, cacheFile: string): Promise<ComposeBinary | null> {
	const found = await findComposeRemembered(env, cacheFile);
	if (found?.flavour !== 'v1') return found;
	const version = await versionOf(found.command, env);
	return version ? {...found, version} : null;
}

/** Written to a unique temporary file, then renamed: a reader never sees half of it. A cache that cannot be written only costs time. */
async function writeAtomically(file: string, text: string): Promise<void> {
	const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
	try {
		await mkdir(path.dirname(file), {recursive: true});
		await writeFile(temp, text, {mode: 0o600});
		await rename(temp, file);
	} catch {
		await unlink(temp).catch(() => {});
	}
}
