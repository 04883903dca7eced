import {BerthError} from '../errors.ts';
import {contextEnv, contextHostEnv, currentContextName, isLocalEndpoint, resolveEngine} from '../docker/contexts.ts';
import {composeInUse, composeInUseRemembered, composeVersionFile, findCompose, findComposeRemembered, type ComposeBinary} from './detect.ts';
import {spawn} from 'node:child_process';
import {composeCall, commandLine, type CallOptions, type ComposeCall} from './args.ts';
import {composeError, explainingLine} from './errors.ts';
import {EngineUnreachableError, isEngineUnreachable} from '../docker/engine.ts';
import {LineSplitter, Ring} from './lines.ts';
import {actOnOrphanProject} from './orphan.ts';
import {composeFilesFor} from './files.ts';
import {modelCacheDir} from './model-load.ts';
import type {ActionName, ActionOptions, ActionResult, ComposeClient, ComposeTarget, OutputLine} from './types.ts';

/**
 * The environment of every docker and compose call for an app: its engine's Docker context (recorded
 * with its allocation); the caller's own for an app placed nowhere yet (the current context).
 */
export function engineEnvOf(target: Pick<ComposeTarget, 'engine'>, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	return target.engine ? contextEnv(target.engine, env) : env;
}

/** The environment of a compose child for the app: compose v1 is pointed at the engine by DOCKER_HOST (contextHostEnv). */
function composeEnvOf(binary: ComposeBinary, target: Pick<ComposeTarget, 'engine'>, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	return target.engine && binary.flavour === 'v1' ? contextHostEnv(target.engine, env) : engineEnvOf(target, env);
}

/** The engine an app runs on: its placement, else the current context. */
function engineName(target: Pick<ComposeTarget, 'engine'>, env: NodeJS.ProcessEnv): string {
	return target.engine ?? currentContextName(env);
}

/**
 * The Engine refusing a published port: "Bind for 127.0.0.1:5001 failed: port is already allocated" (a
 * container of its own holds it) or "listen tcp4 127.0.0.1:5001: bind: address already in use" (a
 * process of that host does). `null` for any other failure.
 */
export function bindFailure(output: string): {port: number; line: string} | null {
	const match =
		/Bind for \S*?:(\d+) failed: port is already allocated/.exec(output) ?? /listen (?:tcp|udp)[46]? \S*?:(\d+): bind: address already in use/.exec(output);
	return match ? {port: Number(match[1]), line: match[0]} : null;
}

/** What to do about a port the app's engine refused: a remote engine's own processes are out of berth's sight. */
function bindHint(target: Pick<ComposeTarget, 'engine' | 'id'>, env: NodeJS.ProcessEnv, port: number): string {
	const name = engineName(target, env);
	let remote = false;
	try {
		remote = !isLocalEndpoint(resolveEngine(name, env).endpoint);
	} catch {
		// an engine that is no longer a context: say no more than the port and its name
	}
	return remote
		? `, another machine whose own processes berth cannot see from here: stop what holds ${port} there, or move the app with "berth move ${target.id} --to NAME"`
		: `: "berth ports check" names who holds it`;
}

/** " on engine NAME" when the app runs elsewhere than the current context, for messages. */
function onEngine(target: Pick<ComposeTarget, 'engine'>, env: NodeJS.ProcessEnv): string {
	return target.engine && target.engine !== currentContextName(env) ? ` on engine ${target.engine}` : '';
}

/**
 * The pre-flight's probe for the app's engine: a local engine's ports are this machine's, so host binds
 * are checked; a remote engine's host processes cannot be seen from here (its containers' published
 * ports still are, and compose's bind failure is named with the engine).
 */
async function checkPorts(binary: ComposeBinary, target: ComposeTarget, env: NodeJS.ProcessEnv, cacheDir: string | null): Promise<void> {
	// Loaded when used: stop, restart and down check no ports.
	const {hostProbe, preflight} = await import('./preflight.ts');
	const engineEnv = engineEnvOf(target, env);
	const probe = hostProbe(binary, engineEnv, cacheDir);
	if (!target.engine) return preflight(target, probe);
	const context = resolveEngine(target.engine, env);
	return preflight(target, isLocalEndpoint(context.endpoint) ? probe : {...probe, isBound: async () => false});
}

