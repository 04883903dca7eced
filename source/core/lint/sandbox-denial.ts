/** The code of an error the renderer sandbox raises itself, for what the runtime cannot forbid. */
export const SANDBOX_DENIED = 'ERR_BERTH_SANDBOX';

/** An operation the sandbox refuses itself; `action` reads "tried to <action>" (e.g. "use the network (node:net)"). */
export function sandboxDenied(action: string): Error {
	return Object.assign(new Error(`not allowed while plugins lint renders templates: ${action}`), {code: SANDBOX_DENIED, action});
}

const NODE_PERMISSIONS: Record<string, (resource: string) => string> = {
	FileSystemWrite: resource => `write ${resource || 'a file'}`,
	FileSystemRead: resource => `read ${resource || 'a file'}`,
	ChildProcess: resource => `start a subprocess${resource ? ` (${resource})` : ''}`,
	WorkerThreads: () => 'start a worker thread',
	Inspector: () => 'open the inspector',
	WASI: () => 'use WASI',
	Net: resource => `use the network${resource ? ` (${resource})` : ''}`,
	NetConnect: resource => `use the network${resource ? ` (${resource})` : ''}`,
};

const DENO_PERMISSIONS: Record<string, (resource: string) => string> = {
	write: resource => `write ${resource || 'a file'}`,
	read: resource => `read ${resource || 'a file'}`,
	net: resource => `use the network${resource ? ` (${resource})` : ''}`,
	run: resource => (resource ? `start a subprocess (${resource})` : 'start a subprocess or signal a process'),
	env: resource => `read the environment${resource ? ` (${resource})` : ''}`,
	sys: resource => `read system information${resource ? ` (${resource})` : ''}`,
	ffi: () => 'load a native library',
	import: resource => `import ${resource || 'a remote module'}`,
};

function describeOne(error: unknown): string | null {
	if (!error || typeof error !== 'object') return null;
	const {code, action, permission, resource, name, message} = error as Record<string, unknown>;
	if (code === SANDBOX_DENIED && typeof action === 'string') return action;
	if (code === 'ERR_ACCESS_DENIED') {
		const describe = typeof permission === 'string' ? NODE_PERMISSIONS[permission] : undefined;
		const text = typeof resource === 'string' ? resource : '';
		return describe ? describe(text) : `use ${typeof permission === 'string' && permission ? permission : 'a restricted API'}`;
	}
	if (code === 'ERR_DLOPEN_DISABLED') return 'load a native addon';
	// Deno: NotCapable (PermissionDenied before 2.0), "Requires write access to "/tmp/x", run again with the --allow-write flag"
	const deno = typeof message === 'string' ? /Requires (\w+) access(?: to "?(.*?)"?)?, run again/.exec(message) : null;
	if (deno && (name === 'NotCapable' || name === 'PermissionDenied' || /^Requires/.test(String(message)))) {
		const describe = DENO_PERMISSIONS[deno[1]!];
		return describe ? describe(deno[2] ?? '') : `use ${deno[1]} access`;
	}
	return null;
}

/**
 * What a template tried to do when `error` — or any error in its `cause` chain — is a refusal of the
 * runtime's permissions (Node's permission model, Deno's) or of the sandbox itself; `null` otherwise.
 */
export function deniedAction(error: unknown): string | null {
	const seen = new Set<unknown>();
	for (let current = error; current && !seen.has(current); current = (current as {cause?: unknown}).cause) {
		seen.add(current);
		const action = describeOne(current);
		if (action) return action;
	}
	return null;
}
