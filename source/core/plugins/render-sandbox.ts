import {spawn, type ChildProcessByStdio} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {createInterface} from 'node:readline';
import type {Readable, Writable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {BerthError} from '../errors.ts';
import type {RenderInput, TemplateRenderer} from '../scaffold/render.ts';
import {TemplateError} from '../scaffold/templates.ts';
import {PACKAGE_JSON, SHARED_TEMPLATES_DIR} from './locations.ts';
import {PluginError} from './plugin-error.ts';
import type {Plugin} from './registry.ts';
import type {RenderFailure, WorkerRequest, WorkerResponse} from './render-protocol.ts';

declare const Deno: {execPath(): string} | undefined;

/** A template tried something lint's sandbox refuses (a write, the network, a subprocess, ...). Nothing happened. */
export class TemplateDeniedError extends TemplateError {
	override name = 'TemplateDeniedError';
	/** What the template tried, e.g. "write /tmp/x". */
	readonly action: string;
	constructor(file: string, line: number | null, action: string, pluginDir: string) {
		const relative = path.relative(pluginDir, file).split(path.sep).join('/');
		super(file, undefined, {line, message: `template ${relative} tried to ${action}: plugins lint renders with no permissions (templates are code: there they may only read the plugin and berth's own files)`});
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

export interface RenderSandbox {
	/** Renders in the sandbox process (started on first use); only templates of the sandbox's plugin. */
	render: TemplateRenderer;
	/** Stops the sandbox process. */
	close(): Promise<void>;
}

const WORKER = new URL(`./render-worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);
const isDeno = typeof Deno !== 'undefined';

/** The folder of the npm package that `specifier` resolves into (read access for the renderer's imports). */
function packageDir(specifier: string): string {
	const file = fileURLToPath(import.meta.resolve(specifier));
	const marker = `${path.sep}node_modules${path.sep}`;
	const start = file.lastIndexOf(marker) + marker.length;
	const parts = file.slice(start).split(path.sep);
	return file.slice(0, start) + parts.slice(0, parts[0]!.startsWith('@') ? 2 : 1).join(path.sep);
}

/** The command that starts the worker with read access to `readable` only, and no other permission. */
export function sandboxCommand(readable: readonly string[]): {command: string; args: string[]; env: Record<string, string>} {
	const worker = fileURLToPath(WORKER);
	if (isDeno) {
		// Deno loads the worker's own modules without read permission; templates get the folders given.
		const env = Object.fromEntries(['HOME', 'DENO_DIR', 'XDG_CACHE_HOME'].flatMap(name => (process.env[name] ? [[name, process.env[name]!]] : [])));
		return {command: Deno!.execPath(), args: ['run', '--quiet', '--no-prompt', `--allow-read=${[...readable, PACKAGE_JSON].join(',')}`, worker], env: {...env, NO_COLOR: '1'}};
	}
	// Node checks module loading too: the worker's code (source/ or dist/ core) and Eta, its one dependency.
	const code = path.resolve(path.dirname(worker), '..');
	const reads = [...readable, code, PACKAGE_JSON, packageDir('eta/core')];
	const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
	const strip = worker.endsWith('.ts') && !process.features.typescript ? ['--experimental-strip-types'] : [];
	// An empty environment: NODE_OPTIONS could otherwise grant permissions back.
	return {command: process.execPath, args: [permission, ...reads.map(dir => `--allow-fs-read=${dir}`), ...strip, '--no-warnings', worker], env: {}};
}

function toError(failure: RenderFailure, pluginDir: string): Error {
	if (failure.kind === 'denied') return new TemplateDeniedError(failure.file, failure.line, failure.message, pluginDir);
	if (failure.kind === 'template') return new TemplateError(failure.file, undefined, {line: failure.line, message: failure.message});
	if (failure.kind === 'plugin') return new PluginError(failure.file, failure.problems ?? [{path: '', message: failure.message}]);
	return new RenderSandboxError(`${failure.file}: rendering failed in lint's sandbox: ${failure.message}`);
}

/**
 * Lint's renderer: templates run in a child process of the current runtime that may read the plugin
 * folder, berth's templates/ and berth's own code, and may not write, use the network, start
 * processes or signal them (Node: --permission plus the worker's own lockdown; Deno: --allow-read only).
 */
export function openRenderSandbox(pluginDir: string, options: {timeoutMs?: number} = {}): RenderSandbox {
	const timeoutMs = options.timeoutMs ?? 30_000;
	const nonce = randomBytes(16).toString('hex');
	let child: ChildProcessByStdio<Writable, Readable, Readable> | null = null;
	let exited: Promise<number | null> | null = null;
	let stderr = '';
	let nextId = 1;
	const waiting = new Map<number, (response: WorkerResponse | Error) => void>();

	const start = () => {
		const {command, args, env} = sandboxCommand([pluginDir, SHARED_TEMPLATES_DIR]);
		const started = spawn(command, args, {env, stdio: ['pipe', 'pipe', 'pipe']});
		child = started;
		started.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr = (stderr + chunk).slice(-4000)));
		started.stdin.on('error', () => {}); // a worker that died is reported by its exit
		createInterface({input: started.stdout, crlfDelay: Infinity}).on('line', line => {
			if (!line.startsWith(`${nonce} `)) return;
			const response = JSON.parse(line.slice(nonce.length + 1)) as WorkerResponse;
			waiting.get(response.id)?.(response);
		});
		exited = new Promise(resolve => {
			const stopped = (code: number | null, error?: Error) => {
				const why = error ? error.message : `exit code ${code}`;
				// The runtime's own message, without stack frames and version banners.
				const said = stderr.split('\n').filter(line => line.trim() && !/^\s+at |^Node\.js v|^\s*\^+\s*$/.test(line)).slice(-3);
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

	const render: TemplateRenderer = async (plugin: Plugin, sources: readonly string[], input: RenderInput) => {
		if (path.resolve(plugin.dir) !== path.resolve(pluginDir)) throw new RenderSandboxError(`this sandbox renders ${pluginDir}, not ${plugin.dir}`);
		if (sources.length === 0) return new Map();
		const worker = child ?? start();
		const id = nextId++;
		const request: WorkerRequest = {id, plugin, sources: [...sources], input};
		const response = await new Promise<WorkerResponse | Error>(resolve => {
			const timer = setTimeout(() => {
				resolve(new RenderSandboxError(`rendering ${pluginDir} took more than ${timeoutMs / 1000} s in lint's sandbox: does a template loop forever?`));
				worker.kill('SIGKILL');
			}, timeoutMs);
			waiting.set(id, result => {
				clearTimeout(timer);
				waiting.delete(id);
				resolve(result);
			});
			worker.stdin.write(`${JSON.stringify(request)}\n`);
		});
		if (response instanceof Error) throw response;
		if (!response.ok) throw toError(response.failure, pluginDir);
		return new Map(Object.entries(response.files));
	};

	return {
		render,
		async close() {
			const running = child;
			if (!running || !exited) return;
			running.stdin.end();
			const timer = setTimeout(() => running.kill('SIGKILL'), 2000);
			await exited;
			clearTimeout(timer);
		},
	};
}
