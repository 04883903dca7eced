import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {parseJson, runCli} from '../helpers/cli.ts';
import {ROOT} from '../helpers/runtime.ts';
import {enginesTestOptions, makeContexts, TEST_ENGINES} from '../helpers/engines.ts';
import {tempDir} from '../helpers/temp.ts';
import {randomBase, spawnBerth, writeTestCompose, type Workspace} from './stack.ts';

const [E1, E2] = TEST_ENGINES;

interface PsJson {
	engine: {reachable: boolean; message: string | null};
	engines: {name: string; reachable: boolean; message: string | null}[];
	apps: {id: string; state: string; engine: string}[];
}

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Kills berth-e2's daemon (SIGKILL: the engine is simply gone), and brings it back with the CI script. */
async function killE2(): Promise<void> {
	const pid = Number((await readFile('/run/docker-bh2/dockerd.pid', 'utf8')).trim());
	process.kill(pid, 'SIGKILL');
	for (let i = 0; i < 100; i++) {
		if ((await execa('docker', ['--host', E2.host, 'version'], {reject: false, timeout: 3000})).exitCode !== 0) return;
		await pause(100);
	}
	throw new Error('berth-e2 still answers after SIGKILL');
}

async function restartE2(): Promise<void> {
	await execa('bash', [path.join(ROOT, '.ci', 'engines.sh'), 'start', '2'], {timeout: 120_000});
}

test('an engine that goes away turns only its own apps unknown; the others still start and stop; it comes back by itself', {
	...(await enginesTestOptions()),
	timeout: 300_000,
}, async () => {
	const dir = await tempDir();
	const dockerConfig = path.join(dir, 'docker-config');
	await makeContexts(dockerConfig, {[E1.name]: E1.host, [E2.name]: E2.host});
	const root = path.join(dir, 'apps');
	const env = {BERTH_ROOT: root, BERTH_STORE: path.join(dir, 'ports.json'), DOCKER_CONFIG: dockerConfig};
	const ws: Workspace = {root, store: env.BERTH_STORE, env, cli: (args, options = {}) => runCli(args, {env, timeout: options.timeout})};
	const projects: Record<string, string> = {};
	for (const [id, engine] of [
		['m/app1', E1.name],
		['n/app1', E2.name],
	] as const) {
		const allocated = await ws.cli(['ports', 'allocate', id, '--engine', engine, '--slot', `backend=${randomBase()}:2`, '--json']);
		assert.equal(allocated.exitCode, 0, allocated.stderr);
		const {ports, projectName} = parseJson<{ports: {backend: number}; projectName: string}>(allocated);
		await writeTestCompose(path.join(root, ...id.split('/')), ports.backend);
		projects[id] = projectName;
	}
	const watch = spawnBerth(ws, ['ps', '--watch', '--json']);
	try {
		const up = await ws.cli(['up', 'm/app1', 'n/app1', '--wait', '--json'], {timeout: 240_000});
		assert.equal(up.exitCode, 0, up.stdout + up.stderr);
		await watch.waitLine(line => line.includes('"id":"n/app1"') && line.includes('"state":"healthy"'), 60_000);

		await killE2();
		const ps = await ws.cli(['ps', '--json']);
		assert.equal(ps.exitCode, 1, 'ps says an engine is unreachable');
		const status = parseJson<PsJson>(ps);
		assert.deepEqual(
			status.apps.map(a => [a.id, a.engine, a.state]),
			[
				['m/app1', E1.name, 'healthy'],
				['n/app1', E2.name, 'unknown'],
			],
			'unknown, never down',
		);
		assert.deepEqual(
			status.engines.map(e => [e.name, e.reachable]),
			[
				[E1.name, true],
				[E2.name, false],
			],
		);
		const table = await ws.cli(['ps']);
		assert.match(table.stderr, /engine berth-e2: /);
		assert.match(table.stdout, /^APP\s+STATE\s+ENGINE\s+SERVICE/m);
		assert.match(table.stdout, /^n\/app1\s+unknown\s+berth-e2\s+-/m);
		// The watch says so, for that engine's app only.
		await watch.waitLine(line => line.includes('"type":"engine"') && line.includes('"reachable":false') && line.includes('berth-e2'), 60_000);
		await watch.waitLine(line => line.includes('"id":"n/app1"') && line.includes('"state":"unknown"'), 60_000);
		// The other engine keeps working.
		const stop = await ws.cli(['stop', 'm/app1', '-t', '1']);
		assert.equal(stop.exitCode, 0, stop.stderr);
		const start = await ws.cli(['start', 'm/app1']);
		assert.equal(start.exitCode, 0, start.stderr);
		// A bulk action over both: the reachable one is done, the other fails naming its engine.
		const both = await ws.cli(['restart', 'm/app1', 'n/app1', '-t', '1', '--json']);
		assert.equal(both.exitCode, 1);
		const results = parseJson<{results: {app: string; status: string; error?: string}[]}>(both).results;
		assert.deepEqual(
			results.map(r => [r.app, r.status]),
			[
				['m/app1', 'done'],
				['n/app1', 'failed'],
			],
		);

		await restartE2();
		await watch.waitLine(line => line.includes('"type":"engine"') && line.includes('"reachable":true'), 120_000);
		const back = parseJson<PsJson>(await ws.cli(['ps', '--json']));
		assert.equal(back.engine.reachable, true);
		assert.notEqual(back.apps.find(a => a.id === 'n/app1')!.state, 'unknown', 'n/app1 is known again');
	} finally {
		watch.child.kill('SIGTERM');
		await restartE2().catch(() => {});
		for (const [id, project] of Object.entries(projects)) {
			const host = id === 'm/app1' ? E1.host : E2.host;
			const ids = (
				await execa('docker', ['--host', host, 'ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], {reject: false})
			).stdout.trim();
			if (ids) await execa('docker', ['--host', host, 'rm', '-f', ...ids.split('\n')], {reject: false});
		}
	}
});
