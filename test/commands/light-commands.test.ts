import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {ROOT} from '../helpers/runtime.ts';
import {absent, nodeTraced, traced} from '../helpers/module-trace.ts';
import {tempDir} from '../helpers/temp.ts';

// Issue 12: one-shot commands cost little more than docker's own, and most of what a command costs is
// the modules it loads. These run berth's source under Node with a load hook (the module graph is the
// same under Deno) and name the packages each command must not load: the terminal UI (ink, react), the
// process runner (execa: ~140 modules) when nothing is spawned, the compose package and YAML when no
// compose file is read.

const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};

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

test('ls --json with the default store loads neither env-paths nor node:process (~10 ms of CPU for a folder name)', async () => {
	const dir = await tempDir('berth-ls-paths-');
	const args = ['ls', '--json', '--root', path.join(dir, 'apps')];
	const env = {XDG_DATA_HOME: path.join(dir, 'data'), HOME: dir, PATH: process.env['PATH'] ?? ''};
	// The first run asks compose for its version (execa); the second knows it, as daily use does.
	assert.equal((await nodeTraced(args, env)).exitCode, 0);
	const run = await nodeTraced(args, env);
	assert.equal(run.exitCode, 0, run.stderr);
	assert.deepEqual((JSON.parse(run.stdout) as {models: unknown[]}).models, []);
	assert.deepEqual(
		run.loaded.filter(file => file.includes('env-paths')),
		[],
	);
	assert.deepEqual(
		run.builtins.filter(name => name === 'node:process'),
		[],
	);
});
