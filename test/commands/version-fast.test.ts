import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {isDeno, ROOT} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

// Issue 12: `berth --version` costs little more than starting the runtime (bench/cli.ts measures it).
// What can be observed of that: under Node the installed `berth` (bin/berth.js) loads none of berth's
// modules but the one that answers. Under Deno (no load hook to trace) it keeps needing no permission
// but reading package.json, so the answer cannot come to depend on the environment or the store.

const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};

/** `bin/berth.js <args>` under Node with a load hook: its output and the files of berth it loaded. */
async function nodeTraced(args: string[]): Promise<{exitCode: number; stdout: string; stderr: string; loaded: string[]}> {
	const dir = await tempDir('berth-version-');
	const hook = path.join(dir, 'hook.mjs');
	const log = path.join(dir, 'loads.log');
	await writeFile(
		hook,
		`import {registerHooks} from 'node:module';
import {appendFileSync} from 'node:fs';
registerHooks({load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }});
`,
	);
	const node = isDeno ? 'node' : process.execPath;
	const result = await execa(node, ['--import', hook, path.join(ROOT, 'bin', 'berth.js'), ...args], {reject: false, stdin: 'ignore', env: {NO_COLOR: '1'}});
	const prefix = `file://${ROOT}/`;
	const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n');
	// berth's own files, and node:child_process (not in Node's start-up snapshot: only the hand-over to another Node needs it).
	const loaded = urls.filter(url => url.startsWith(prefix) || url === 'node:child_process').map(url => url.replace(prefix, ''));
	return {exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr), loaded};
}

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
