import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {ROOT} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

// Issue 12: one-shot commands cost little more than docker's own, and most of what a command costs is
// the modules it loads. These run berth's source under Node with a load hook (the module graph is the
// same under Deno) and name the packages each command must not load: the terminal UI (ink, react), the
// process runner (execa: ~140 modules) when nothing is spawned, the compose package and YAML when no
// compose file is read.

const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};

/** Runs `berth <args>` from source under Node, returning its output and the packages it loaded. */
async function traced(args: string[], env: Record<string, string> = {}): Promise<{exitCode: number; stdout: string; stderr: string; packages: Set<string>}> {
	const dir = await tempDir('berth-trace-');
	const hook = path.join(dir, 'hook.mjs');
	const log = path.join(dir, 'loads.log');
	await writeFile(
		hook,
		`import {registerHooks} from 'node:module';
import {appendFileSync} from 'node:fs';
registerHooks({load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }});
`,
	);
	const result = await execa('node', ['--import', 'tsx', '--import', hook, path.join(ROOT, 'source', 'cli.tsx'), ...args], {
		reject: false,
		stdin: 'ignore',
		env: {NO_COLOR: '1', BERTH_ROOT: path.join(dir, 'apps'), BERTH_STORE: path.join(dir, 'ports.json'), ...env},
	});
	const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n');
	// Loads made by tsx itself (its loader, esbuild) are not berth's.
	const packages = new Set(
		urls
			.filter(url => url.includes('/node_modules/') && !/\/node_modules\/(tsx|esbuild|get-tsconfig|resolve-pkg-maps)\//.test(url))
			.map(url => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)![1]!),
	);
	return {exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr), packages};
}

const absent = (packages: Set<string>, names: string[]) => names.filter(name => packages.has(name));

test('--version prints the version and loads no package at all', async () => {
	const run = await traced(['--version']);
	assert.equal(run.exitCode, 0, run.stderr);
	assert.equal(run.stdout, `berth ${pkg.version}`);
	assert.deepEqual([...run.packages], []);
	const short = await traced(['-V']);
	assert.equal(short.stdout, `berth ${pkg.version}`);
	const json = await traced(['--version', '--json']);
	assert.deepEqual(JSON.parse(json.stdout), {version: pkg.version});
});

test('ps --json asks the engine over its socket without loading the process runner, compose or the UI', async () => {
	const run = await traced(['ps', '--json']);
	assert.equal(run.exitCode, 0, run.stderr);
	assert.deepEqual((JSON.parse(run.stdout) as {apps: unknown[]}).apps, []);
	assert.deepEqual(absent(run.packages, ['execa', 'docker-compose', 'yaml', 'ink', 'react', 'eta', 'zod']), []);
});
