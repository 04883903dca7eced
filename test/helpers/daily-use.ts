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
