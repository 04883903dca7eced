import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from './runtime.ts';

/**
 * The `deno install` line of the README's "Daily use" paragraph, as words: the Deno `berth` that users
 * put on PATH, which test/commands/daily-use.test.ts installs and bench/cli.ts times.
 */
export function readmeDenoInstall(): string[] {
	const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const line = readme.split('\n').find(l => l.startsWith('deno install -g -n berth '));
	if (!line) throw new Error('README.md has no "deno install -g -n berth" line');
	return line.trim().split(/\s+/);
}

/**
 * Installs the Deno `berth` of the README's "Daily use" (its `deno install` line, run into `dir`, a
 * temporary root) with `deno`, and returns the script it wrote: one `deno run` process, no task runner.
 */
export function installDenoBerth(dir: string, deno = 'deno'): string {
	const words = readmeDenoInstall();
	const result = spawnSync(deno, [...words.slice(1, -1), '--root', dir, words.at(-1)!], {cwd: ROOT, encoding: 'utf8'});
	if (result.status !== 0) throw new Error(`deno install failed: ${result.stderr}`);
	return path.join(dir, 'bin', 'berth');
}
