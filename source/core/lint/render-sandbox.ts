import {spawn, spawnSync, type ChildProcessByStdio} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {accessSync, constants, existsSync} from 'node:fs';
import {lstat, readdir, readlink} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';
import type {Readable, Writable} from 'node:stream';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {BerthError} from '../errors.ts';
import type {RenderInput, TemplateRenderer} from '../scaffold/render.ts';
import {TemplateError} from '../scaffold/templates.ts';
import {TEMPLATE_TIME_LIMIT_MS} from '../plugins/limits.ts';
import {PACKAGE_DIR, PACKAGE_JSON, SHARED_TEMPLATES_DIR} from '../plugins/locations.ts';
import {PluginError} from '../plugins/plugin-error.ts';
import {isDeno, runtime, runtimeExecPath} from '../runtime.ts';
import type {Plugin} from '../plugins/registry.ts';
import type {RenderFailure, WorkerRequest, WorkerResponse} from './render-protocol.ts';

/** A template tried something lint's sandbox refuses (a write, the network, a subprocess, ...). Nothing happened. */
export class TemplateDeniedError extends TemplateError {
	override name = 'TemplateDeniedError';
	/** What the template tried, e.g. "write /tmp/x". */
	readonly action: string;
	constructor(file: string, line: number | null, action: string, pluginDir: string) {
		const relative = path.relative(pluginDir, file).split(path.sep).join('/');
		super(file, undefined, {
			line,
			message: `template ${relative} tried to ${action}: plugins lint renders with no permissions (templates are code: there they may only read the plugin and berth's own files)`,
		});
		this.action = action;
	}
}

/** The sandboxed renderer could not do its job (did not start, stopped, timed out). */
export class RenderSandboxError extends BerthError {
	override name = 'RenderSandboxError';
	constructor(message: string, cause?: unknown) {
		super(message, {code: 'render-sandbox', cause});
	}
}

/** lint's signal was aborted (Ctrl-C, SIGTERM): the renderer was killed, nothing more is rendered. */
export class LintInterruptedError extends BerthError {
	override name = 'LintInterruptedError';
	constructor() {
		super('plugins lint was interrupted: its template renderer was stopped, and its temporary folder removed', {code: 'interrupted'});
	}
}

/** The runtime lint's templates run in, and whether it keeps them off the network. */
export interface SandboxRuntime {
	name: 'deno' | 'node';
	/** Its executable. */
	command: string;
	version: string;
	/**
	 * Whether the runtime's own permissions refuse network and sockets to templates: Deno always; Node
	 * only from 25 (--permission without --allow-net). Node 24 has no network permission: there the
	 * renderer can only take the obvious ways to the network away (sandbox-lockdown.ts), not all of them.
	 */
	networkRefused: boolean;
}

export interface RenderSandbox {
	/** Renders in the sandbox process (started on first use); only templates of the sandbox's plugin. */
	render: TemplateRenderer;
	/** Compiles every template of the plugin in the sandbox process, rendering none: a PluginError for one that does not compile. */
	check(plugin: Plugin): Promise<void>;
	/** What runs the templates. */
	runtime: SandboxRuntime;
	/** Stops the sandbox process. */
	close(): Promise<void>;
}

