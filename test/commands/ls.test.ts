import assert from 'node:assert/strict';
import {mkdir, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

test('ls lists models and apps with flavour, ports, project and compose presence; odd folders are warnings', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'generated', 'apps');
	const store = path.join(dir, 'ports.json');
	await mkdir(path.join(root, 'anthropic_claude-3.7-sonnet', 'app1'), {recursive: true});
	await mkdir(path.join(root, 'anthropic_claude-3.7-sonnet', 'app2'), {recursive: true});
	await mkdir(path.join(root, 'anthropic_claude-3.7-sonnet', 'notes'), {recursive: true});
	await mkdir(path.join(root, 'openai_gpt-4o', 'app10'), {recursive: true});
	await mkdir(path.join(root, 'Not A Model'), {recursive: true});
	await writeFile(path.join(root, 'anthropic_claude-3.7-sonnet', 'app1', 'docker-compose.yml'), 'services:\n  web:\n    image: x\n');
	const allocated = await runCli(['ports', 'allocate', 'anthropic_claude-3.7-sonnet/app1', '--store', store, '--root', root]);
	assert.equal(allocated.exitCode, 0, allocated.stderr);
	// Written after the allocation (which would keep a name pinned here): the store's name wins.
	await writeFile(
		path.join(root, 'anthropic_claude-3.7-sonnet', 'app1', '.berth.json'),
		JSON.stringify({
			schema: 1,
			flavour: {id: 'react-flask', version: '1.0.0'},
			answers: {},
			ports: {},
			projectName: 'x',
			files: {},
			createdAt: '',
			updatedAt: '',
		}),
	);

	// Run from the parent of generated/: the default root is ./generated/apps.
	const result = await runCli(['ls', '--json', '--store', store], {cwd: dir});
	assert.equal(result.exitCode, 0, result.stderr);
	const listing = parseJson<{root: string; models: {id: string; apps: Record<string, unknown>[]}[]; warnings: string[]}>(result);
	assert.equal(listing.root, root);
	assert.deepEqual(
		listing.models.map(m => [m.id, m.apps.map(a => a['id'])]),
		[
			['anthropic_claude-3.7-sonnet', ['anthropic_claude-3.7-sonnet/app1', 'anthropic_claude-3.7-sonnet/app2']],
			['openai_gpt-4o', ['openai_gpt-4o/app10']],
		],
	);
	assert.deepEqual(listing.models[0]!.apps[0], {
		id: 'anthropic_claude-3.7-sonnet/app1',
		model: 'anthropic_claude-3.7-sonnet',
		number: 1,
		path: path.join(root, 'anthropic_claude-3.7-sonnet', 'app1'),
		flavour: 'react-flask',
		ports: {backend: 5001, frontend: 8001},
		projectName: 'anthropic-claude-3-7-sonnet-app1',
		hasCompose: true,
		engine: 'default',
		adopted: false,
		publishes: [],
		hazards: [],
	});
	assert.equal(listing.models[0]!.apps[1]!['publishes'], null);
	assert.equal(listing.models[0]!.apps[1]!['hasCompose'], false);
	assert.equal(listing.models[0]!.apps[1]!['ports'], null);
	assert.equal(listing.warnings.length, 2);
	assert.match(result.stderr, /Not A Model.*not a valid model id/);
	assert.match(result.stderr, /notes: app folders are named app<N>/);

	const text = await runCli(['ls', '--store', store, '--root', root]);
	assert.match(text.stdout, /anthropic_claude-3\.7-sonnet \(2 apps\)/);
	assert.match(text.stdout, /app1 +react-flask +backend:5001 frontend:8001 +anthropic-claude-3-7-sonnet-app1 +compose/);

	const missing = await runCli(['ls', '--json', '--store', store, '--root', path.join(dir, 'nowhere')]);
	assert.equal(missing.exitCode, 0);
	assert.deepEqual(parseJson<{models: unknown[]}>(missing).models, []);
	assert.match(missing.stderr, /does not exist yet/);
});

test('ls reports symlinked model and app folders as warnings instead of dropping them silently', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const elsewhere = path.join(dir, 'elsewhere');
	await mkdir(path.join(elsewhere, 'app1'), {recursive: true});
	await mkdir(path.join(root, 'real_model', 'app1'), {recursive: true});
	await symlink(path.join(elsewhere, 'app1'), path.join(root, 'real_model', 'app2'));
	await symlink(elsewhere, path.join(root, 'linked_model'));
	const result = await runCli(['ls', '--json', '--root', root, '--store', path.join(dir, 'ports.json')]);
	assert.equal(result.exitCode, 0, result.stderr);
	const listing = parseJson<{models: {id: string; apps: {id: string}[]}[]; warnings: string[]}>(result);
	assert.deepEqual(
		listing.models.map(m => [m.id, m.apps.map(a => a.id)]),
		[['real_model', ['real_model/app1']]],
	);
	assert.deepEqual(listing.warnings, [
		`${path.join(root, 'linked_model')} is a symlink: berth does not follow symlinks in the apps root (skipped; move the folder here instead)`,
		`${path.join(root, 'real_model', 'app2')} is a symlink: berth does not follow symlinks in the apps root (skipped; move the folder here instead)`,
	]);
	const text = await runCli(['ls', '--root', root, '--store', path.join(dir, 'ports.json')]);
	assert.match(text.stderr, /linked_model is a symlink: berth does not follow symlinks in the apps root/);
});

