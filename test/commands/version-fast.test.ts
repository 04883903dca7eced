import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {isDeno, ROOT} from '../helpers/runtime.ts';
import {nodeTraced} from '../helpers/module-trace.ts';

// Issue 12: `berth --version` costs little more than starting the runtime (bench/cli.ts measures it).
// What can be observed of that: under Node the installed `berth` (bin/berth.js) loads none of berth's
// modules but the one that answers. Under Deno (no load hook to trace) it keeps needing no permission
// but reading package.json, so the answer cannot come to depend on the environment or the store.

const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};

test('berth --version under Node loads only the module that answers it', async () => {
	for (const [args, stdout] of [
		[['--version'], `berth ${pkg.version}`],
		[['-V'], `berth ${pkg.version}`],
		[['--version', '--json'], JSON.stringify({version: pkg.version})],
	] as const) {
		const run = await nodeTraced([...args]);
		assert.equal(run.exitCode, 0, run.stderr);
		assert.equal(run.stdout, stdout);
		assert.equal(run.stderr, '');
		assert.deepEqual(run.loaded, ['bin/berth.js', 'dist/version.js'], `berth ${args.join(' ')}`);
		// Not in Node's start-up snapshot: only the hand-over to another Node needs it.
		assert.ok(!run.builtins.includes('node:child_process'), `berth ${args.join(' ')} loaded node:child_process`);
	}
	// With other options it still answers, after parsing them like every command.
	const other = await nodeTraced(['--root', '/nonexistent', '--version']);
	assert.equal(other.exitCode, 0, other.stderr);
	assert.equal(other.stdout, `berth ${pkg.version}`);
});

test('berth --version under Deno needs no permission but reading package.json', async () => {
	const deno = isDeno ? Deno.execPath() : 'deno';
	const allowed = `--allow-read=${path.join(ROOT, 'package.json')}`;
	for (const [args, stdout] of [
		[['--version'], `berth ${pkg.version}`],
		[['-V', '--json'], JSON.stringify({version: pkg.version})],
	] as const) {
		const run = await execa(deno, ['run', '--quiet', '--no-prompt', allowed, path.join(ROOT, 'source', 'cli.tsx'), ...args], {reject: false, stdin: 'ignore'});
		assert.equal(run.exitCode, 0, String(run.stderr));
		assert.equal(String(run.stdout), stdout);
	}
});

declare const Deno: {execPath(): string};

test('the entry Deno runs links nothing but the version before --version answers', async () => {
	// A runtime loads and links every static import of a module before running any of it: under Deno
	// that compiled all of berth's command line (and set up its Node compatibility) for --version.
	const entry = await readFile(path.join(ROOT, 'source', 'cli.tsx'), 'utf8');
	const staticImports = [...entry.matchAll(/^import\s[^;]*?['"]([^'"]+)['"]/gm)].map(m => m[1]);
	assert.deepEqual(staticImports, ['./version.ts']);
	assert.match(entry, /^const \{runCli\} = await import\('\.\/main\.tsx'\);$/m);
});
