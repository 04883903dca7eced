import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {parse} from 'yaml';
import {parseJson, runCli} from '../helpers/cli.ts';
import {TEST_IMAGE} from '../helpers/docker.ts';
import {tempDir} from '../helpers/temp.ts';
import {detectCompose} from '../../source/core/compose/detect.ts';

const detection = await detectCompose();
const needsV2 = detection.v2 ? false : 'needs compose v2';
const needsV1 = detection.v1 ? false : 'needs compose v1';

async function workspace(compose: string | null) {
	const dir = await tempDir('berth-adopt-cli-');
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const appDir = path.join(root, 'm', 'app1');
	await mkdir(appDir, {recursive: true});
	if (compose !== null) await writeFile(path.join(appDir, 'docker-compose.yml'), compose);
	// Adoption needs v2: these tests pick it even in the suite's BERTH_COMPOSE=v1 passes (v1 is asked for by name).
	const env = {BERTH_ROOT: root, BERTH_STORE: store, ...(detection.v2 ? {BERTH_COMPOSE: 'v2'} : {})};
	return {dir, root, store, appDir, env, cli: (args: string[], extra: Record<string, string> = {}) => runCli(args, {env: {...env, ...extra}})};
}

const FIXED = `services:
  web:
    image: ${TEST_IMAGE}
    container_name: web
    ports: ["127.0.0.1:8080:8080"]
`;

const FROM = 22_000 + 50 * Math.floor(Math.random() * 180);
const RANGE = `${FROM}-${FROM + 49}`;

test('ports allocate refuses a compose app that publishes fixed ports, pointing at berth adopt', async () => {
	const ws = await workspace(FIXED);
	const result = await ws.cli(['ports', 'allocate', 'm/app1']);
	assert.equal(result.exitCode, 1, result.stdout + result.stderr);
	assert.match(result.stderr, /publishes fixed host ports \(web 8080:8080\/tcp\).*berth adopt m\/app1/s);
	await assert.rejects(stat(ws.store), {code: 'ENOENT'}, 'nothing was allocated');
});

test('ports allocate still serves a compose app that publishes through berth\u2019s variables', async () => {
	const ws = await workspace(`services:\n  web:\n    image: ${TEST_IMAGE}\n    ports: ["127.0.0.1:\${BERTH_PORT_BACKEND:-5000}:8080"]\n`);
	const result = await ws.cli(['ports', 'allocate', 'm/app1', '--slot', `backend=${FROM}:2`, '--json']);
	assert.equal(result.exitCode, 0, result.stderr);
	assert.ok(parseJson<{ports: {backend: number}}>(result).ports.backend >= FROM);
});

test('adopt under compose v1 fails naming the compose it needs, and changes nothing', {skip: needsV1}, async () => {
	const ws = await workspace(FIXED);
	const result = await ws.cli(['adopt', 'm/app1', '--json'], {BERTH_COMPOSE: 'v1'});
	assert.equal(result.exitCode, 1);
	const error = parseJson<{error: {code: string; message: string}}>(result).error;
	assert.equal(error.code, 'compose-too-old');
	assert.match(error.message, /compose v2 2\.24\.4 or newer.*compose v1/);
	await assert.rejects(stat(ws.store), {code: 'ENOENT'});
	assert.equal(await readFile(path.join(ws.appDir, 'docker-compose.yml'), 'utf8'), FIXED);
});

test('adopt: usage errors exit 2, an app without a folder exits 1', async () => {
	const ws = await workspace(FIXED);
	assert.equal((await ws.cli(['adopt'])).exitCode, 2);
	assert.equal((await ws.cli(['adopt', 'm/app1', '--all'])).exitCode, 2);
	assert.equal((await ws.cli(['adopt', 'nope'])).exitCode, 2);
	assert.equal((await ws.cli(['adopt', 'm/app1', '--range', '9-5'])).exitCode, 2);
	const missing = await ws.cli(['adopt', 'm/app9']);
	assert.equal(missing.exitCode, 1);
	assert.match(missing.stderr, /m\/app9 has no folder/);
	const help = await ws.cli(['adopt', '--help']);
	assert.equal(help.exitCode, 0);
	assert.match(help.stdout, /--dry-run/);
	assert.match(help.stdout, /--undo/);
});

