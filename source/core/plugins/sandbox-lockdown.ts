import {Console} from 'node:console';
import {Readable, Writable} from 'node:stream';
import {sandboxDenied} from './sandbox-denial.ts';

/** Builtins that reach the network: Node 24's permission model has no switch for it. */
const NETWORK = ['net', 'tls', 'dgram', 'dns', 'dns/promises', 'http', 'https', 'http2', 'quic'];
/** Builtins refused for what they could do past the permission model, with the action shown to the user. */
const REFUSED: Record<string, string> = {
	...Object.fromEntries(NETWORK.map(name => [name, `use the network (node:${name})`])),
	// DatabaseSync creates and writes its file without a FileSystemWrite check (verified on Node 24.21).
	sqlite: 'open a SQLite database (node:sqlite)',
	// createRequire/register/registerHooks would load modules around the checks below.
	module: 'use node:module',
	// setFlagsFromString changes the engine under the running code.
	v8: 'use node:v8',
	// tty.ReadStream/WriteStream extend net.Socket: a way to the network's constructors.
	tty: 'use the network (node:tty)',
};

function refusal(specifier: string): string | undefined {
	const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
	return Object.hasOwn(REFUSED, name) ? REFUSED[name] : undefined;
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
 * refuses file writes, subprocesses, workers, addons, WASI and the inspector (and, from Node 25, the
 * network); Node 24 has no network permission and lets a process signal others, so the renderer also
 * takes the ways it knows away here: network builtins (through process.getBuiltinModule and import()),
 * fetch/WebSocket/EventSource and undici's global dispatcher, process.stdin/stdout/stderr (pipes are
 * net.Sockets, whose constructors connect anywhere: templates get plain streams leading nowhere) and the
 * handle lists, process.kill and friends,
 * os.setPriority. This is a blocklist, not a boundary: lint renders under Deno when it can, and warns
 * when neither Deno nor Node >= 25 keeps templates off the network.
 */
export function lockDown(): void {
	const nodeModule = process.getBuiltinModule('node:module');
	if (typeof nodeModule.registerHooks !== 'function') {
		throw new Error(`berth plugins lint needs Node >= 22.15 (this is ${process.version}) to keep templates off the network: upgrade Node or use Deno`);
	}
	nodeModule.registerHooks({
		resolve(specifier, context, nextResolve) {
			const action = refusal(specifier);
			if (action) throw sandboxDenied(action);
			return nextResolve(specifier, context);
		},
	});
	const getBuiltinModule = process.getBuiltinModule.bind(process);
	replace(process, 'getBuiltinModule', (id: string) => {
		const action = refusal(id);
		if (action) throw sandboxDenied(action);
		return getBuiltinModule(id as 'node:fs');
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
	for (const [name, stream] of [['stdin', stdin], ['stdout', sink], ['stderr', sink]] as const) {
		Object.defineProperty(process, name, {get: () => stream, configurable: false, enumerable: false});
	}
	replace(globalThis, 'console', new Console({stdout: sink, stderr: sink}));
	for (const name of ['_getActiveHandles', '_getActiveRequests']) {
		if (name in process) replace(process, name, refuser(`list the renderer's handles (process.${name})`));
	}
	for (const name of ['kill', '_kill', '_debugProcess', '_debugEnd']) {
		if (name in process) replace(process, name, refuser(`signal a process (process.${name})`));
	}
	const os = getBuiltinModule('node:os');
	replace(os, 'setPriority', refuser('change the priority of a process (os.setPriority)'));
}
