import assert from 'node:assert/strict';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {parseJson} from '../helpers/cli.ts';
import {TEST_IMAGE} from '../helpers/docker.ts';
import {engineWorkspace, enginesTestOptions, TEST_ENGINES} from '../helpers/engines.ts';
import {tempDir} from '../helpers/temp.ts';
import {TEST_PLUGIN} from './stack.ts';
import {detectCompose} from '../../source/core/compose/detect.ts';

interface Allocated {
	app: string;
	ports: Record<string, number>;
	engine: string;
	created: boolean;
}

const [E1, E2] = TEST_ENGINES;

/** A store, an apps root and a docker config of the test's own, with a context for each test engine. */
async function setup() {
	return engineWorkspace(await tempDir());
}

test('ports are unique per engine: apps on two engines hold the same numbers; a port one engine publishes is skipped there only', {
	...(await enginesTestOptions()),
	timeout: 120_000,
}, async () => {
	const t = await setup();
	const allocate = async (app: string, engine: string) => {
		const result = await t.cli(['ports', 'allocate', app, '--engine', engine, '--slot', 'web=46001:2', '--json']);
		assert.equal(result.exitCode, 0, result.stderr);
		return parseJson<Allocated>(result);
	};
	const first = await allocate('m/app1', E1.name);
	assert.deepEqual(await allocate('m/app1', E1.name), {...first, created: false}, 'idempotent on its engine');
	const a1 = await allocate('m/app2', E1.name);
	const b1 = await allocate('n/app1', E2.name);
	assert.equal(a1.ports['web'], 46_003);
	assert.equal(b1.ports['web'], 46_001, 'the same number as m/app1, on another engine');
	assert.equal(b1.engine, E2.name);

	// A container on berth-e1 publishing 46005 (a stranger to berth): e1's next app skips it, e2's does not.
	const name = `berth-place-${process.pid}`;
	await execa('docker', ['--host', E1.host, 'run', '-d', '--rm', '--name', name, '-p', '46005:80', TEST_IMAGE, 'sleep', '600']);
	try {
		assert.equal((await allocate('m/app3', E1.name)).ports['web'], 46_007);
		assert.equal((await allocate('n/app2', E2.name)).ports['web'], 46_003);
	} finally {
		await execa('docker', ['--host', E1.host, 'rm', '-f', name], {reject: false});
	}

	const list = await t.cli(['ports', 'list']);
	assert.match(list.stdout, /^APP\s+PORTS\s+PROJECT\s+ENGINE$/m);
	assert.match(list.stdout, /^n\/app1\s+web=46001\s+n-app1\s+berth-e2$/m);

	// ports check: no conflict (46001 twice, but on two engines), and it says what it cannot see remotely.
	const check = await t.cli(['ports', 'check']);
	assert.equal(check.exitCode, 0, check.stdout + check.stderr);
	assert.match(check.stderr, /engine berth-e1 \(tcp:\/\/10\.231\.1\.2:2375\) is another machine: processes there that hold a port cannot be seen from here/);
});

test('placement errors change nothing: an unknown engine, an app already placed on another engine', {
	...(await enginesTestOptions()),
	timeout: 60_000,
}, async () => {
	const t = await setup();
	const unknown = await t.cli(['ports', 'allocate', 'm/app1', '--engine', 'nowhere']);
	assert.equal(unknown.exitCode, 1);
	assert.match(unknown.stderr, /there is no engine "nowhere": engines are Docker contexts, and these exist: default, berth-e1, berth-e2/);
	await assert.rejects(readFile(t.store), {code: 'ENOENT'}, 'no store was written');

	assert.equal((await t.cli(['ports', 'allocate', 'm/app1', '--engine', E1.name])).exitCode, 0);
	const before = await readFile(t.store, 'utf8');
	const elsewhere = await t.cli(['ports', 'allocate', 'm/app1', '--engine', E2.name]);
	assert.equal(elsewhere.exitCode, 1);
	assert.match(elsewhere.stderr, /m\/app1 is placed on engine berth-e1, not berth-e2; .*berth move m\/app1 --to berth-e2/);
	assert.equal(await readFile(t.store, 'utf8'), before);
});

