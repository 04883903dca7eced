import {test} from 'node:test';
import assert from 'node:assert/strict';
import {cp, readdir, readFile, rm, stat, utimes, writeFile} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import path from 'node:path';
import {execa} from 'execa';
import {findCompose} from '../../../source/core/compose/detect.ts';
import {appHazards} from '../../../source/core/compose/hazards.ts';
import {loadModel, loadModels, type ModelTarget} from '../../../source/core/compose/model-load.ts';
import {publishedPorts, type AppModel} from '../../../source/core/compose/model.ts';
import {ROOT, runtimeCommand} from '../../helpers/runtime.ts';
import {tempDir} from '../../helpers/temp.ts';

/**
 * The fixture apps of test/fixtures/compose-apps, each read by the compose this run selects (as the
 * client does: BERTH_COMPOSE=v1 forces v1; scripts/test.mjs runs this file once with each) and by
 * berth's own reader. Syntax v1 does not know (`include`, `!override`, long syntax's host_ip, `name:`)
 * is asserted as what v1 does with it: a refusal naming the file.
 */

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'compose-apps');
const binary = await findCompose();
const v1 = binary?.flavour === 'v1';
const skip = binary ? false : 'no compose installed here';
let serial = 0;

function target(dir: string, name = path.basename(dir)): ModelTarget {
	return {id: `fixtures/${name}`, projectName: `berth-model-${process.pid}-${serial++}`, path: dir, ports: null};
}

async function load(name: string, env: NodeJS.ProcessEnv = process.env, useBinary = binary): Promise<AppModel> {
	const {model} = await loadModel(target(path.join(FIXTURES, name)), {binary: useBinary, cacheDir: null, env});
	return model;
}

/** Published ports as "service hostIp:hostPort->target/protocol", sorted. */
const ports = (model: AppModel) =>
	publishedPorts(model)
		.map(p => `${p.service} ${p.hostIp ?? '*'}:${p.hostPort}->${p.target}/${p.protocol}`)
		.sort();

const PORTS: Record<string, string[]> = {
	'container-name': ['web *:8110->8080/tcp'],
	extends: ['web *:8070->80/tcp', 'web *:8071->81/tcp'],
	'host-network': ['web *:8100->80/tcp'], // agent's 8101 is on the host network: not a published port
	ipv6: ['web 127.0.0.1:8050->80/tcp', 'web 127.0.0.2:8051->81/tcp', 'web ::1:8050->80/tcp'],
	'long-syntax': ['web *:8030->80/tcp', 'web *:8031->53/udp'],
	'many-aliases': ['web *:8140->80/tcp'],
	'merge-keys': ['api *:8091->80/tcp', 'web *:8090->80/tcp'],
	'override-v1': ['web *:8020->80/tcp', 'web *:8021->81/tcp'],
	'override-v2': ['admin *:8012->80/tcp', 'web *:8010->80/tcp', 'web *:8011->81/tcp'],
	profiles: ['web *:8060->80/tcp'],
	ranges: ['web *:8040->8040/tcp', 'web *:8041->8041/tcp', 'web *:8042->8042/tcp'],
	'tcp-udp': ['dns *:8053->53/tcp', 'dns *:8053->53/udp'],
	variables: ['web *:7000->7000/tcp', 'web *:8001->8000/tcp', 'web *:9001->9000/tcp', 'web 127.0.0.1:5006->5005/tcp'],
};

/** What compose v2 reads and v1 refuses, with the reason v1 gives. */
const V2_ONLY: Record<string, {ports: string[]; v1: RegExp}> = {
	include: {ports: ['db *:8081->5432/tcp', 'web *:8080->80/tcp'], v1: /'include'/},
	'long-host-ip': {ports: ['web 127.0.0.1:8032->80/tcp', 'web ::1:8033->81/udp'], v1: /host_ip/},
	'override-tags': {ports: ['web *:8131->80/tcp'], v1: /!override/},
	'declared-name': {ports: ['web *:8120->80/tcp'], v1: /'name'/},
};

for (const [name, expected] of Object.entries(PORTS)) {
	test(`loadModel: ${name}: the ports compose publishes, per service, host IP, host port and protocol`, {skip}, async () => {
		const model = await load(name);
		assert.equal(model.error, null);
		assert.deepEqual(ports(model), expected);
		assert.equal(model.source, `compose ${binary!.flavour}${binary!.version ? ` ${binary!.version}` : ''}`);
	});
}