const WORKER = new URL(`./render-worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);
/** Where `npm test` and bin/berth.js install Deno when PATH lacks it (scripts/tools.mjs). */
export const TOOLS_DENO = path.join(PACKAGE_DIR, '.tools', 'deno', 'node_modules', '.bin', 'deno');

const denoVersions = new Map<string, string | null>();
function denoVersion(command: string): string | null {
	if (!denoVersions.has(command)) {
		let version: string | null = null;
		try {
			accessSync(command, constants.X_OK);
			const run = spawnSync(command, ['--version'], {encoding: 'utf8', timeout: 15_000, env: {NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'ignore']});
			const match = /^deno (\d+)\.(\d+)\.(\d+)/.exec(run.stdout ?? '');
			if (match && Number(match[1]) >= 2) version = `${match[1]}.${match[2]}.${match[3]}`;
		} catch {}
		denoVersions.set(command, version);
	}
	return denoVersions.get(command)!;
}

/** A Deno >= 2 to render with under Node: the first on `PATH` (absolute entries only), else berth's .tools/ one. */
export function findDeno(env: NodeJS.ProcessEnv = process.env): {command: string; version: string} | null {
	const name = process.platform === 'win32' ? 'deno.exe' : 'deno';
	const candidates = (env['PATH'] ?? '')
		.split(path.delimiter)
		.filter(dir => path.isAbsolute(dir))
		.map(dir => path.join(dir, name));
	for (const command of [...candidates, TOOLS_DENO]) {
		const version = denoVersion(command);
		if (version) return {command, version};
	}
	return null;
}

/**
 * The runtime lint renders in: under Deno, Deno; under Node, a Deno when one is found (`deno`: its
 * path, or null for none; default: findDeno()), because Deno's permissions refuse the network and
 * Node 24's do not; else this Node.
 */
export function sandboxRuntime(deno?: string | null): SandboxRuntime {
	if (isDeno) return {name: 'deno', command: runtimeExecPath(), version: runtime.version, networkRefused: true};
	const found = deno === undefined ? findDeno() : deno === null ? null : (v => (v ? {command: deno, version: v} : null))(denoVersion(deno));
	if (found) return {name: 'deno', ...found, networkRefused: true};
	// Node >= 25: --permission refuses the network unless --allow-net is given (checked in its C++ layer).
	return {name: 'node', command: process.execPath, version: process.versions.node, networkRefused: process.allowedNodeEnvironmentFlags.has('--allow-net')};
}

/**
 * The file of a package's entry (`eta/core`, `eta/package.json`) as berth's own resolver finds it. Through
 * require's resolver, not import.meta.resolve: this module is also part of Node's commands' bundle, a
 * CommonJS file (scripts/bundle.mjs). Eta's entries are the same files for import and require.
 */
function resolvePackage(specifier: string): string {
	return createRequire(import.meta.url).resolve(specifier);
}

/**
 * The folders of the npm package `name` as the worker's resolver finds it: the first
 * node_modules/<name> above the worker (the path itself, which may be a link: the worker runs with
 * --preserve-symlinks, as Node's permission checks the path it reads, not the link's target), and
 * the real folder it resolves to here.
 */
function packageDirs(name: string, from: string): string[] {
	const real = path.dirname(resolvePackage(`${name}/package.json`));
	for (let dir = from; ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'node_modules', name);
		if (existsSync(candidate)) return candidate === real ? [real] : [candidate, real];
		if (path.dirname(dir) === dir) return [real];
	}
}

/** The command that starts the worker in `runtime` with read access to `readable` only, and no other permission. */
export function sandboxCommand(
	readable: readonly string[],
	runtime: SandboxRuntime = sandboxRuntime(),
): {command: string; args: string[]; env: Record<string, string>} {
	const worker = fileURLToPath(WORKER);
	const withComma = readable.find(dir => dir.includes(','));
	// Deno's --allow-read is a comma-separated list: such a path would grant read access to other paths.
	if (withComma)
		throw new RenderSandboxError(
			`${withComma}: lint's sandbox cannot render a plugin whose path holds a comma (it could not grant read access to exactly that folder): rename or move it`,
		);
	if (runtime.name === 'deno') {
		// Deno loads the worker's own modules without read permission; templates get the folders given.
		// --no-config: a deno.json of the working directory must not change the worker (imports, flags);
		// Eta, the worker's one dependency, is mapped to the file this berth uses.
		const env = Object.fromEntries(['HOME', 'DENO_DIR', 'XDG_CACHE_HOME'].flatMap(name => (process.env[name] ? [[name, process.env[name]!]] : [])));
		const importMap = `data:application/json,${encodeURIComponent(JSON.stringify({imports: {'eta/core': pathToFileURL(resolvePackage('eta/core')).href}}))}`;
		const args = [
			'run',
			'--quiet',
			'--no-prompt',
			'--no-config',
			'--no-remote',
			'--no-npm',
			`--import-map=${importMap}`,
			`--allow-read=${[...readable, PACKAGE_JSON].join(',')}`,
			worker,
		];
		return {command: runtime.command, args, env: {...env, NO_COLOR: '1'}};
	}
	// Node checks module loading too: the worker's code (source/ or dist/ core) and Eta, its one dependency.
	const code = path.resolve(path.dirname(worker), '..');
	const reads = [...readable, code, PACKAGE_JSON, ...packageDirs('eta', path.dirname(worker))];
	const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
	const strip = worker.endsWith('.ts') && !process.features.typescript ? ['--experimental-strip-types'] : [];
	// An empty environment: NODE_OPTIONS could otherwise grant permissions back. No --allow-net (Node >= 25).
	return {
		command: process.execPath,
		args: [permission, ...reads.map(dir => `--allow-fs-read=${dir}`), '--preserve-symlinks', ...strip, '--no-warnings', worker],
		env: {},
	};
}

/**
 * Refuses a plugin folder holding a symbolic link anywhere: the runtimes' read permissions follow
 * links, so a link could let a template read any file. (files/ is refused by compilePlugin too.)
 */
