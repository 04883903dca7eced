import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {parseJson, runCli} from '../helpers/cli.ts';
import {enginesTestOptions, makeContexts, TEST_ENGINES} from '../helpers/engines.ts';
import {tempDir} from '../helpers/temp.ts';
import {handMadeApp, workspace} from './stack.ts';

interface EngineJson {
	name: string;
	endpoint: string;
	current: boolean;
	reachable: boolean;
	version?: string;
	apiVersion?: string;
	cpus?: number;
	memoryBytes?: number;
	running: string[];
	placed: string[];
	problem?: string;
}

test('engines: every Docker context with its state, facts and the berth apps running on it; a dead one is named, not skipped', {
	...(await enginesTestOptions()),
	timeout: 120_000,
}, async () => {
	const dir = await tempDir();
	const dockerConfig = path.join(dir, 'docker-config');
	const [e1] = TEST_ENGINES;
	await makeContexts(dockerConfig, {[e1.name]: e1.host, gone: `unix://${path.join(dir, 'no-engine.sock')}`});
	const ws = workspace(dir);
	const env = {...ws.env, DOCKER_CONFIG: dockerConfig};
	const app = await handMadeApp(ws, 'm/app1');
	const up = await execa('docker', ['compose', '-p', app.projectName, 'up', '-d'], {
		cwd: app.dir,
		env: {DOCKER_CONFIG: dockerConfig, DOCKER_CONTEXT: e1.name},
		reject: false,
	});
	assert.equal(up.exitCode, 0, up.stderr);
	try {
		const result = await runCli(['engines', '--json'], {env});
		assert.equal(result.exitCode, 0, result.stderr);
		const engines = parseJson<{engines: EngineJson[]}>(result).engines;
		assert.deepEqual(
			engines.map(e => e.name),
			['default', 'berth-e1', 'gone'],
		);
		const [local, remote, gone] = engines as [EngineJson, EngineJson, EngineJson];
		assert.equal(local.current, true);
		assert.equal(remote.endpoint, e1.host);
		assert.equal(remote.reachable, true);
		assert.match(remote.version ?? '', /^\d+\.\d+/);
		assert.match(remote.apiVersion ?? '', /^1\.\d+$/);
		assert.ok((remote.cpus ?? 0) > 0 && (remote.memoryBytes ?? 0) > 0);
		assert.deepEqual(remote.running, ['m/app1'], 'the app runs on berth-e1');
		assert.deepEqual(local.placed, ['m/app1'], 'placed nowhere yet: it counts for the current context');
		assert.deepEqual(local.running, [], 'and not on the local engine');
		assert.equal(gone.reachable, false);
		assert.match(gone.problem ?? '', /no-engine\.sock|Cannot connect/);

		const table = await runCli(['engines'], {env});
		assert.equal(table.exitCode, 0);
		const rows = table.stdout.split('\n');
		assert.match(rows[0]!, /^ENGINE\s+ENDPOINT\s+STATE/);
		assert.match(rows.find(r => r.includes('berth-e1'))!, /tcp:\/\/10\.231\.1\.2:2375\s+reachable\s+\S+\s+1\.\d+\s+\d+\s+[\d.]+ GiB\s+0\s+1$/);
		assert.match(rows.find(r => r.includes('gone'))!, /unreachable/);
		assert.match(table.stderr, /gone \(unix:\/\/.*no-engine\.sock\): /, 'why the dead engine did not answer');
	} finally {
		await execa('docker', ['compose', '-p', app.projectName, 'down', '-t', '0'], {
			cwd: app.dir,
			env: {DOCKER_CONFIG: dockerConfig, DOCKER_CONTEXT: e1.name},
			reject: false,
		});
	}
});