for (const [name, {ports: expected, v1: reason}] of Object.entries(V2_ONLY)) {
	test(`loadModel: ${name}: read by compose v2, a refusal naming the file under v1`, {skip}, async () => {
		const model = await load(name);
		if (v1) {
			assert.match(model.error ?? '', new RegExp(`${path.join(FIXTURES, name)}/compose(\\.override)?\\.yaml`));
			assert.match((model.error ?? '').split('compose refused it: ')[1] ?? '', reason);
			assert.deepEqual(model.services, []);
		} else {
			assert.equal(model.error, null);
			assert.deepEqual(ports(model), expected);
		}
	});
}

test('loadModel: a profile service counts only when COMPOSE_PROFILES turns it on', {skip}, async () => {
	const off = await load('profiles');
	assert.deepEqual(
		off.services.filter(s => !s.active).map(s => s.name),
		['debug'],
	);
	const on = await load('profiles', {...process.env, COMPOSE_PROFILES: 'debug'});
	assert.deepEqual(ports(on), ['debug *:8061->80/tcp', 'web *:8060->80/tcp']);
});

test('loadModel: a host range to one port is a range, not a fixed port; the host network is named', {skip}, async () => {
	const ranges = await load('ranges');
	assert.deepEqual(
		ranges.services.flatMap(s => s.ports.filter(p => p.hostRange).map(p => `${p.service} ${p.hostRange}->${p.target}`)),
		['web 9100-9110->80'],
	);
	const kinds = (model: AppModel, dir: string) => appHazards(model, path.join(FIXTURES, dir)).map(h => `${h.kind} ${h.service ?? '-'}`);
	assert.deepEqual(kinds(ranges, 'ranges'), ['host-range web']);
	assert.deepEqual(kinds(await load('host-network'), 'host-network'), ['host-network agent']);
	// A fixed container_name is what adoption replaces: the model carries it, it is not a hazard.
	const named1 = await load('container-name');
	assert.deepEqual(
		named1.services.map(s => [s.name, s.containerName]),
		[['web', 'web']],
	);
	assert.deepEqual(kinds(named1, 'container-name'), []);
	const named = await load('declared-name');
	if (!v1) assert.deepEqual(kinds(named, 'declared-name'), ['project-name -']);
	assert.equal(named.declaredName, v1 ? null : 'shop');
});

test("loadModel: compose's remarks are warnings naming the file", {skip}, async () => {
	const model = await load('variables');
	const file = path.join(FIXTURES, 'variables', 'compose.yaml');
	const unset = model.warnings.filter(w => w.includes('UNSET_LEVEL'));
	assert.equal(unset.length, 1, model.warnings.join('\n'));
	assert.ok(unset[0]!.startsWith(`${file}: `), unset[0]);
	assert.doesNotMatch(unset[0]!, /time=|level=/);
	// A remark about the override names the override, not the compose file in front of it.
	for (const warning of (await load('override-v1')).warnings) {
		assert.match(warning, /^compose: \S+docker-compose(\.override)?\.yml: /);
		assert.doesNotMatch(warning, /docker-compose\.yml: compose: /);
	}
});

test('loadModel: a file compose refuses is an error naming the file and the reason', {skip}, async () => {
	const model = await load('refused');
	assert.match(model.error ?? '', new RegExp(`^${path.join(FIXTURES, 'refused', 'compose.yaml')}: compose refused it: .*(eighty|invalid type)`));
	assert.deepEqual(model.services, []);
});

for (const [label, useBinary] of [
	['compose', binary],
	["berth's reader", null],
] as const) {
	test(`loadModel (${label}): a YAML alias bomb is refused within seconds; 140 legitimate aliases are read`, {skip: useBinary ? skip : false}, async () => {
		const started = Date.now();
		const bomb = await load('yaml-bomb', process.env, useBinary);
		assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
		assert.match(bomb.error ?? '', /yaml-bomb\/compose\.yaml: its aliases expand beyond what berth follows/);
		const aliases = await load('many-aliases', process.env, useBinary);
		assert.equal(aliases.error, null);
		assert.equal(aliases.services.length, 141);
		assert.deepEqual(ports(aliases), ['web *:8140->80/tcp']);
	});
}