export async function refuseSymlinks(pluginDir: string): Promise<void> {
	const walk = async (dir: string): Promise<void> => {
		for (const entry of await readdir(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			const stat = await lstat(full);
			if (stat.isSymbolicLink()) {
				const target = await readlink(full).catch(() => '?');
				throw new PluginError(full, [
					{
						path: '',
						message: `is a symbolic link (to ${target}): a plugin may hold no symbolic links (lint refuses them: a template could read what one points to)`,
					},
				]);
			}
			if (stat.isDirectory()) await walk(full);
		}
	};
	await walk(pluginDir);
}

function toError(failure: RenderFailure, pluginDir: string): Error {
	if (failure.kind === 'denied') return new TemplateDeniedError(failure.file, failure.line, failure.message, pluginDir);
	if (failure.kind === 'template') return new TemplateError(failure.file, undefined, {line: failure.line, message: failure.message});
	if (failure.kind === 'plugin') return new PluginError(failure.file, failure.problems ?? [{path: '', message: failure.message}]);
	return new RenderSandboxError(`${failure.file}: rendering failed in lint's sandbox: ${failure.message}`);
}

/**
 * Reads the worker's stdout (pass it each chunk): replies are "\n<nonce> <JSON>\n"; whatever a template
 * printed around them is skipped, and kept only as far as a nonce could start in it (a template that
 * prints endlessly without a newline cannot fill the memory). A reply that is not JSON, or too long,
 * is `broken` (the worker is then no longer to be trusted).
 */
export function replyReader(nonce: string, reply: (response: WorkerResponse) => void, broken: (error: RenderSandboxError) => void): (chunk: string) => void {
	const marker = `${nonce} `;
	let pending = '';
	let failed = false;
	const fail = (error: RenderSandboxError) => {
		failed = true;
		pending = '';
		broken(error);
	};
	return chunk => {
		if (failed) return;
		pending += chunk;
		for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
			const line = pending.slice(0, newline);
			pending = pending.slice(newline + 1);
			const at = line.indexOf(marker);
			if (at === -1) continue;
			let response: WorkerResponse;
			try {
				response = JSON.parse(line.slice(at + marker.length)) as WorkerResponse;
				if (typeof response?.id !== 'number') throw new Error('no request id');
			} catch (error) {
				return fail(
					new RenderSandboxError(
						`lint's template renderer sent an unreadable reply (${error instanceof Error ? error.message : String(error)}): was it tampered with by a template?`,
						error,
					),
				);
			}
			reply(response);
		}
		const at = pending.indexOf(marker);
		if (at === -1) pending = pending.slice(-marker.length);
		else if (pending.length - at > MAX_REPLY) fail(new RenderSandboxError(`lint's template renderer sent a reply longer than ${MAX_REPLY / 1024 / 1024} MB`));
	};
}

/** The longest reply line kept (a reply holds rendered files); a longer one is a sandbox failure. */
const MAX_REPLY = 64 * 1024 * 1024;

/**
 * Lint's renderer: templates run in a child process (sandboxRuntime(): Deno when available) that may
 * read the plugin folder, berth's templates/ and berth's own code, and may not write, start processes
 * or signal them, nor — on Deno and Node >= 25 — use the network (Node 24: see SandboxRuntime).
 */
