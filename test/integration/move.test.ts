/**
 * `berth move <app> --to ENGINE` on real engines (issue 13, item 2): the app is taken down where it is,
 * placed on the target with ports free there, berth's own files follow the new ports, and it runs on the
 * target if it ran before. Volumes stay where they were, and move says so before it acts.
 */
import assert from 'node:assert/strict';
import {appendFile, mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {parseJson} from '../helpers/cli.ts';
import {TEST_IMAGE} from '../helpers/docker.ts';
import {engineWorkspace, enginesTestOptions, TEST_ENGINES} from '../helpers/engines.ts';
import {tempDir} from '../helpers/temp.ts';
import {randomBase, spawnBerth, TEST_PLUGIN} from './stack.ts';
import {detectCompose} from '../../source/core/compose/detect.ts';

const [E1, E2] = TEST_ENGINES;

/** `name state ports` of each container of compose project `project` on the engine at `host` (null: the local one). */
async function containersOn(host: string | null, project: string): Promise<string[]> {
	const {stdout} = await execa('docker', [
		...(host ? ['--host', host] : []),
		'ps',
		'-a',
		'--filter',
		`label=com.docker.compose.project=${project}`,
		'--format',
		'{{.Names}} {{.State}} {{.Ports}}',
	]);
	// compose v1 names containers m-app1_web_1, v2 m-app1-web-1.
	return stdout
		.split('\n')
		.filter(Boolean)
		.map(line => line.replace(/^\S+/, name => name.replaceAll('_', '-')))
		.sort();
}

async function removeEverywhere(project: string): Promise<void> {
	for (const host of [null, E1.host, E2.host]) {
		const prefix = host ? ['--host', host] : [];
		const ids = await execa('docker', [...prefix, 'ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], {reject: false});
		const list = String(ids.stdout).split('\n').filter(Boolean);
		if (list.length) await execa('docker', [...prefix, 'rm', '-f', ...list], {reject: false});
		await execa('docker', [...prefix, 'network', 'rm', `${project}_default`], {reject: false});
		const volumes = await execa('docker', [...prefix, 'volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`], {reject: false});
		const names = String(volumes.stdout).split('\n').filter(Boolean);
		if (names.length) await execa('docker', [...prefix, 'volume', 'rm', '-f', ...names], {reject: false});
	}
}

test('move takes a running app down here and starts it on another engine, on the next free port there; its volume stays', {
	...(await enginesTestOptions()),
	timeout: 240_000,
}, async () => {
	const t = await engineWorkspace(await tempDir());
	const base = randomBase();
	// m/app1 on the local engine; n/app1 holds the same number on berth-e1, so the move cannot keep it there.
	const here = parseJson<{ports: {web: number}; projectName: string}>(await t.cli(['ports', 'allocate', 'm/app1', '--slot', `web=${base}:2`, '--json']));
	const there = parseJson<{ports: {web: number}}>(await t.cli(['ports', 'allocate', 'n/app1', '--engine', E1.name, '--slot', `web=${base}:2`, '--json']));
	assert.equal(there.ports.web, here.ports.web);
	const project = here.projectName;
	const dir = path.join(t.root, 'm', 'app1');
	await mkdir(dir, {recursive: true});
	await writeFile(
		path.join(dir, 'compose.yaml'),
		`services:\n  web:\n    image: ${TEST_IMAGE}\n    init: true\n    command: ["sleep", "600"]\n    ports:\n      - "127.0.0.1:\${BERTH_PORT_WEB}:8080"\n    volumes:\n      - data:/data\nvolumes:\n  data: {}\n`,
	);
	try {
		const up = await t.cli(['up', 'm/app1']);
		assert.equal(up.exitCode, 0, up.stderr);
		assert.equal((await containersOn(null, project)).length, 1);

		// A dry run says everything and changes nothing.
		const dry = await t.cli(['move', 'm/app1', '--to', E1.name, '--dry-run']);
		assert.equal(dry.exitCode, 0, dry.stderr);
		assert.match(dry.stdout, new RegExp(`Moving m/app1 from default to ${E1.name} \\(it runs there: it is taken down there and started on ${E1.name}\\)`));
		assert.match(dry.stdout, new RegExp(`ports: web ${base} -> ${base + 1}`));
		assert.match(dry.stdout, new RegExp(`volumes do not move: ${project}_data stays on default with its data`));
		assert.match(dry.stdout, /Dry run: nothing changed\./);
		assert.match((await containersOn(null, project))[0]!, / running /, 'still running here after the dry run');

		const moved = await t.cli(['move', 'm/app1', '--to', E1.name]);
		assert.equal(moved.exitCode, 0, moved.stderr + moved.stdout);
		// The volumes notice comes before anything is done.
		const notice = moved.stdout.indexOf('volumes do not move');
		assert.ok(notice >= 0 && notice < moved.stdout.indexOf(`moved m/app1 to ${E1.name}`), moved.stdout);
		assert.match(moved.stdout, new RegExp(`moved m/app1 to ${E1.name} .* — started there`));
		assert.deepEqual(await containersOn(null, project), [], 'nothing left on the local engine');
		assert.deepEqual(await containersOn(E1.host, project), [`${project}-web-1 running 127.0.0.1:${base + 1}->8080/tcp`]);
		const volume = await execa('docker', ['volume', 'ls', '-q', '--filter', `name=${project}_data`]);
		assert.equal(volume.stdout.trim(), `${project}_data`, 'the volume stayed on the engine the app left');

		const ps = parseJson<{apps: {id: string; engine: string; state: string}[]}>(await t.cli(['ps', 'm/app1', '--json']));
		assert.deepEqual(
			ps.apps.map(a => [a.id, a.engine, a.state]),
			[['m/app1', E1.name, 'running']],
		);
		const list = parseJson<{allocations: {id: string; engine: string; ports: Record<string, number>}[]}>(await t.cli(['ports', 'list', '--json']));
		const entry = list.allocations.find(a => a.id === 'm/app1')!;
		assert.deepEqual([entry.engine, entry.ports], [E1.name, {web: base + 1}]);

		// Moving it where it is changes nothing.
		const again = await t.cli(['move', 'm/app1', '--to', E1.name]);
		assert.equal(again.exitCode, 0, again.stderr);
		assert.match(again.stdout, new RegExp(`m/app1 is on engine ${E1.name} already: nothing to do`));
	} finally {
		await removeEverywhere(project);
	}
});

test('move refuses an engine that is no Docker context or does not answer, and changes nothing', {
	...(await enginesTestOptions()),
	timeout: 120_000,
}, async () => {
	const t = await engineWorkspace(await tempDir());
	const allocated = await t.cli(['ports', 'allocate', 'm/app1', '--slot', `web=${randomBase()}:2`, '--json']);
	assert.equal(allocated.exitCode, 0, allocated.stderr);
	await mkdir(path.join(t.root, 'm', 'app1'), {recursive: true});
	await writeFile(path.join(t.root, 'm', 'app1', 'compose.yaml'), `services:\n  web:\n    image: ${TEST_IMAGE}\n`);
	const before = await readFile(t.store, 'utf8');
	const unknown = await t.cli(['move', 'm/app1', '--to', 'nowhere']);
	assert.equal(unknown.exitCode, 1, unknown.stderr);
	assert.match(unknown.stderr, /there is no engine "nowhere": engines are Docker contexts, and these exist: default, berth-e1, berth-e2/);
	// A context whose engine is not there (a closed loopback port).
	await execa('docker', ['context', 'create', 'gone', '--docker', 'host=tcp://127.0.0.1:9'], {env: {DOCKER_CONFIG: t.dockerConfig}});
	const gone = await t.cli(['move', 'm/app1', '--to', 'gone']);
	assert.equal(gone.exitCode, 1, gone.stderr);
	assert.match(gone.stderr, /engine gone does not answer .*: m\/app1 stays on default; nothing was changed/);
	const missing = await t.cli(['move', 'm/app1']);
	assert.equal(missing.exitCode, 2);
	assert.match(missing.stderr, /--to NAME or --to auto/);
	// auto never picks the engine the app is leaving.
	const auto = await t.cli(['move', 'm/app1', '--to', 'auto', '--dry-run']);
	assert.equal(auto.exitCode, 0, auto.stderr);
	assert.match(auto.stderr, /moving to engine auto: berth-e[12] /);
	assert.match(auto.stdout, /Moving m\/app1 from default to berth-e[12] /);
	const nowhere = await t.cli(['move', 'm/app2', '--to', E1.name]);
	assert.notEqual(nowhere.exitCode, 0);
	assert.equal(await readFile(t.store, 'utf8'), before, 'the store is as it was');
});

test('move of a flavour app rewrites its .env port line (secrets kept, mode 0600) and unedited files, and keeps an edited one', {
	...(await enginesTestOptions()),
	timeout: 120_000,
}, async () => {
	const t = await engineWorkspace(await tempDir());
	const base = randomBase();
	assert.equal((await t.cli(['ports', 'allocate', 'm/app1', '--slot', `backend=${base}:2`])).exitCode, 0);
	const created = await t.cli(['new', 'm/app1', '--flavour', 'busybox-test', '--plugin', TEST_PLUGIN, '--json']);
	assert.equal(created.exitCode, 0, created.stderr);
	assert.equal((await t.cli(['ports', 'allocate', 'n/app1', '--engine', E2.name, '--slot', `backend=${base}:2`])).exitCode, 0);
	const dir = path.join(t.root, 'm', 'app1');
	await appendFile(path.join(dir, '.env'), 'MY_TOKEN=keep-me\n');
	await appendFile(path.join(dir, 'README.md'), '\nMy own notes.\n');

	const moved = await t.cli(['move', 'm/app1', '--to', E2.name, '--plugin', TEST_PLUGIN]);
	assert.equal(moved.exitCode, 0, moved.stderr + moved.stdout);
	assert.match(moved.stdout, /it is not running; nothing is started/);
	assert.match(moved.stdout, new RegExp(`ports: backend ${base} -> ${base + 1}`));
	assert.match(moved.stdout, /rewrote .*docker-compose\.yml/);
	assert.match(moved.stderr, /kept README\.md: edited since berth wrote it: it may still name the old ports/);
	const env = await readFile(path.join(dir, '.env'), 'utf8');
	assert.match(env, new RegExp(`^BACKEND_PORT=${base + 1}$`, 'm'));
	assert.match(env, /^MY_TOKEN=keep-me$/m, 'the rest of .env is kept');
	assert.equal((await stat(path.join(dir, '.env'))).mode & 0o777, 0o600);
	assert.match(await readFile(path.join(dir, 'docker-compose.yml'), 'utf8'), new RegExp(`${base + 1}`));
	assert.match(await readFile(path.join(dir, 'README.md'), 'utf8'), new RegExp(`127\\.0\\.0\\.1:${base}/`), 'the edited file is left as it was');
	const state = JSON.parse(await readFile(path.join(dir, '.berth.json'), 'utf8')) as {ports: Record<string, number>};
	assert.deepEqual(state.ports, {backend: base + 1});
	const config = await t.cli(['config', 'm/app1', '--json']);
	// v2 prints the long syntax, v1 the short one.
	assert.match(config.stdout, new RegExp(`"published": "?${base + 1}"?|:${base + 1}:8080`), 'compose publishes the new port');
});

const compose = await detectCompose();
test('move of an adopted app rewrites berth\u2019s override with the port it gets on the target', {
	...(await enginesTestOptions()),
	...(compose.v2 ? {} : {skip: 'adoption needs compose v2'}),
	timeout: 120_000,
}, async () => {
	const t = await engineWorkspace(await tempDir());
	const v2 = {BERTH_COMPOSE: 'v2'};
	const dir = path.join(t.root, 'm', 'app1');
	await mkdir(dir, {recursive: true});
	await writeFile(
		path.join(dir, 'compose.yaml'),
		`services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n    ports:\n      - "127.0.0.1:8080:8080"\n`,
	);
	const adopted = await t.cli(['adopt', 'm/app1', '--json'], v2);
	assert.equal(adopted.exitCode, 0, adopted.stderr);
	const port = parseJson<{apps: {ports: {allocated: number}[]; override: string}[]}>(adopted).apps[0]!;
	const allocated = port.ports[0]!.allocated;
	// berth-e1 already has that number.
	assert.equal((await t.cli(['ports', 'allocate', 'n/app1', '--engine', E1.name, '--slot', `web=${allocated}:1`])).exitCode, 0);
	const moved = await t.cli(['move', 'm/app1', '--to', E1.name], v2);
	assert.equal(moved.exitCode, 0, moved.stderr + moved.stdout);
	assert.match(moved.stdout, new RegExp(`ports: web-8080 ${allocated} -> ${allocated + 1}`));
	const override = await readFile(port.override, 'utf8');
	assert.match(override, new RegExp(`"published":"${allocated + 1}"`));
	assert.doesNotMatch(override, new RegExp(`"published":"${allocated}"`));
	const config = await t.cli(['config', 'm/app1', '--json'], v2);
	assert.match(config.stdout, new RegExp(`"published": "?${allocated + 1}"?`));
});

test('Ctrl-C while move takes the app down: it finishes that step, moves nothing, exits 130 and says where the app was left', {
	...(await enginesTestOptions()),
	timeout: 180_000,
}, async () => {
	const t = await engineWorkspace(await tempDir());
	const here = parseJson<{projectName: string}>(await t.cli(['ports', 'allocate', 'm/app1', '--slot', `web=${randomBase()}:2`, '--json']));
	const dir = path.join(t.root, 'm', 'app1');
	await mkdir(dir, {recursive: true});
	// sleep as PID 1 ignores SIGTERM: compose down waits out the grace period, time to press Ctrl-C.
	await writeFile(
		path.join(dir, 'compose.yaml'),
		`services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n    stop_grace_period: 4s\n    ports:\n      - "127.0.0.1:\${BERTH_PORT_WEB}:8080"\n`,
	);
	const storeBefore = await readFile(t.store, 'utf8');
	try {
		assert.equal((await t.cli(['up', 'm/app1'])).exitCode, 0);
		const move = spawnBerth(t, ['move', 'm/app1', '--to', E1.name]);
		let stderr = '';
		move.child.stderr!.on('data', (chunk: Buffer) => {
			stderr += String(chunk);
		});
		await move.waitLine(line => line.includes('volumes do not move'), 60_000);
		await new Promise(resolve => setTimeout(resolve, 1500)); // compose down is waiting for the container
		process.kill(move.child.pid!, 'SIGINT');
		const result = await move.child;
		assert.equal(result.exitCode, 130, `${move.lines.join('\n')}\n${stderr}`);
		assert.match(
			stderr,
			/move of m\/app1 interrupted: it was taken down on default and not moved\. "berth move m\/app1 --to berth-e1" moves it; "berth up m\/app1" starts it where it is/,
		);
		assert.equal(await readFile(t.store, 'utf8'), storeBefore, 'the store still places it on default');
		assert.deepEqual(await containersOn(null, here.projectName), [], 'down finished');
		assert.deepEqual(await containersOn(E1.host, here.projectName), [], 'nothing started on the target');
	} finally {
		await removeEverywhere(here.projectName);
	}
});
