declare const Deno: {execPath(): string; version: {deno: string}} | undefined;

/** berth runs under Deno (else Node): the one test of the runtime. */
export const isDeno = typeof Deno !== 'undefined';

/** The JavaScript runtime running berth, as doctor and the lint sandbox report it. */
export const runtime: {name: 'deno' | 'node'; version: string} = isDeno
	? {name: 'deno', version: Deno!.version.deno}
	: {name: 'node', version: process.versions.node};

/** The runtime's executable (a function: under Deno, asking needs read permission). */
export function runtimeExecPath(): string {
	return isDeno ? Deno!.execPath() : process.execPath;
}