test('a version-1 store migrates losslessly to the engine it was used with, on its next change', {
	...(await enginesTestOptions()),
	timeout: 60_000,
}, async () => {
	const t = await setup();
	const old = {
		version: 1,
		allocations: [
			{model: 'm', app: 1, ports: {backend: 47001}, projectName: 'm-app1', appPath: '/apps/m/app1', createdAt: '2026-01-01T00:00:00.000Z'},
			{
				model: 'm',
				app: 2,
				ports: {'web-80': 47003},
				projectName: 'm-app2',
				appPath: '/apps/m/app2',
				createdAt: '2026-01-02T00:00:00.000Z',
				adoption: {override: '/x/override.yml', ports: [], adoptedAt: '2026-01-03T00:00:00.000Z'},
			},
		],
	};
	await writeFile(t.store, JSON.stringify(old));
	// Used with berth-e1 as the current context: that is where its apps run.
	const use = {DOCKER_CONTEXT: E1.name};
	const listed = parseJson<{allocations: {id: string; engine: string}[]}>(await t.cli(['ports', 'list', '--json'], use));
	assert.deepEqual(
		listed.allocations.map(a => [a.id, a.engine]),
		[
			['m/app1', E1.name],
			['m/app2', E1.name],
		],
	);
	assert.equal(JSON.parse(await readFile(t.store, 'utf8')).version, 1, 'reading changes nothing on disk');
	const added = await t.cli(['ports', 'allocate', 'm/app3', '--json'], use);
	assert.equal(added.exitCode, 0, added.stderr);
	const doc = JSON.parse(await readFile(t.store, 'utf8'));
	assert.equal(doc.version, 2);
	assert.deepEqual(
		doc.allocations.slice(0, 2),
		old.allocations.map(a => ({...a, engine: E1.name})),
		'every field kept, the engine added',
	);
	assert.equal(doc.allocations[2].engine, E1.name);
});