test('BERTH_ROOT and BERTH_STORE are honoured', async () => {
	const dir = await tempDir();
	await mkdir(path.join(dir, 'r', 'm', 'app4'), {recursive: true});
	const result = await runCli(['ls', '--json'], {env: {BERTH_ROOT: path.join(dir, 'r'), BERTH_STORE: path.join(dir, 's.json')}});
	assert.deepEqual(
		parseJson<{models: {apps: {id: string}[]}[]}>(result).models[0]!.apps.map(a => a.id),
		['m/app4'],
	);
});

interface ComposeListing {
	models: {
		id: string;
		apps: {id: string; adopted: boolean; publishes: {service: string; hostIp: string | null; hostPort: number; protocol: string}[] | null}[];
	}[];
	warnings: string[];
	compose: {source: string; reread: number; apps: number};
}

const published = (listing: ComposeListing, app: string) =>
	listing.models
		.flatMap(m => m.apps)
		.find(a => a.id === app)!
		.publishes?.map(p => `${p.service} ${p.hostIp ?? '*'}:${p.hostPort}/${p.protocol}`)
		.sort();

test('ls shows what compose itself publishes per app: .env variables, the user override, active profiles, tcp and udp; refusals are named warnings', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const app1 = path.join(root, 'm', 'app1');
	const app2 = path.join(root, 'm', 'app2');
	await mkdir(app1, {recursive: true});
	await mkdir(app2, {recursive: true});
	await writeFile(
		path.join(app1, 'docker-compose.yml'),
		`services:
  web:
    image: berth-test/busybox:latest
    ports: ["\${HTTP_PORT:-8080}:8080", "5353:5353", "127.0.0.1:5353:5353/udp"]
  debug:
    image: berth-test/busybox:latest
    profiles: [debug]
    ports: ["9229:9229"]
`,
	);
	await writeFile(path.join(app1, '.env'), 'HTTP_PORT=8123\n');
	await writeFile(path.join(app1, 'docker-compose.override.yml'), 'services:\n  web:\n    ports: ["9001:9001"]\n');
	// compose refuses a host port that is not a number: a warning naming the file, never a silent empty row.
	await writeFile(path.join(app2, 'compose.yaml'), 'services:\n  web:\n    image: berth-test/busybox:latest\n    ports: ["notaport:80"]\n');

	const cold = await runCli(['ls', '--json', '--root', root, '--store', store]);
	assert.equal(cold.exitCode, 0, cold.stderr);
	const listing = parseJson<ComposeListing>(cold);
	assert.deepEqual(published(listing, 'm/app1'), ['web *:5353/tcp', 'web *:8123/tcp', 'web *:9001/tcp', 'web 127.0.0.1:5353/udp']);
	assert.equal(published(listing, 'm/app2'), undefined);
	assert.match(listing.compose.source, /^compose v[12]/);
	assert.deepEqual({reread: listing.compose.reread, apps: listing.compose.apps}, {reread: 2, apps: 2});
	const refusal = listing.warnings.filter(w => w.includes(path.join(app2, 'compose.yaml')));
	assert.equal(refusal.length, 1, listing.warnings.join('\n'));
	assert.match(refusal[0]!, /compose refused it: .*(notaport|invalid)/i);
	assert.ok(cold.stderr.includes(refusal[0]!), cold.stderr);
	assert.doesNotMatch(cold.stderr, /YAMLWarning|level=warning/);

	// Warm: the cache answers; the text shows the fixed ports compactly and what was re-read.
	const warm = await runCli(['ls', '--root', root, '--store', store]);
	assert.equal(warm.exitCode, 0, warm.stderr);
	assert.match(warm.stdout, /app1 .* compose +fixed 5353,5353\/udp,8123,9001\n/);
	assert.match(warm.stdout, /app2 .* compose +\?\n/);
	assert.match(warm.stdout, /compose: re-read 0 of 2 apps \(compose v[12]/);

	// A changed .env, and a profile turned on: re-read, and the profile's service counts.
	await writeFile(path.join(app1, '.env'), 'HTTP_PORT=8124\n');
	const changed = parseJson<ComposeListing>(await runCli(['ls', '--json', '--root', root, '--store', store], {env: {COMPOSE_PROFILES: 'debug'}}));
	assert.equal(changed.compose.reread, 2);
	assert.deepEqual(published(changed, 'm/app1'), ['debug *:9229/tcp', 'web *:5353/tcp', 'web *:8124/tcp', 'web *:9001/tcp', 'web 127.0.0.1:5353/udp']);
});

