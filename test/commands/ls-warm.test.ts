import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {parseJson, runCli} from '../helpers/cli.ts';
import {DENO_PERMISSIONS, ROOT} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

// Issue 12: `berth ls` on 200 apps costs at most 3x `docker ps -a`. Once compose has read the apps
// (models cached beside the store, compose v2's version remembered), a second `ls` starts no docker or
// compose process at all: running `docker compose version` alone cost more than the rest of it.

/** A folder with `docker` and `docker-compose` that log their arguments, then run the real ones. */
async function loggingTools(dir: string): Promise<{bin: string; log: string}> {
	const bin = path.join(dir, 'bin');
	const log = path.join(dir, 'calls.log');
	await mkdir(bin);
	for (const tool of ['docker', 'docker-compose']) {
		const real = (process.env['PATH'] ?? '')
			.split(path.delimiter)
			.map(d => path.join(d, tool))
			.find(file => existsSync(file));
		if (!real) continue;
		await writeFile(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> '${log}'\nexec '${real}' "$@"\n`, {mode: 0o755});
	}
	return {bin, log};
}

test('a second berth ls runs no docker or compose process: models and compose version are remembered', async () => {
	const dir = await tempDir('berth-ls-warm-');
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	for (const app of ['app1', 'app2']) {
		await mkdir(path.join(root, 'm', app), {recursive: true});
		await writeFile(path.join(root, 'm', app, 'docker-compose.yml'), 'services:\n  web:\n    image: x\n    ports:\n      - "127.0.0.1:8080:80"\n');
	}
	const tools = await loggingTools(dir);
	const env = {PATH: `${tools.bin}${path.delimiter}${process.env['PATH'] ?? ''}`};
	const args = ['ls', '--json', '--root', root, '--store', store];

	const cold = await runCli(args, {env});
	assert.equal(cold.exitCode, 0, cold.stderr);
	const coldCalls = await readFile(tools.log, 'utf8').catch(() => '');
	assert.match(coldCalls, /config/, 'the first ls asks compose for the models');
	await writeFile(tools.log, '');

	const warm = await runCli(args, {env});
	assert.equal(warm.exitCode, 0, warm.stderr);
	assert.equal(await readFile(tools.log, 'utf8'), '', 'the second ls started docker or compose');
	type Listing = {models: {apps: {id: string; publishes: {hostPort: number}[] | null}[]}[]; compose: {reread: number; apps: number; source: string}};
	const before = parseJson<Listing>(cold);
	const after = parseJson<Listing>(warm);
	assert.deepEqual(after.models, before.models);
	assert.deepEqual(after.compose, {...before.compose, reread: 0});
	assert.deepEqual(
		after.models[0]!.apps.map(a => a.publishes?.map(p => p.hostPort)),
		[[8080], [8080]],
	);
});

/** Where `command` is on PATH, or null. */
const onPath = (command: string) =>
	(process.env['PATH'] ?? '')
		.split(path.delimiter)
		.map(dir => path.join(dir, command))
		.find(file => existsSync(file)) ?? null;

test('berth ls under Node and Deno in turn: each remembers what the other found, no docker or compose process runs', {
	skip: onPath('deno') && onPath('node') ? false : 'needs node and deno',
}, async () => {
	const dir = await tempDir('berth-ls-runtimes-');
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	await mkdir(path.join(root, 'm', 'app1'), {recursive: true});
	await writeFile(path.join(root, 'm', 'app1', 'compose.yaml'), 'services:\n  web:\n    image: x\n    ports:\n      - "127.0.0.1:8080:80"\n');
	const tools = await loggingTools(dir);
	const env = {NO_COLOR: '1', PATH: `${tools.bin}${path.delimiter}${process.env['PATH'] ?? ''}`};
	const args = ['ls', '--json', '--root', root, '--store', store];
	const runs = {
		node: () => execa(onPath('node')!, [path.join(ROOT, 'bin', 'berth.js'), ...args], {env, reject: false, stdin: 'ignore'}),
		deno: () =>
			execa(onPath('deno')!, ['run', ...DENO_PERMISSIONS, '--quiet', path.join(ROOT, 'source', 'cli.tsx'), ...args], {env, reject: false, stdin: 'ignore'}),
	};
	for (const runtime of ['node', 'deno'] as const) {
		const first = await runs[runtime]();
		assert.equal(first.exitCode, 0, first.stderr);
	}
	await writeFile(tools.log, '');
	for (const runtime of ['node', 'deno', 'node', 'deno'] as const) {
		const run = await runs[runtime]();
		assert.equal(run.exitCode, 0, run.stderr);
		assert.equal((JSON.parse(run.stdout) as {compose: {reread: number}}).compose.reread, 0, runtime);
		assert.equal(await readFile(tools.log, 'utf8'), '', `berth ls under ${runtime} started docker or compose`);
	}
});