test('--engine auto picks the reachable engine with the fewest running containers per CPU and says which', {
	...(await enginesTestOptions()),
	timeout: 120_000,
}, async () => {
	const t = await setup();
	const busy = `berth-auto-${process.pid}`;
	const e2Running = (await execa('docker', ['--host', E2.host, 'ps', '-q'])).stdout.trim();
	assert.equal(e2Running, '', 'this test needs berth-e2 idle');
	for (const n of [1, 2]) await execa('docker', ['--host', E1.host, 'run', '-d', '--rm', '--name', `${busy}-${n}`, TEST_IMAGE, 'sleep', '600']);
	try {
		const result = await t.cli(['ports', 'allocate', 'm/app1', '--engine', 'auto', '--slot', 'web=46101:2', '--json']);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.equal(parseJson<Allocated>(result).engine, E2.name);
		assert.match(result.stderr, /placing on engine auto: berth-e2 \(0 running containers on \d+ CPUs?; .*berth-e1 \d+ on \d+/);
	} finally {
		for (const n of [1, 2]) await execa('docker', ['--host', E1.host, 'rm', '-f', `${busy}-${n}`], {reject: false});
	}
	// Every engine down: an error naming each, nothing written.
	const t2 = await setup();
	const none = await t2.cli(['ports', 'allocate', 'm/app1', '--engine', 'auto'], {
		DOCKER_HOST: 'unix:///nonexistent/docker.sock',
		DOCKER_CONFIG: path.join(t2.dir, 'empty-config'),
	});
	assert.equal(none.exitCode, 1);
	assert.match(none.stderr, /--engine auto: no engine answers \(default: .*nonexistent/);
	await assert.rejects(readFile(t2.store), {code: 'ENOENT'});
});

test('up --engine places an app that was placed nowhere, runs it there, and refuses another engine afterwards', {
	...(await enginesTestOptions()),
	timeout: 180_000,
}, async () => {
	const t = await setup();
	const dir = path.join(t.env.BERTH_ROOT, 'm', 'app1');
	await mkdir(dir, {recursive: true});
	await writeFile(path.join(dir, 'compose.yaml'), `services:\n  s:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n`);
	const project = 'm-app1';
	try {
		const up = await t.cli(['up', 'm/app1', '--engine', E2.name, '--json']);
		assert.equal(up.exitCode, 0, up.stderr);
		const onE2 = (await execa('docker', ['--host', E2.host, 'ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.State}}'])).stdout;
		assert.equal(onE2.trim(), 'running');
		const listed = parseJson<{allocations: {id: string; engine: string; ports: object}[]}>(await t.cli(['ports', 'list', '--json']));
		assert.deepEqual(
			listed.allocations.map(a => [a.id, a.engine, a.ports]),
			[['m/app1', E2.name, {}]],
			'the placement is recorded, without ports',
		);
		const again = await t.cli(['up', 'm/app1', '--engine', E1.name]);
		assert.equal(again.exitCode, 1);
		assert.match(again.stderr, /m\/app1 is placed on engine berth-e2, not berth-e1/);
		// Without --engine it acts where it is placed.
		const stop = await t.cli(['stop', 'm/app1', '-t', '0']);
		assert.equal(stop.exitCode, 0, stop.stderr);
	} finally {
		await execa('docker', ['--host', E2.host, 'compose', '-p', project, 'down', '-t', '0'], {cwd: dir, reject: false});
	}
});

test('new --engine scaffolds an app placed on that engine, its ports checked there', {...(await enginesTestOptions()), timeout: 60_000}, async () => {
	const t = await setup();
	const created = await t.cli(['new', 'm/app1', '--flavour', 'busybox-test', '--plugin', TEST_PLUGIN, '--engine', E1.name, '--json']);
	assert.equal(created.exitCode, 0, created.stderr);
	const listed = parseJson<{allocations: {id: string; engine: string}[]}>(await t.cli(['ports', 'list', '--json']));
	assert.deepEqual(
		listed.allocations.map(a => [a.id, a.engine]),
		[['m/app1', E1.name]],
	);
	const bad = await t.cli(['new', 'm/app2', '--flavour', 'busybox-test', '--plugin', TEST_PLUGIN, '--engine', 'nowhere']);
	assert.equal(bad.exitCode, 1);
	assert.match(bad.stderr, /there is no engine "nowhere"/);
	await assert.rejects(readFile(path.join(t.env.BERTH_ROOT, 'm', 'app2', 'docker-compose.yml')), {code: 'ENOENT'}, 'nothing scaffolded');
});

const compose = await detectCompose();
test('adopt --engine of a remote engine warns about each bind mount of the app\u2019s folder; on the local engine it does not', {
	...(await enginesTestOptions()),
	...(compose.v2 ? {} : {skip: 'adoption needs compose v2'}),
	timeout: 60_000,
}, async () => {
	const t = await setup();
	const v2 = {BERTH_COMPOSE: 'v2'};
	for (const app of ['app1', 'app2']) {
		const dir = path.join(t.env.BERTH_ROOT, 'm', app);
		await mkdir(dir, {recursive: true});
		await writeFile(
			path.join(dir, 'compose.yaml'),
			`services:\n  web:\n    image: ${TEST_IMAGE}\n    ports:\n      - "127.0.0.1:8080:8080"\n    volumes:\n      - ./site:/www\n`,
		);
	}
	const remote = await t.cli(['adopt', 'm/app1', '--engine', E1.name], v2);
	assert.equal(remote.exitCode, 0, remote.stderr);
	assert.match(
		remote.stderr,
		/m\/app1 runs on engine berth-e1 \(tcp:\/\/10\.231\.1\.2:2375\), another machine: service "web" bind-mounts \/.*\/m\/app1\/site from this one, which berth-e1 will not see unless the same path is shared there/,
	);
	const local = await t.cli(['adopt', 'm/app2'], v2);
	assert.equal(local.exitCode, 0, local.stderr);
	assert.doesNotMatch(local.stderr, /bind-mounts/);
});