test('ls without compose installed: berth reads the files itself and says so once, not per app', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const bin = path.join(dir, 'empty-bin');
	await mkdir(bin);
	for (const n of [1, 2, 3]) {
		await mkdir(path.join(root, 'm', `app${n}`), {recursive: true});
		await writeFile(path.join(root, 'm', `app${n}`, 'compose.yaml'), `services:\n  web:\n    image: x\n    ports: ["\${PORT:-700${n}}:80"]\n`);
	}
	await writeFile(path.join(root, 'm', 'app1', '.env'), 'PORT=7101\n');
	const result = await runCli(['ls', '--json', '--root', root, '--store', path.join(dir, 'ports.json')], {env: {PATH: bin}});
	assert.equal(result.exitCode, 0, result.stderr);
	const listing = parseJson<ComposeListing>(result);
	assert.equal(listing.compose.source, "berth's reader");
	assert.equal(result.stderr.match(/no compose is installed/g)?.length, 1, result.stderr);
	assert.deepEqual(published(listing, 'm/app1'), ['web *:7101/tcp']);
	assert.deepEqual(published(listing, 'm/app3'), ['web *:7003/tcp']);
});

test('ls marks an adopted app (berth override in the store) as adopted', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const app = path.join(root, 'm', 'app1');
	await mkdir(app, {recursive: true});
	await writeFile(path.join(app, 'compose.yaml'), 'services:\n  web:\n    image: x\n    ports: ["8080:8080"]\n');
	const override = path.join(dir, 'overrides', 'm-app1.yaml');
	await mkdir(path.dirname(override));
	await writeFile(override, 'services:\n  web:\n    container_name: m-app1-web\n');
	const allocation = {model: 'm', app: 1, ports: {'web-8080': 46_180}, projectName: 'm-app1', appPath: app, createdAt: '2026-01-01T00:00:00.000Z'};
	await writeFile(store, JSON.stringify({version: 1, allocations: [{...allocation, adoption: {override}}]}));
	const listing = parseJson<ComposeListing>(await runCli(['ls', '--json', '--root', root, '--store', store]));
	assert.equal(listing.models[0]!.apps[0]!.adopted, true);
	const text = await runCli(['ls', '--root', root, '--store', store]);
	assert.match(text.stdout, /app1 +- +web-8080:46180 +m-app1 +compose +adopted\n/);
});

test('ls names what stops two copies of an app from running at once: a warning each, and per app in --json', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const app1 = path.join(root, 'm', 'app1');
	const app2 = path.join(root, 'm', 'app2');
	await mkdir(app1, {recursive: true});
	await mkdir(app2, {recursive: true});
	await writeFile(
		path.join(app1, 'compose.yaml'),
		`services:
  web:
    image: berth-test/busybox:latest
    ports: ["8080:80"]
    environment:
      PUBLIC_URL: http://localhost:8080/
    volumes: ["${path.join(dir, 'shared')}:/data", "./data:/local"]
  agent:
    image: berth-test/busybox:latest
    network_mode: host
`,
	);
	await writeFile(path.join(app2, 'compose.yaml'), 'services:\n  web:\n    image: berth-test/busybox:latest\n    ports: ["8081:80"]\n');

	const result = await runCli(['ls', '--json', '--root', root, '--store', store]);
	assert.equal(result.exitCode, 0, result.stderr);
	const listing = parseJson<{models: {apps: {id: string; hazards: {kind: string; service: string | null; message: string}[]}[]}[]; warnings: string[]}>(result);
	const apps = listing.models.flatMap(m => m.apps);
	assert.deepEqual(
		apps
			.find(a => a.id === 'm/app1')!
			.hazards.map(h => `${h.kind} ${h.service}`)
			.sort(),
		['bind-outside web', 'env-mentions-port web', 'host-network agent'],
	);
	assert.deepEqual(apps.find(a => a.id === 'm/app2')!.hazards, []);
	const named = listing.warnings.filter(w => w.startsWith('m/app1: '));
	assert.equal(named.length, 3, listing.warnings.join('\n'));
	assert.ok(named.some(w => /service "agent" uses the host's network/.test(w)));

	const text = await runCli(['ls', '--root', root, '--store', store]);
	assert.equal(text.exitCode, 0, text.stderr);
	assert.match(text.stderr, /warning:.* m\/app1: service "web" mounts .*shared, outside the app folder/);
	assert.match(text.stderr, /m\/app1: service "web": PUBLIC_URL=http:\/\/localhost:8080\/ mentions published port 8080/);
	assert.doesNotMatch(text.stderr, /m\/app2:/);
});