export function openRenderSandbox(pluginDir: string, options: {timeoutMs?: number; deno?: string | null; signal?: AbortSignal} = {}): RenderSandbox {
	const timeoutMs = options.timeoutMs ?? TEMPLATE_TIME_LIMIT_MS;
	const startupMs = Math.max(timeoutMs, 30_000);
	const runtime = sandboxRuntime(options.deno);
	// Checked now (e.g. a comma in the path), used at each start.
	const {command, args, env} = sandboxCommand([pluginDir, SHARED_TEMPLATES_DIR], runtime);
	const nonce = randomBytes(16).toString('hex');
	let child: ChildProcessByStdio<Writable, Readable, Readable> | null = null;
	let exited: Promise<number | null> | null = null;
	let checked: Promise<void> | null = null;
	let stderr = '';
	let nextId = 1;
	const waiting = new Map<number, (response: WorkerResponse | Error) => void>();
	// Ctrl-C: the renderer goes at once, whether or not it is rendering (a pending request also ends, below).
	const killOnAbort = () => void child?.kill('SIGKILL');
	options.signal?.addEventListener('abort', killOnAbort, {once: true});
	// berth leaving by process.exit (the CLI's hard exit after a signal, an uncaught error) takes the
	// renderer with it: a looping template would otherwise keep an orphan busy for ever.
	process.on('exit', killOnAbort);

	const fail = (started: ChildProcessByStdio<Writable, Readable, Readable>, error: RenderSandboxError) => {
		for (const reject of waiting.values()) reject(error);
		waiting.clear();
		started.kill('SIGKILL');
	};

	const start = () => {
		const started = spawn(command, args, {env, stdio: ['pipe', 'pipe', 'pipe']});
		child = started;
		started.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr = (stderr + chunk).slice(-4000);
		});
		started.stdin.on('error', () => {}); // a worker that died is reported by its exit
		started.stdout.setEncoding('utf8').on(
			'data',
			replyReader(
				nonce,
				response => {
					const reply = waiting.get(response.id);
					if (!reply) return fail(started, new RenderSandboxError(`lint's template renderer sent a reply to no request: was it tampered with by a template?`));
					reply(response);
				},
				error => fail(started, error),
			),
		);
		exited = new Promise(resolve => {
			const stopped = (code: number | null, error?: Error) => {
				const why = error ? error.message : `exit code ${code}`;
				// The runtime's own message, without stack frames and version banners.
				const said = stderr
					.split('\n')
					.filter(line => line.trim() && !/^\s+at |^Node\.js v|^\s*\^+\s*$/.test(line))
					.slice(-3);
				const tail = said.length > 0 ? `: ${said.join('\n')}` : '';
				for (const reject of waiting.values()) reject(new RenderSandboxError(`lint's template renderer (${command}) stopped (${why})${tail}`, error));
				waiting.clear();
				// The next render starts a new renderer (a template that exits spoils only its own request).
				if (child === started) child = null;
				stderr = '';
				resolve(code);
			};
			started.on('error', error => stopped(null, error));
			started.on('exit', code => stopped(code));
		});
		started.stdin.write(`${nonce}\n`);
		return started;
	};

	/** One request to the worker: compile the plugin's templates, then render `sources`, each within the time limit. */
	const request = async (plugin: Plugin, sources: readonly string[], input: RenderInput): Promise<Map<string, string>> => {
		if (path.resolve(plugin.dir) !== path.resolve(pluginDir)) throw new RenderSandboxError(`this sandbox renders ${pluginDir}, not ${plugin.dir}`);
		if (options.signal?.aborted) throw new LintInterruptedError();
		checked ??= refuseSymlinks(pluginDir);
		await checked;
		const worker = child ?? start();
		const id = nextId++;
		const message: WorkerRequest = {id, plugin, sources: [...sources], input};
		const response = await new Promise<WorkerResponse | Error>(resolve => {
			let timer: ReturnType<typeof setTimeout> | undefined;
			const finish = (result: WorkerResponse | Error) => {
				clearTimeout(timer);
				waiting.delete(id);
				options.signal?.removeEventListener('abort', interrupt);
				resolve(result);
			};
			const stop = (error: Error) => {
				finish(error);
				worker.kill('SIGKILL');
			};
			const interrupt = () => stop(new LintInterruptedError());
			const limit = (ms: number, error: () => Error) => {
				clearTimeout(timer);
				timer = setTimeout(() => stop(error()), ms);
			};
			// Until the worker says which template it works on: its start (a few hundred ms; more on a loaded machine).
			limit(startupMs, () => new RenderSandboxError(`lint's template renderer for ${pluginDir} did not get to work within ${startupMs / 1000} s`));
			options.signal?.addEventListener('abort', interrupt, {once: true});
			waiting.set(id, result => {
				if (result instanceof Error || !('working' in result)) return finish(result);
				const {file, step} = result.working;
				const name = path
					.relative(file.startsWith(pluginDir) ? pluginDir : PACKAGE_DIR, file)
					.split(path.sep)
					.join('/');
				const why = step === 'compile' ? 'is it too large?' : 'does a template loop forever?';
				limit(
					timeoutMs,
					() =>
						new TemplateError(file, undefined, {
							line: null,
							message: `${step === 'compile' ? 'compiling' : 'rendering'} ${name} took more than ${timeoutMs / 1000} s in lint's sandbox: ${why}`,
						}),
				);
			});
			worker.stdin.write(`${JSON.stringify(message)}\n`);
		});
		if (response instanceof Error) throw response;
		if ('working' in response) throw new RenderSandboxError('unreachable: a progress message ended a request');
		if (!response.ok) throw toError(response.failure, pluginDir);
		return new Map(Object.entries(response.files));
	};

	const render: TemplateRenderer = async (plugin, sources, input) => (sources.length === 0 ? new Map() : request(plugin, sources, input));

	return {
		render,
		async check(plugin) {
			await request(plugin, [], {app: {model: 'lint-sample', number: 1}, projectName: 'lint-sample-app1', ports: {}, answers: {}});
		},
		runtime,
		async close() {
			options.signal?.removeEventListener('abort', killOnAbort);
			process.off('exit', killOnAbort);
			const running = child;
			if (!running || !exited) return;
			if (options.signal?.aborted) running.kill('SIGKILL');
			running.stdin.end();
			const timer = setTimeout(() => running.kill('SIGKILL'), 2000);
			await exited;
			clearTimeout(timer);
		},
	};
}
