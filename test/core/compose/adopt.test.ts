import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {parse} from 'yaml';
import {adoptApp, compareVersions, overrideFile, undoAdoption, wantedSlots, type AdoptTarget} from '../../../source/core/compose/adopt.ts';
import {detectCompose, type ComposeBinary} from '../../../source/core/compose/detect.ts';
import {loadModel} from '../../../source/core/compose/model-load.ts';
import {publishedPorts, servicesOf} from '../../../source/core/compose/model.ts';
import {BerthError} from '../../../source/core/errors.ts';
import {openStore} from '../../../source/core/ports/store.ts';
import {TEST_IMAGE} from '../../helpers/docker.ts';
import {tempDir} from '../../helpers/temp.ts';

const v2 = (await detectCompose()).v2;
const skip = v2 ? false : 'needs compose v2';

/** A range of its own per run: concurrent runs on one machine do not reach for the same ports. */
const FROM = 21_000 + 50 * Math.floor(Math.random() * 180);
const range = {from: FROM, to: FROM + 49};
const nothingBound = {isBound: async () => false};
const noContainers = async () => new Map<number, unknown>();

async function app(dir: string, compose: string, extra: Record<string, string> = {}): Promise<AdoptTarget> {
	const appDir = path.join(dir, 'apps', 'm', 'app1');
	await mkdir(appDir, {recursive: true});
	await writeFile(path.join(appDir, 'compose.yaml'), compose);
	for (const [name, text] of Object.entries(extra)) await writeFile(path.join(appDir, name), text);
	return {
		id: 'm/app1',
		model: 'm',
		number: 1,
		path: appDir,
		projectName: `adopt-${path
			.basename(dir)
			.toLowerCase()
			.replace(/[^a-z0-9]/g, '')}`,
		flavour: null,
		hasCompose: true,
	};
}

/** sha256 of every file in the app folder: adopt must leave each byte as it was. */
async function hashes(dir: string): Promise<Record<string, string>> {
	const result: Record<string, string> = {};
	for (const name of (await readdir(dir)).sort())
		result[name] = createHash('sha256')
			.update(await readFile(path.join(dir, name)))
			.digest('hex');
	return result;
}

const options = (dir: string) => ({storeFile: path.join(dir, 'store', 'ports.json'), binary: v2, range, probe: nothingBound, published: noContainers});

const WEB = `services:
  web:
    image: ${TEST_IMAGE}
    container_name: web
    ports:
      - "127.0.0.1:8080:8080"
      - "9000"
      - "5353:5353/udp"
      - "5353:5353/tcp"
  dns:
    image: ${TEST_IMAGE}
    ports: ["53:53/udp"]
`;

test('compareVersions reads compose versions as numbers', () => {
	assert.equal(compareVersions('2.26.1-4', '2.24.4'), 1);
	assert.equal(compareVersions('2.24.4', '2.24.4'), 0);
	assert.equal(compareVersions('2.9.0', '2.24.4'), -1);
	assert.equal(compareVersions('v2.24.3', '2.24.4'), -1);
});

test('slots: one per service and container port, tcp+udp share one, udp-only is suffixed, ranges and host network left alone', () => {
	const config = {
		services: {
			web: {ports: ['127.0.0.1:8080:8080', '[::1]:8080:8080', '5353:5353/udp', '5353:5353/tcp', '9100-9110:53/udp', '9000']},
			db: {ports: ['5432:5432/udp', '6000:6000']},
			agent: {network_mode: 'host', ports: ['9999:9999']},
		},
	};
	const warnings: string[] = [];
	const model = {services: servicesOf(config, {}, 'compose.yaml', warnings)};
	assert.deepEqual(warnings, []);
	// 6000 is one of the app's own allocated ports (published through ${BERTH_PORT_...}): berth's already.
	const {slots, kept} = wantedSlots(model, new Set([6000]));
	assert.deepEqual(
		slots.map(s => [s.slot, s.protocols.join('+'), s.hostIps.join(','), s.original.join(',')]),
		[
			['db-5432-udp', 'udp', '', '5432'],
			['web-5353', 'tcp+udp', '', '5353'],
			['web-8080', 'tcp', '127.0.0.1,::1', '8080'],
		],
	);
	assert.deepEqual(kept.map(k => `${k.service} ${k.published}:${k.target}`).sort(), ['agent 9999:9999', 'db 6000:6000', 'web 9100-9110:53']);
});

