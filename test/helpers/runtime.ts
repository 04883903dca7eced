import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

declare const Deno: {execPath(): string} | undefined;

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const isDeno = typeof Deno !== 'undefined';
export const runtimeName = isDeno ? 'deno' : 'node';

/**
 * The permissions a user's `deno task berth` grants, read from the task itself in deno.json (the one
 * list; `start` carries the same, as a test checks): berth's processes under test run with exactly
 * these, so the suite proves they are enough.
 */
export const DENO_PERMISSIONS: readonly string[] = (() => {
	const {tasks} = JSON.parse(readFileSync(path.join(ROOT, 'deno.json'), 'utf8')) as {tasks: Record<string, string>};
	return tasks['berth']!.split(/\s+/).filter(word => /^--(allow|deny)-|^--no-prompt$/.test(word));
})();

/**
 * The command that runs a TypeScript entry file of this repository under the runtime running the tests:
 * Deno runs the source with berth's permissions (DENO_PERMISSIONS; fixtures too, as they run berth's
 * code); Node runs the compiled `dist/` copy for `source/` files (the test script builds first) and
 * `tsx` for anything else (fixtures, scripts).
 */
export function runtimeCommand(entry: string): [string, string[]] {
	const absolute = path.resolve(ROOT, entry);
	if (isDeno) return [Deno!.execPath(), ['run', ...DENO_PERMISSIONS, '--quiet', absolute]];
	const relative = path.relative(path.join(ROOT, 'source'), absolute);
	if (!relative.startsWith('..')) {
		return [process.execPath, [path.join(ROOT, 'dist', relative.replace(/\.tsx?$/, '.js'))]];
	}
	return [process.execPath, ['--import', 'tsx', absolute]];
}

/**
 * How berth names a port held by this test process: by pid and name under Node; under Deno's task
 * permissions /proc is refused (short of --allow-all), so berth says it cannot tell.
 */
export function holderOfThisProcess(comm: string): string {
	return isDeno ? 'another program (the OS did not say which)' : `process ${process.pid} (${comm})`;
}