test('loadModel: !override and !reset print no raw runtime warning', {skip}, async () => {
	const printed: string[] = [];
	const write = process.stderr.write.bind(process.stderr);
	const onWarning = (warning: Error) => printed.push(`warning: ${warning.message}`);
	const warn = console.warn;
	process.on('warning', onWarning);
	console.warn = (...args: unknown[]) => printed.push(args.map(String).join(' '));
	process.stderr.write = ((chunk: string | Uint8Array) => {
		printed.push(String(chunk));
		return true;
	}) as typeof process.stderr.write;
	try {
		await load('override-tags');
		await load('override-tags', process.env, null);
		await new Promise(resolve => setTimeout(resolve, 50)); // emitWarning prints on a later tick
	} finally {
		process.stderr.write = write;
		console.warn = warn;
		process.off('warning', onWarning);
	}
	assert.deepEqual(printed, []);
});

test("loadModel: berth's reader (no compose) reads variables and .env, and says it is the reader", async () => {
	const model = await load('variables', process.env, null);
	assert.equal(model.source, "berth's reader");
	assert.equal(model.error, null);
	assert.deepEqual(ports(model), PORTS['variables']);
	assert.deepEqual(ports(await load('override-v2', process.env, null)), PORTS['override-v2']);
	assert.equal((await load('declared-name', process.env, null)).declaredName, 'shop');
	// An override's !override replaces the port list, as compose v2 does (berth's own override relies on it).
	assert.deepEqual(ports(await load('override-tags', process.env, null)), V2_ONLY['override-tags']!.ports);
	const dir = path.join(await tempDir(), 'app');
	await cp(path.join(FIXTURES, 'override-tags'), dir, {recursive: true});
	await writeFile(path.join(dir, 'compose.override.yaml'), 'services:\n  web:\n    ports: !reset []\n');
	const reset = await loadModel(target(dir), {binary: null, cacheDir: null});
	assert.deepEqual(ports(reset.model), []);
});

async function listing(dir: string): Promise<string[]> {
	return (await readdir(dir, {recursive: true})).map(String).sort();
}

test('loadModel: the cache answers until .env or the override changes, and lives outside the app folder', {skip}, async () => {
	const root = await tempDir();
	const dir = path.join(root, 'app');
	await cp(path.join(FIXTURES, 'override-v2'), dir, {recursive: true});
	await writeFile(path.join(dir, '.env'), 'UNUSED=1\n');
	const before = await listing(dir);
	const cacheDir = path.join(root, 'cache');
	const app = target(dir);
	const options = {binary, cacheDir};
	assert.equal((await loadModel(app, options)).reread, true);
	const second = await loadModel(app, options);
	assert.equal(second.reread, false);
	assert.deepEqual(ports(second.model), PORTS['override-v2']);

	await writeFile(path.join(dir, '.env'), 'UNUSED=2\n');
	assert.equal((await loadModel(app, options)).reread, true);
	assert.equal((await loadModel(app, options)).reread, false);

	const override = path.join(dir, 'compose.override.yaml');
	await writeFile(override, (await readFile(override, 'utf8')).replace('8011:81', '8015:81'));
	const edited = await loadModel(app, options);
	assert.equal(edited.reread, true);
	assert.ok(ports(edited.model).includes('web *:8015->81/tcp'), ports(edited.model).join(', '));

	assert.deepEqual(await listing(dir), before, 'nothing written in the app folder');
	assert.equal((await readdir(cacheDir)).filter(f => f.endsWith('.json')).length, 1);
});

test('loadModel: two processes writing the cache at once leave one readable entry', {skip}, async () => {
	const root = await tempDir();
	const dir = path.join(root, 'app');
	await cp(path.join(FIXTURES, 'merge-keys'), dir, {recursive: true});
	const cacheDir = path.join(root, 'cache');
	const project = `berth-model-race-${process.pid}`;
	const [command, args] = runtimeCommand('test/fixtures/model-load-worker.ts');
	const runs = await Promise.all([1, 2, 3].map(() => execa(command, [...args, dir, cacheDir, project], {reject: false, cwd: ROOT})));
	for (const run of runs) {
		assert.equal(run.exitCode, 0, run.stderr);
		assert.deepEqual({...JSON.parse(run.stdout), reread: null}, {reread: null, error: null, services: 2});
	}
	// A slow starter may find the entry the others wrote; the first ones cannot have.
	assert.ok(runs.some(run => JSON.parse(run.stdout).reread === true));
	assert.deepEqual(
		(await readdir(cacheDir)).map(f => path.extname(f)),
		['.json'],
		'one entry, no temporary file left',
	);
	const cached = await loadModel({...target(dir), projectName: project}, {binary, cacheDir});
	assert.equal(cached.reread, false);
	assert.deepEqual(ports(cached.model), PORTS['merge-keys']);
});