test('adopt writes an override beside the store that remaps every fixed port and container name, and edits no user file', {skip}, async () => {
	const dir = await tempDir('berth-adopt-');
	const target = await app(dir, WEB, {'.env': 'X=1\n'});
	const before = await hashes(target.path);
	const result = await adoptApp(target, options(dir));
	assert.equal(result.status, 'adopted', result.message);
	const file = overrideFile(options(dir).storeFile, target);
	assert.equal(result.override, file);
	assert.ok(!file.startsWith(target.path), 'the override is not in the app folder');
	assert.deepEqual(await hashes(target.path), before);

	const text = await readFile(file, 'utf8');
	assert.match(text, /ports: !override/);
	const slots = Object.fromEntries(result.ports.map(p => [p.slot, p.allocated]));
	assert.deepEqual(Object.keys(slots).sort(), ['dns-53-udp', 'web-5353', 'web-8080']);
	for (const port of Object.values(slots)) assert.ok(port >= range.from && port <= range.to, `port ${port} is in the range`);
	assert.equal(new Set(Object.values(slots)).size, 3, 'three distinct ports');

	// What compose now runs: the allocated ports on the user's addresses, the container-only port kept.
	const {model} = await loadModel(
		{id: target.id, path: target.path, projectName: target.projectName, ports: null, berthOverride: file},
		{binary: v2, cacheDir: null},
	);
	assert.equal(model.error, null);
	const published = publishedPorts(model)
		.map(p => `${p.service} ${p.hostIp ?? '*'}:${p.hostPort}:${p.target}/${p.protocol}`)
		.sort();
	assert.deepEqual(
		published,
		[
			`dns *:${slots['dns-53-udp']}:53/udp`,
			`web *:${slots['web-5353']}:5353/tcp`,
			`web *:${slots['web-5353']}:5353/udp`,
			`web 127.0.0.1:${slots['web-8080']}:8080/tcp`,
		].sort(),
	);
	assert.ok(
		model.services.find(s => s.name === 'web')!.ports.some(p => p.target === 9000 && p.hostPort === null),
		'container-only entry kept',
	);
	assert.equal(model.services.find(s => s.name === 'web')!.containerName, `${target.projectName}-web`);

	// Recorded on the allocation, for ls, ports list and the TUI.
	const doc = await openStore(options(dir).storeFile).read();
	const allocation = doc.allocations[0]!;
	assert.deepEqual(allocation.ports, slots);
	assert.equal(allocation.adoption?.override, file);
	assert.deepEqual(
		allocation.adoption?.ports?.find(p => p.slot === 'web-8080'),
		{slot: 'web-8080', service: 'web', target: 8080, protocols: ['tcp'], hostIps: ['127.0.0.1'], original: [8080], allocated: slots['web-8080']},
	);
	assert.deepEqual(allocation.adoption?.containerNames, [{service: 'web', original: 'web', replaced: `${target.projectName}-web`}]);
	assert.deepEqual(parse(text.replace(/!override/g, '')).services.web.container_name, `${target.projectName}-web`);
});

test('adopt is idempotent, picks up a changed file and --undo gives everything back', {skip}, async () => {
	const dir = await tempDir('berth-adopt-');
	const target = await app(dir, WEB);
	const first = await adoptApp(target, options(dir));
	const file = overrideFile(options(dir).storeFile, target);
	const written = (await stat(file)).mtimeMs;

	const again = await adoptApp(target, options(dir));
	assert.equal(again.status, 'unchanged');
	assert.deepEqual(again.ports, first.ports);
	assert.equal((await stat(file)).mtimeMs, written, 'the override was not rewritten');

	// A new service and a port gone: a new slot, the old one released, the others keep their ports.
	await writeFile(
		path.join(target.path, 'compose.yaml'),
		WEB.replace('      - "5353:5353/udp"\n      - "5353:5353/tcp"\n', '').concat(`  admin:\n    image: ${TEST_IMAGE}\n    ports: ["127.0.0.1:8443:443"]\n`),
	);
	const changed = await adoptApp(target, options(dir));
	assert.equal(changed.status, 'adopted');
	const ports = (r: typeof first) => Object.fromEntries(r.ports.map(p => [p.slot, p.allocated]));
	assert.deepEqual(Object.keys(ports(changed)).sort(), ['admin-443', 'dns-53-udp', 'web-8080']);
	assert.equal(ports(changed)['web-8080'], ports(first)['web-8080']);
	assert.equal(ports(changed)['dns-53-udp'], ports(first)['dns-53-udp']);
	assert.deepEqual(changed.released, [{slot: 'web-5353', port: ports(first)['web-5353']}]);
	const doc = await openStore(options(dir).storeFile).read();
	assert.deepEqual(doc.allocations[0]!.ports, ports(changed));

	const undone = await undoAdoption(target, options(dir));
	assert.equal(undone.status, 'undone');
	await assert.rejects(stat(file), {code: 'ENOENT'});
	assert.deepEqual((await openStore(options(dir).storeFile).read()).allocations, [], 'the allocation adopt created is gone');
	assert.equal((await undoAdoption(target, options(dir))).status, 'not-adopted');
});

test('a flavour app needs no adoption: adopt says so and changes nothing', {skip}, async () => {
	const dir = await tempDir('berth-adopt-');
	const target = {...(await app(dir, WEB)), flavour: 'react-flask'};
	const result = await adoptApp(target, options(dir));
	assert.equal(result.status, 'flavour');
	assert.match(result.message, /flavour react-flask.*nothing to adopt/);
	await assert.rejects(stat(options(dir).storeFile), {code: 'ENOENT'});
	await assert.rejects(stat(overrideFile(options(dir).storeFile, target)), {code: 'ENOENT'});
});

test('compose v1 and a v2 older than 2.24.4 are refused, naming the version needed, and nothing changes', async () => {
	const dir = await tempDir('berth-adopt-');
	const target = await app(dir, WEB);
	const refusals: [ComposeBinary, RegExp][] = [
		[{flavour: 'v1', version: '1.29.2', command: ['docker-compose']}, /compose v2 2\.24\.4 or newer.*compose v1 1\.29\.2/],
		[{flavour: 'v2', version: '2.20.2', command: ['docker', 'compose']}, /compose v2 2\.24\.4 or newer.*compose 2\.20\.2/],
	];
	for (const [binary, message] of refusals) {
		await assert.rejects(adoptApp(target, {...options(dir), binary}), (error: unknown) => error instanceof BerthError && message.test(error.message));
	}
	await assert.rejects(stat(options(dir).storeFile), {code: 'ENOENT'});
	await assert.rejects(stat(overrideFile(options(dir).storeFile, target)), {code: 'ENOENT'});
});