/**
 * Runs one compose call (the command line `commandLine(call)` gives, in the call's folder and
 * environment), handing each chunk of output to `onChunk` as it comes. Ends when compose has exited and
 * its output is read: `null` on exit code 0, else what `composeError()` reads (`{exitCode}`, `null` when
 * a signal ended it; the spawn error when it could not start). Not the docker-compose package's
 * `execCompose`: that resolves on a fixed 500 ms timer after the child exits, which every action
 * would wait for. Nor execa: loading it (~140 modules) costs every action more than this takes. Nothing
 * is buffered here: berth keeps the lines it needs (onLine, the stderr tail).
 */
function runCall(call: ComposeCall, command: string[], onChunk: (source: OutputLine['stream'], chunk: Uint8Array) => void): Promise<unknown> {
	const [file, ...args] = command as [string, ...string[]];
	return new Promise(resolve => {
		// The call's environment is complete (the caller's, the engine's, BERTH_PORT_*), as the package passed
		// it. Like the package's child, not killed when berth ends: Ctrl-C reaches compose from the terminal.
		const child = spawn(file, args, {cwd: call.options.cwd, env: call.options.env, stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.on('data', (chunk: Uint8Array) => onChunk('stdout', chunk));
		child.stderr.on('data', (chunk: Uint8Array) => onChunk('stderr', chunk));
		child.once('error', resolve);
		// 'close': compose has exited and both streams are read to their end.
		child.once('close', (code: number | null) => resolve(code === 0 ? null : {exitCode: code}));
	});
}

export interface ClientOptions {
	env?: NodeJS.ProcessEnv;
	/** Use this binary instead of detecting one. */
	binary?: ComposeBinary;
	/** Find the binary without running v1 for its version (one-shot commands): `binary.version` may be ''. */
	fast?: boolean;
	/**
	 * The port store: beside it berth remembers compose's version (`fast`: not asked again while the
	 * docker CLI and plugin files are unchanged) and app models (the pre-flight of `up` reads an
	 * unchanged app's model from there instead of running compose `config`).
	 */
	storeFile?: string;
}

export {composeVersionFile};

/** An app without a compose file: what every compose action of it says. */
export function noComposeFileError(target: Pick<ComposeTarget, 'id' | 'path'>): BerthError {
	return new BerthError(
		`${target.id} has no compose file in ${target.path} (compose.yaml, docker-compose.yml, ...). Scaffold it with "berth new" or "berth backfill".`,
		{code: 'no-compose'},
	);
}

/** No compose installed: what every command that needs one says. */
export function noComposeBinaryError(): BerthError {
	return new BerthError(
		'neither "docker compose" (v2) nor "docker-compose" (v1) was found. Install the compose plugin or docker-compose; "berth doctor" checks.',
		{code: 'no-compose-binary'},
	);
}

function requireComposeFile(target: ComposeTarget): string {
	if (target.composeFile) return target.composeFile;
	throw noComposeFileError(target);
}

/**
 * Builds the ComposeClient: finds compose once (v2 preferred, v1 fallback, BERTH_COMPOSE=v1|v2 forces
 * one; composeInUse never runs v1 unless v1 is the one) and throws a BerthError when there is none.
 */
export async function createComposeClient(options: ClientOptions = {}): Promise<ComposeClient> {
	const env = options.env ?? process.env;
	const {storeFile} = options;
	const fast = () => (storeFile ? findComposeRemembered(env, composeVersionFile(storeFile)) : findCompose(env));
	const inUse = () => (storeFile ? composeInUseRemembered(env, composeVersionFile(storeFile)) : composeInUse(env));
	const binary = options.binary ?? (options.fast ? await fast() : await inUse());
	if (!binary) throw noComposeBinaryError();

	const cacheDir = storeFile ? modelCacheDir(storeFile) : null;
	// Only an adopted app (berth's override among its files) loads adopt.ts and what it reads models with.
	const refuseTooOld = async (target: ComposeTarget, composeFiles: string[]) => {
		if (target.berthOverride && composeFiles.includes(target.berthOverride))
			(await import('./adopt.ts')).refuseAdoptedOnOldCompose(target, composeFiles, binary!, env);
	};
	const baseEnv = env;
	const envOf = (target: ComposeTarget) => engineEnvOf(target, baseEnv);

	async function run(target: ComposeTarget, action: ActionName, options: ActionOptions & CallOptions): Promise<ActionResult> {
		requireComposeFile(target);
		// Compose talks to the app's engine (its Docker context): builds too, the context travels over the API.
		const env = composeEnvOf(binary!, target, baseEnv);
		// Looked up now, not when the app was listed: an override the user added since is read too.
		let composeFiles = await composeFilesFor(target);
		if (composeFiles.length === 0) requireComposeFile({...target, composeFile: null}); // deleted since
		if (target.berthOverride && composeFiles.includes(target.berthOverride)) {
			// Stopping or removing goes by the project's labels: it needs no ports, so no override.
			if (action !== 'up' && action !== 'build') {
				if ((await import('./adopt.ts')).adoptComposeProblem(binary!, env)) composeFiles = composeFiles.filter(file => file !== target.berthOverride);
			} else await refuseTooOld(target, composeFiles);
		}
		const call = composeCall(binary!, {...target, composeFiles}, action, options, env);
		const command = commandLine(call);
		const stderr = new Ring<string>(200);
		const splitters = {stdout: new LineSplitter(), stderr: new LineSplitter()};
		const emit = (stream: OutputLine['stream'], text: string) => {
			if (stream === 'stderr') stderr.push(text);
			options.onLine?.({stream, text});
		};
		const flush = () => {
			for (const stream of ['stdout', 'stderr'] as const) for (const text of splitters[stream].end()) emit(stream, text);
		};
		const started = performance.now();
		const failure = await runCall(call, command, (source, chunk) => {
			for (const text of splitters[source].push(chunk)) emit(source, text);
		});
		flush();
		if (failure !== null) {
			const tail = stderr.toArray().join('\n');
			if (isEngineUnreachable(tail)) throw new EngineUnreachableError(explainingLine(tail) ?? 'compose cannot connect to it', failure);
			const what = `${binary!.command.join(' ')} ${call.command} of ${target.id}${onEngine(target, baseEnv)}`;
			const error = composeError(what, command, failure, tail);
			const bind = bindFailure(tail);
			if (bind)
				error.message = `${what} failed: port ${bind.port} is already taken on engine ${engineName(target, baseEnv)}${bindHint(target, baseEnv, bind.port)} (the Engine said: ${bind.line})`;
			throw error;
		}
		return {app: target.id, action, command, exitCode: 0, durationMs: Math.round(performance.now() - started)};
	}

	return {
		binary,
		async up(target, options = {}) {
			requireComposeFile(target);
			// Before the pre-flight, which asks the same compose for the app's model.
			await refuseTooOld(target, await composeFilesFor(target));
			if (!options.skipPreflight) await checkPorts(binary, target, env, cacheDir);
			const warnings = target.engine ? await (await import('./remote-mounts.ts')).remoteMountWarningsFor(target, {binary, env, cacheDir}) : [];
			const result = await run(target, 'up', options);
			return warnings.length > 0 ? {...result, warnings} : result;
		},
		start: (target, options = {}) => run(target, 'start', options),
		// A compose file deleted under a running project must not strand it: these act through the Engine.
		stop: (target, options = {}) => (target.composeFile ? run(target, 'stop', options) : actOnOrphanProject(target, 'stop', options, envOf(target))),
		restart: (target, options = {}) => (target.composeFile ? run(target, 'restart', options) : actOnOrphanProject(target, 'restart', options, envOf(target))),
		down: (target, options = {}) => (target.composeFile ? run(target, 'down', options) : actOnOrphanProject(target, 'down', options, envOf(target))),
		build: (target, options = {}) => run(target, 'build', options),
		preflight: target => checkPorts(binary, target, env, cacheDir),
		// Loaded when used (ps, the TUI, up --wait): an action itself reads no state and follows no logs.
		status: async apps => (await import('./fleet-status.ts')).queryFleetStatus(apps, {env}),
		watch: async options => (await import('./fleet-status.ts')).watchFleet(options, env),
		async *logs(target, options = {}) {
			yield* (await import('./logs.ts')).streamLogs(target.projectName, options, envOf(target));
		},
	};
}