test('loadModel: an edit to .env that keeps its size and time is still seen (the cache hashes contents)', async () => {
	const root = await tempDir();
	const dir = path.join(root, 'app');
	await cp(path.join(FIXTURES, 'variables'), dir, {recursive: true});
	const env = path.join(dir, '.env');
	const options = {binary: null, cacheDir: path.join(root, 'cache'), env: {}};
	const app = target(dir);
	assert.equal((await loadModel(app, options)).reread, true);
	assert.equal((await loadModel(app, options)).reread, false);
	const {atime, mtime, size} = await stat(env);
	await writeFile(env, (await readFile(env, 'utf8')).replace('HTTP_PORT=8001', 'HTTP_PORT=8002'));
	await utimes(env, atime, mtime);
	assert.equal((await stat(env)).size, size);
	const edited = await loadModel(app, options);
	assert.equal(edited.reread, true);
	assert.ok(ports(edited.model).includes('web *:8002->8000/tcp'), ports(edited.model).join(', '));
	assert.equal((await loadModel(app, options)).reread, false);
});

test('loadModel: a file left alone is known by its status; an edit keeping its size and time still moves its change time', async () => {
	const root = await tempDir();
	const dir = path.join(root, 'app');
	await cp(path.join(FIXTURES, 'variables'), dir, {recursive: true});
	const env = path.join(dir, '.env');
	const options = {binary: null, cacheDir: path.join(root, 'cache'), env: {}};
	const app = target(dir);
	// Older than the few seconds within which a file's status does not vouch for its content.
	await sleep(3500);
	assert.equal((await loadModel(app, options)).reread, true);
	assert.equal((await loadModel(app, options)).reread, false);
	const {atime, mtime, size} = await stat(env);
	await writeFile(env, (await readFile(env, 'utf8')).replace('HTTP_PORT=8001', 'HTTP_PORT=8002'));
	await utimes(env, atime, mtime);
	assert.equal((await stat(env)).size, size);
	assert.equal((await stat(env)).mtimeMs, mtime.getTime());
	const edited = await loadModel(app, options);
	assert.equal(edited.reread, true);
	assert.ok(ports(edited.model).includes('web *:8002->8000/tcp'), ports(edited.model).join(', '));
	assert.equal((await loadModel(app, options)).reread, false);
});

test('loadModels: apps share one cache file; a touched file is not re-read, an added or removed one is', async () => {
	const root = await tempDir();
	const cacheDir = path.join(root, 'cache');
	const apps = [1, 2, 3].map(n => target(path.join(root, 'm', `app${n}`), `app${n}`));
	for (const app of apps) await cp(path.join(FIXTURES, 'override-v2'), app.path, {recursive: true});
	const options = {binary: null, cacheDir, env: {}};
	const reread = async () => (await loadModels(apps, options)).reread;
	assert.equal(await reread(), 3);
	assert.equal(await reread(), 0);
	assert.deepEqual(await readdir(cacheDir), ['models.json'], 'one file for every app');

	const [one, two, three] = apps.map(app => app.path) as [string, string, string];
	const later = new Date(Date.now() + 60_000);
	await utimes(path.join(one, 'compose.yaml'), later, later);
	assert.equal(await reread(), 0, 'same content, new time: the cache still answers');

	await writeFile(path.join(two, '.env.local'), 'X=1\n');
	const override = path.join(three, 'compose.override.yaml');
	await rm(override);
	const {models, reread: both} = await loadModels(apps, options);
	assert.equal(both, 2, 'an added .env.local, a removed override');
	assert.equal(await reread(), 0);
	assert.deepEqual(ports(models.get('fixtures/app3')!), ['web *:8010->80/tcp']);
	await writeFile(override, 'services:\n  web:\n    ports: ["8019:82"]\n');
	const again = await loadModels(apps, options);
	assert.equal(again.reread, 1);
	assert.deepEqual(ports(again.models.get('fixtures/app3')!), ['web *:8010->80/tcp', 'web *:8019->82/tcp']);
	await rm(path.join(two, '.env.local'));
	assert.equal(await reread(), 1);
	assert.equal(await reread(), 0);
});
