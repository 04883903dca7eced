import path from 'node:path';
import {fileURLToPath} from 'node:url';

declare const Deno: {execPath(): string} | undefined;

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const isDeno = typeof Deno !== 'undefined';
export const runtimeName = isDeno ? 'deno' : 'node';

/**
 * The command that runs a TypeScript entry file of this repository under the runtime running the tests:
 * Deno runs the source; Node runs the compiled `dist/` copy for `source/` files (the test script builds
 * first) and `tsx` for anything else (fixtures, scripts).
 */
export function runtimeCommand(entry: string): [string, string[]] {
	const absolute = path.resolve(ROOT, entry);
	if (isDeno) return [Deno!.execPath(), ['run', '-A', '--quiet', absolute]];
	const relative = path.relative(path.join(ROOT, 'source'), absolute);
	if (!relative.startsWith('..')) {
		return [process.execPath, [path.join(ROOT, 'dist', relative.replace(/\.tsx?$/, '.js'))]];
	}
	return [process.execPath, ['--import', 'tsx', absolute]];
}
