import {Console} from 'node:console';
import {Readable, Writable} from 'node:stream';
import {sandboxDenied} from './sandbox-denial.ts';

/**
 * The builtins templates may load: computing and reading, nothing that reaches a socket, a process or
 * the engine under the running code. An allowlist, because Node keeps public ways to its network code
 * under other names (_http_agent, _http_client, _tls_wrap, ...: these connected on Node 24) and may add more.
 */
const ALLOWED = new Set([
	'assert',
	'assert/strict',
	'buffer',
	'crypto',
	'events',
	'fs',
	'fs/promises',
	'os',
	'path',
	'path/posix',
	'path/win32',
	'querystring',
	'string_decoder',
	'timers',
	'timers/promises',
	'url',
	'util',
	'util/types',
	'zlib',
]);
/** Builtins that reach the network: Node 24's permission model has no switch for it. */
const NETWORK = [
	'net',
	'tls',
	'dgram',
	'dns',
	'dns/promises',
	'http',
	'https',
	'http2',
	'quic',
	'_http_agent',
	'_http_client',
	'_http_common',
	'_http_incoming',
	'_http_outgoing',
	'_http_server',
	'_tls_common',
	'_tls_wrap',
	'_stream_wrap',
];
/** What a refused builtin would have let a template do, as shown to the user ("tried to <action>"). */
const ACTIONS: Record<string, string> = {
	...Object.fromEntries(NETWORK.map(name => [name, `use the network (node:${name})`])),
	// tty.ReadStream/WriteStream extend net.Socket: a way to the network's constructors.
	tty: 'use the network (node:tty)',
	child_process: 'start a subprocess (node:child_process)',
	cluster: 'start a subprocess (node:cluster)',
	worker_threads: 'start a worker thread (node:worker_threads)',
	inspector: 'open the inspector (node:inspector)',
	'inspector/promises': 'open the inspector (node:inspector/promises)',
	// DatabaseSync creates and writes its file without a FileSystemWrite check (verified on Node 24.21).
	sqlite: 'open a SQLite database (node:sqlite)',
	// createRequire/register/registerHooks would load modules around the checks below.
	module: 'use node:module',
	// setFlagsFromString changes the engine under the running code.
	v8: 'use node:v8',
};

/** The action refused for builtin `specifier` (`node:x` or `x`), or undefined when templates may load it. */
export function refusal(specifier: string): string | undefined {
	const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
	if (ALLOWED.has(name)) return undefined;
	return Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : `use node:${name} (templates may load only node:${[...ALLOWED].join(', node:')})`;
}

function replace(target: object, key: PropertyKey, value: unknown): void {
	Object.defineProperty(target, key, {value, writable: false, configurable: false, enumerable: false});
}

function refuser(action: string): () => never {
	return () => {
		throw sandboxDenied(action);
	};
}

/**
 * Node only, in lint's renderer process, before any template runs. The permission model (--permission)
 * refuses file writes, subprocesses, workers, addons, WASI, the inspector and process.binding (and, from
 * Node 25, the network); Node 24 has no network permission and lets a process signal others, so the
 * renderer also takes these away here: every builtin module but an allowlist (ALLOWED, through
 * process.getBuiltinModule, import() and require(), checked on the resolved node: URL),
 * fetch/WebSocket/EventSource and undici's global dispatcher, process.stdin/stdout/stderr (pipes are
 * net.Sockets, whose constructors connect anywhere: templates get plain streams leading nowhere), the
 * handle lists, process.binding, process.kill and friends, os.setPriority. Every way to a socket
 * that the tests know is closed (test/core/lint/sandbox-node24.test.ts), but this is the renderer
 * guarding itself, not the runtime: lint renders under Deno when it can, and warns when neither Deno
 * nor Node >= 25 keeps templates off the network.
 */
export function lockDown(): void {
	const nodeModule = process.getBuiltinModule('node:module');
	if (typeof nodeModule.registerHooks !== 'function') {
		throw new Error(`berth plugins lint needs Node >= 22.15 (this is ${process.version}) to keep templates off the network: upgrade Node or use Deno`);
	}
	nodeModule.registerHooks({
		resolve(specifier, context, nextResolve) {
			// Checked on what the specifier resolves to: "_http_agent", "node:_http_agent" and any other
			// spelling of a builtin all end as a node: URL.
			const resolved = nextResolve(specifier, context);
			const action = resolved.url.startsWith('node:') ? refusal(resolved.url) : undefined;
			if (action) throw sandboxDenied(action);
			return resolved;
		},
	});
	// node:module is refused to templates, but a CommonJS file of the plugin reaches the same object as
	// module.constructor: a hook registered there would answer before this one (it connected on Node 24).
	for (const name of ['registerHooks', 'register', 'enableCompileCache', 'flushCompileCache']) {
		if (name in nodeModule) replace(nodeModule, name, refuser(`use node:module (module.${name})`));
	}
	const getBuiltinModule = process.getBuiltinModule.bind(process);
	replace(process, 'getBuiltinModule', (id: unknown) => {
		// Made a string once: an object whose toString answers differently the second time cannot pass.
		const name = `${id as string}`;
		const action = refusal(name);
		if (action) throw sandboxDenied(action);
		return getBuiltinModule(name as 'node:fs');
	});
	// Response/Request load undici, which installs an Agent here unless one is set: set one that refuses.
	const dispatcher = new Proxy({}, {get: refuser('use the network (undici)')});
	for (const version of [1, 2]) {
		const key = Symbol.for(`undici.globalDispatcher.${version}`);
		if (Object.getOwnPropertyDescriptor(globalThis, key)) throw new Error('the network was used before the renderer sandbox was set up');
		replace(globalThis, key, dispatcher);
	}
	for (const name of ['fetch', 'WebSocket', 'EventSource']) {
		// Deleted first: redefining Node's lazy WebSocket in place loads undici (about 100 ms per lint).
		delete (globalThis as Record<string, unknown>)[name];
		replace(globalThis, name, refuser(`use the network (${name})`));
	}
	// The renderer reads and writes its pipes through fs (render-worker.ts), so no stdio stream is ever
	// created; templates (and Node's internals: warnings, exit) get streams that lead nowhere instead.
	const sink = new Writable({write: (_chunk, _encoding, done) => done()});
	const stdin = new Readable({read: () => void stdin.push(null)});
	for (const [name, stream] of [
		['stdin', stdin],
		['stdout', sink],
		['stderr', sink],
	] as const) {
		Object.defineProperty(process, name, {get: () => stream, configurable: false, enumerable: false});
	}
	replace(globalThis, 'console', new Console({stdout: sink, stderr: sink}));
	for (const name of ['_getActiveHandles', '_getActiveRequests']) {
		if (name in process) replace(process, name, refuser(`list the renderer's handles (process.${name})`));
	}
	// The permission model refuses these too, as "a restricted API": named here.
	for (const name of ['binding', '_linkedBinding']) {
		if (name in process) replace(process, name, refuser(`use Node's internals (process.${name})`));
	}
	for (const name of ['kill', '_kill', '_debugProcess', '_debugEnd']) {
		if (name in process) replace(process, name, refuser(`signal a process (process.${name})`));
	}
	const os = getBuiltinModule('node:os');
	replace(os, 'setPriority', refuser('change the priority of a process (os.setPriority)'));
}
