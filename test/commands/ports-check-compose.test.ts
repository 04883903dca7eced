import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {composeUnderTest} from '../helpers/compose.ts';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

interface Report {
	ok: boolean;
	conflicts: {kind: string; port: number; protocol?: string; apps: string[]; message: string}[];
	warnings: {kind: string; file?: string; message: string}[];
	compose: {source: string; reread: number; apps: number};
}

async function app(root: string, id: string, files: Record<string, string>): Promise<string> {
	const dir = path.join(root, id);
	await mkdir(dir, {recursive: true});
	for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
	return dir;
}

const service = (ports: string[], extra = '') => `    image: berth-test/busybox:latest\n${extra}    ports: [${ports.map(p => JSON.stringify(p)).join(', ')}]\n`;

test('ports check counts what compose publishes per (host IP, port, protocol): .env, the user override, profiles, host network and ranges', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	await app(root, 'a/app1', {
		'compose.yaml': `services:\n  web:\n${service(['5353:5353/udp', '127.0.0.1:8120:80', '${WEB_PORT:-8000}:80'])}`,
		'.env': 'WEB_PORT=47300\n',
	});
	await app(root, 'b/app1', {
		'docker-compose.yml': `services:\n  web:\n${service(['5353:5353', '127.0.0.2:8120:80'])}  debug:\n${service(['47300:80'], '    profiles: [debug]\n')}`,
		// The user's own override: compose reads it, so berth does too.
		'docker-compose.override.yml': 'services:\n  web:\n    ports: ["47400:80"]\n',
	});
	const c = await app(root, 'c/app1', {
		'compose.yaml': `services:\n  web:\n${service(['47400:47400', '[::1]:47500:80', '47600-47602:80'])}  agent:\n    image: berth-test/busybox:latest\n    network_mode: host\n`,
	});
	await app(root, 'd/app1', {'compose.yaml': `services:\n  web:\n${service(['[::]:47500:80', '[::]:8120:80'])}`});
	const e = await app(root, 'e/app1', {'compose.yaml': `services:\n  web:\n${service(['notaport:80'])}`});

	const result = await runCli(['ports', 'check', '--json', '--store', store, '--root', root]);
	assert.equal(result.exitCode, 1, result.stderr);
	const report = parseJson<Report>(result);
	assert.deepEqual(
		report.conflicts.map(x => [x.kind, `${x.port}/${x.protocol}`, x.apps]),
		[
			// b's override publishes 47400 as c's file does.
			['compose-fixed-port', '47400/tcp', ['b/app1', 'c/app1']],
			// [::] is every IPv6 address, ::1 among them.
			['compose-fixed-port', '47500/tcp', ['c/app1', 'd/app1']],
		],
		'5353 tcp vs udp, 8120 on 127.0.0.1 / 127.0.0.2 / [::], and the inactive profile are not conflicts',
	);
	const kinds = (kind: string) => report.warnings.filter(w => w.kind === kind);
	assert.equal(kinds('host-network').length, 1);
	assert.equal(kinds('host-network')[0]!.file, path.join(c, 'compose.yaml'));
	assert.match(kinds('host-network')[0]!.message, /c\/app1 \(service agent\) runs on the host network/);
	assert.match(kinds('host-range')[0]!.message, /c\/app1 \(service web\) publishes container port 80 on host range 47600-47602\/tcp/);
	const refused = kinds('compose-file').filter(w => w.file === path.join(e, 'compose.yaml'));
	assert.equal(refused.length, 1, JSON.stringify(report.warnings));
	assert.match(refused[0]!.message, new RegExp(`^${path.join(e, 'compose.yaml')}: compose refused it`));
	assert.deepEqual({reread: report.compose.reread, apps: report.compose.apps}, {reread: 5, apps: 5});

	const text = await runCli(['ports', 'check', '--store', store, '--root', root]);
	assert.equal(text.exitCode, 1);
	assert.match(text.stdout, /conflict port 47400\/tcp is published by 2 apps: b\/app1 \(service web\), c\/app1 \(service web\)/);
	assert.match(text.stdout, /compose: re-read 0 of 5 apps/);
	assert.match(text.stderr, /warning: c\/app1 \(service agent\) runs on the host network/);

	// A profile turned on: its service counts, and collides with a's port from .env.
	const profiled = parseJson<Report>(await runCli(['ports', 'check', '--json', '--store', store, '--root', root], {env: {COMPOSE_PROFILES: 'debug'}}));
	assert.ok(
		profiled.conflicts.some(x => x.port === 47_300 && x.message === 'port 47300/tcp is published by 2 apps: a/app1 (service web), b/app1 (service debug)'),
		JSON.stringify(profiled.conflicts),
	);
});

test('ports check counts an adopted app by its remapped ports: berth override last', async t => {
	const binary = await composeUnderTest();
	if (binary?.flavour !== 'v2') return t.skip('remapping needs compose v2 (!override)');
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const web = `services:\n  web:\n${service(['127.0.0.1:8080:8080'])}`;
	const adopted = await app(root, 'f/app1', {'compose.yaml': web});
	await app(root, 'g/app1', {'compose.yaml': web});
	await app(root, 'h/app1', {'compose.yaml': web});
	const override = path.join(dir, 'f-app1.override.yaml');
	await writeFile(override, 'services:\n  web:\n    ports: !override ["127.0.0.1:46580:8080"]\n');
	await writeFile(
		store,
		JSON.stringify({
			version: 1,
			allocations: [
				{model: 'f', app: 1, ports: {'web-8080': 46_580}, projectName: 'f-app1', appPath: adopted, createdAt: '2026-01-01T00:00:00.000Z', adoption: {override}},
			],
		}),
	);
	const report = parseJson<Report>(await runCli(['ports', 'check', '--json', '--store', store, '--root', root]));
	assert.deepEqual(
		report.conflicts.map(x => [x.port, x.apps]),
		[[8080, ['g/app1', 'h/app1']]],
	);
});