test('adopt --dry-run prints the remapping and writes nothing; adopt then config shows what will start', {skip: needsV2}, async () => {
	const ws = await workspace(FIXED);
	const dry = await ws.cli(['adopt', 'm/app1', '--dry-run', '--range', RANGE]);
	assert.equal(dry.exitCode, 0, dry.stderr);
	assert.match(dry.stdout, new RegExp(`web 8080/tcp on 127\\.0\\.0\\.1: 8080 -> ${FROM}`));
	assert.match(dry.stdout, /container_name: web -> m-app1-web/);
	assert.match(dry.stdout, /Dry run: nothing written/);
	await assert.rejects(stat(ws.store), {code: 'ENOENT'});

	const adopted = await ws.cli(['adopt', '--model', 'm', '--range', RANGE, '--json']);
	assert.equal(adopted.exitCode, 0, adopted.stderr);
	const report = parseJson<{apps: {status: string; ports: {slot: string; allocated: number}[]}[]}>(adopted);
	assert.equal(report.apps[0]!.status, 'adopted');
	const port = report.apps[0]!.ports[0]!;
	assert.equal(port.slot, 'web-8080');

	const config = await ws.cli(['config', 'm/app1', '--json']);
	assert.equal(config.exitCode, 0, config.stderr);
	const model = parseJson<{name: string; services: {web: {container_name: string; ports: {published: string; host_ip: string}[]}}}>(config);
	assert.equal(model.name, 'm-app1');
	assert.equal(model.services.web.container_name, 'm-app1-web');
	assert.deepEqual(
		model.services.web.ports.map(p => `${p.host_ip}:${p.published}`),
		[`127.0.0.1:${port.allocated}`],
	);
	const text = await ws.cli(['config', 'm/app1']);
	assert.equal(text.exitCode, 0);
	assert.equal(parse(text.stdout).services.web.container_name, 'm-app1-web');

	const undone = await ws.cli(['adopt', '--all', '--undo']);
	assert.equal(undone.exitCode, 0, undone.stderr);
	assert.match(undone.stdout, /undone/);
	const after = parseJson<{services: {web: {container_name: string}}}>(await ws.cli(['config', 'm/app1', '--json']));
	assert.equal(after.services.web.container_name, 'web');
	assert.equal(await readFile(path.join(ws.appDir, 'docker-compose.yml'), 'utf8'), FIXED);
});

test('config: clear errors for a bad id and an app without a compose file', async () => {
	const ws = await workspace(null);
	const bad = await ws.cli(['config', 'not-an-app']);
	assert.equal(bad.exitCode, 2);
	const none = await ws.cli(['config', 'm/app1']);
	assert.equal(none.exitCode, 1);
	assert.match(none.stderr, /m\/app1 has no compose file/);
});

test('config under compose v1 --json says it converted v1\u2019s YAML', {skip: needsV1}, async () => {
	const ws = await workspace(FIXED);
	const result = await ws.cli(['config', 'm/app1', '--json'], {BERTH_COMPOSE: 'v1'});
	assert.equal(result.exitCode, 0, result.stderr);
	assert.match(result.stderr, /compose v1 prints its config as YAML only/);
	assert.equal(parseJson<{services: {web: {container_name: string}}}>(result).services.web.container_name, 'web');
});

test('an adopted app under compose v1: up fails naming the compose it needs, down works; ports release removes berth\u2019s override', {
	skip: needsV2 || needsV1,
}, async () => {
	const ws = await workspace(FIXED);
	const adopted = await ws.cli(['adopt', 'm/app1', '--range', RANGE, '--json']);
	assert.equal(adopted.exitCode, 0, adopted.stderr);
	const override = parseJson<{apps: {override: string}[]}>(adopted).apps[0]!.override;
	await stat(override);

	const up = await ws.cli(['up', 'm/app1'], {BERTH_COMPOSE: 'v1'});
	assert.equal(up.exitCode, 1);
	assert.match(up.stderr, /m\/app1 is adopted.*compose v2 2\.24\.4 or newer.*berth adopt --undo m\/app1/s);
	// Removing goes by the project's labels: v1 can still take an adopted app down.
	const down = await ws.cli(['down', 'm/app1'], {BERTH_COMPOSE: 'v1'});
	assert.equal(down.exitCode, 0, down.stderr);

	const released = await ws.cli(['ports', 'release', 'm/app1']);
	assert.equal(released.exitCode, 0, released.stderr);
	await assert.rejects(stat(override), {code: 'ENOENT'}, "berth's override goes with the allocation");
	assert.equal(await readFile(path.join(ws.appDir, 'docker-compose.yml'), 'utf8'), FIXED);
});

test('config of an adopted app under compose v1 names the compose it needs, not v1\u2019s raw YAML error', {skip: needsV2 || needsV1}, async () => {
	const ws = await workspace(FIXED);
	const adopted = await ws.cli(['adopt', 'm/app1', '--range', RANGE]);
	assert.equal(adopted.exitCode, 0, adopted.stderr);
	const config = await ws.cli(['config', 'm/app1'], {BERTH_COMPOSE: 'v1'});
	assert.equal(config.exitCode, 1);
	assert.match(config.stderr, /m\/app1 is adopted.*compose v2 2\.24\.4 or newer.*berth adopt --undo m\/app1/s);
	assert.doesNotMatch(config.stderr, /constructor for the tag/);
	const undone = await ws.cli(['adopt', 'm/app1', '--undo']);
	assert.equal(undone.exitCode, 0, undone.stderr);
});

test('config of an app whose compose file is an alias bomb is refused at once, naming the file', async () => {
	const lines = ['x-a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
	for (let i = 1; i < 10; i++)
		lines.push(
			`x-a${i}: &a${i} [${Array(9)
				.fill(`*a${i - 1}`)
				.join(',')}]`,
		);
	const ws = await workspace(`${lines.join('\n')}\nservices:\n  web:\n    image: ${TEST_IMAGE}\n    labels: *a9\n`);
	const started = performance.now();
	const config = await ws.cli(['config', 'm/app1']);
	const seconds = (performance.now() - started) / 1000;
	assert.equal(config.exitCode, 1);
	assert.match(config.stderr, /docker-compose\.yml.*alias/s);
	// compose itself never returns on this file: berth must not have asked it (its 60 s timeout was the old bound).
	assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
});
