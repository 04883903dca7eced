import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {nodeTraced} from '../helpers/module-trace.ts';
import {tempDir} from '../helpers/temp.ts';

// Issue 12, items 2 and 3: Node runs a one-shot command from one bundled file (dist/cmd/cli.cjs, built by
// scripts/bundle.mjs) instead of ~50 ES modules, each resolved, compiled and linked on its own: ~20 ms
// of a ~60 ms `berth ps`. What the bundle leaves out (big packages, ES-module-only code) still loads.

async function fleet() {
	const dir = await tempDir('berth-command-bundle-');
	const app = path.join(dir, 'apps', 'm', 'app1');
	await mkdir(app, {recursive: true});
	await writeFile(path.join(app, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
	return {args: ['--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json')]};
}

test('a command loads berth from its one bundled file, not from tsc output', async () => {
	const {args} = await fleet();
	// The first run asks compose for its version (execa, left out of the bundle); the second knows it.
	assert.equal((await nodeTraced(['ls', '--json', ...args])).exitCode, 0);
	const run = await nodeTraced(['ls', '--json', ...args]);
	assert.equal(run.exitCode, 0, run.stderr);
	assert.deepEqual(
		(JSON.parse(run.stdout) as {models: {apps: {id: string}[]}[]}).models.flatMap(m => m.apps.map(a => a.id)),
		['m/app1'],
	);
	assert.deepEqual(run.loaded, ['bin/berth.js', 'dist/version.js', 'dist/global-options.js', 'dist/cmd/cli.cjs']);
});

test('what the bundle leaves out still loads: the built-in flavours (zod), and a usage error is one', async () => {
	const {args} = await fleet();
	// The plugin folders are found relative to berth's files (import.meta.url, rewritten for the bundle)
	// and the manifests are checked with zod, which the bundle loads from node_modules.
	const plugins = await nodeTraced(['plugins', 'list', '--json', ...args]);
	assert.equal(plugins.exitCode, 0, plugins.stderr);
	const ids = (JSON.parse(plugins.stdout) as {plugins: {id: string; source: string}[]}).plugins.filter(p => p.source === 'builtin').map(p => p.id);
	assert.deepEqual(ids.sort(), ['fastapi-vite', 'multi-db-seeder', 'react-flask']);
	assert.ok(
		plugins.loaded.some(file => file.startsWith('node_modules/zod/')),
		plugins.loaded.join('\n'),
	);
	// An unknown option is still a usage error with its exit status.
	const usage = await nodeTraced(['ls', '--frobnicate', ...args]);
	assert.equal(usage.exitCode, 2);
	assert.match(usage.stderr, /Unknown option '--frobnicate'/);
});

test('a Node that cannot require ES modules runs the commands from tsc output instead, with the same answer', async () => {
	// Node 22.0-22.11 (berth supports >= 22): the bundle requires the packages it leaves out, some of
	// which are ES modules only. Such a Node is stood in for by a newer one with require(esm) turned off.
	const {args} = await fleet();
	const env = {NODE_OPTIONS: '--no-experimental-require-module'};
	assert.equal((await nodeTraced(['ls', '--json', ...args], env)).exitCode, 0);
	const run = await nodeTraced(['ls', '--json', ...args], env);
	assert.equal(run.exitCode, 0, run.stderr);
	assert.deepEqual(
		(JSON.parse(run.stdout) as {models: {apps: {id: string}[]}[]}).models.flatMap(m => m.apps.map(a => a.id)),
		['m/app1'],
	);
	assert.ok(run.loaded.includes('dist/cli.js') && !run.loaded.includes('dist/cmd/cli.cjs'), run.loaded.join('\n'));
});
