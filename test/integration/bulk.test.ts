import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {parseJson, runCli} from '../helpers/cli.ts';
import {enginesTestOptions, makeContexts, TEST_ENGINES} from '../helpers/engines.ts';
import {tempDir} from '../helpers/temp.ts';
import {TEST_IMAGE} from '../helpers/docker.ts';
import {randomBase, spawnBerth, writeTestCompose, type Workspace} from './stack.ts';

const [E1, E2] = TEST_ENGINES;

interface BulkJson {
	action: string;
	interrupted: boolean;
	results: {app: string; engine: string; status: string; state?: string; error?: string}[];
	summary: {apps: number; done: number; failed: number; notStarted: number};
}

/** Apps spread over three engines (two local, one on each extra engine) and one that cannot start. */
async function fleet() {
	const dir = await tempDir();
	const dockerConfig = path.join(dir, 'docker-config');
	await makeContexts(dockerConfig, {[E1.name]: E1.host, [E2.name]: E2.host});
	const root = path.join(dir, 'apps');
	const env = {BERTH_ROOT: root, BERTH_STORE: path.join(dir, 'ports.json'), DOCKER_CONFIG: dockerConfig};
	const ws: Workspace = {root, store: env.BERTH_STORE, env, cli: (args, options = {}) => runCli(args, {env, timeout: options.timeout})};
	const placed: {id: string; engine: string; project: string}[] = [];
	for (const [id, engine] of [
		['m/app1', 'default'],
		['m/app2', 'default'],
		['m/app3', E1.name],
		['n/app1', E2.name],
	] as const) {
		const allocated = await ws.cli(['ports', 'allocate', id, '--engine', engine, '--slot', `backend=${randomBase()}:2`, '--json']);
		assert.equal(allocated.exitCode, 0, allocated.stderr);
		const {ports, projectName} = parseJson<{ports: {backend: number}; projectName: string}>(allocated);
		await writeTestCompose(path.join(root, ...id.split('/')), ports.backend);
		placed.push({id, engine, project: projectName});
	}
	// An app whose only service cannot start (its program is not there): it fails, the others do not.
	// (Not a service that exits at once: `up --wait` may see it running for the moment it lives, and
	// so did this test once in CI, under Deno with compose v2.)
	const broken = path.join(root, 'n', 'app2');
	await mkdir(broken, {recursive: true});
	await writeFile(path.join(broken, 'compose.yaml'), `services:\n  s:\n    image: ${TEST_IMAGE}\n    entrypoint: ["/no/such/program"]\n`);
	placed.push({id: 'n/app2', engine: 'default', project: 'n-app2'});
	const cleanup = async () => {
		for (const {project, engine} of placed) {
			const host = engine === E1.name ? E1.host : engine === E2.name ? E2.host : null;
			const ids = (
				await execa('docker', [...(host ? ['--host', host] : []), 'ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], {reject: false})
			).stdout.trim();
			if (ids) await execa('docker', [...(host ? ['--host', host] : []), 'rm', '-f', ...ids.split('\n')], {reject: false});
			// The network too: an engine has some 30 address pools for them, and a test must not keep one.
			await execa('docker', [...(host ? ['--host', host] : []), 'network', 'rm', `${project}_default`], {reject: false});
		}
	};
	return {ws, placed, cleanup};
}

test('bulk: up --all --wait across three engines, a line per app, every failure named, exit 1; stop --model, down --engine', {
	...(await enginesTestOptions()),
	timeout: 300_000,
}, async () => {
	const {ws, cleanup} = await fleet();
	try {
		const up = await ws.cli(['up', '--all', '--wait', '--json'], {timeout: 240_000});
		assert.equal(up.exitCode, 1, up.stderr);
		const report = parseJson<BulkJson>(up);
		assert.deepEqual(
			report.results.map(r => [r.app, r.engine, r.status, r.state ?? null]),
			[
				['m/app1', 'default', 'done', 'healthy'],
				['m/app2', 'default', 'done', 'healthy'],
				['m/app3', E1.name, 'done', 'healthy'],
				['n/app1', E2.name, 'done', 'healthy'],
				['n/app2', 'default', 'failed', null],
			],
		);
		assert.match(report.results[4]!.error ?? '', /up of n\/app2 failed \(exit code 1\): .*\/no\/such\/program/);
		assert.deepEqual(report.summary, {apps: 5, done: 4, failed: 1, notStarted: 0});

		const stop = await ws.cli(['stop', '--model', 'm', '-t', '1']);
		assert.equal(stop.exitCode, 0, stop.stderr);
		const lines = stop.stdout.trim().split('\n');
		assert.deepEqual(
			lines
				.filter(l => l.startsWith('stopped '))
				.map(l => l.split(' ')[1])
				.sort(),
			['m/app1', 'm/app2', 'm/app3'],
		);
		assert.match(lines.at(-1)!, /^3 apps on 2 engines: 3 stopped, 0 failed\.$/);

		const down = await ws.cli(['down', '--engine', E2.name, '--json']);
		assert.equal(down.exitCode, 0, down.stderr);
		assert.deepEqual(
			parseJson<BulkJson>(down).results.map(r => [r.app, r.status]),
			[['n/app1', 'done']],
		);
		const ps = await execa('docker', ['--host', E2.host, 'ps', '-aq', '--filter', 'label=com.docker.compose.project=n-app1']);
		assert.equal(ps.stdout.trim(), '', 'n/app1 is gone from berth-e2');
	} finally {
		await cleanup();
	}
});

test('bulk: bad selections run nothing', {...(await enginesTestOptions()), timeout: 120_000}, async () => {
	const {ws, placed, cleanup} = await fleet();
	try {
		const missing = await ws.cli(['up', 'm/app1', 'm/app9', 'x/app1']);
		assert.equal(missing.exitCode, 1);
		assert.match(missing.stderr, /no app folder under .* for m\/app9, x\/app1; nothing was run/);
		const mixed = await ws.cli(['stop', 'm/app1', '--engine', E1.name]);
		assert.equal(mixed.exitCode, 2);
		assert.match(mixed.stderr, /--engine E selects the apps placed on engine E by itself/);
		const two = await ws.cli(['stop', '--all', '--model', 'm']);
		assert.equal(two.exitCode, 2);
		const zero = await ws.cli(['up', '--all', '--concurrency', '0']);
		assert.equal(zero.exitCode, 2);
		assert.match(zero.stderr, /invalid --concurrency "0"/);
		const local = await execa('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${placed[0]!.project}`]);
		assert.equal(local.stdout.trim(), '', 'nothing was started');
	} finally {
		await cleanup();
	}
});

test('bulk: Ctrl-C starts nothing new, lets the running compose call finish, and says what each app was left as', {
	...(await enginesTestOptions()),
	timeout: 300_000,
}, async () => {
	const {ws, cleanup} = await fleet();
	try {
		// Three apps on one engine, one at a time: at the signal the second one runs and the third waits.
		const run = spawnBerth(ws, ['up', 'm/app1', 'm/app2', 'n/app2', '--concurrency', '1']);
		await run.waitLine(line => line.startsWith('started '), 120_000);
		// process.kill, not the child's kill(): execa would follow it with SIGKILL after 5 s.
		process.kill(run.child.pid!, 'SIGINT');
		const result = await run.child;
		assert.equal(result.exitCode, 130, `${result.signal ?? ''} ${run.lines.join('\n')}`);
		const text = run.lines.join('\n');
		assert.match(text, /not started \(interrupted\)/);
		assert.match(text, /: not started, now (not-created|down)/, text);
		assert.match(text, /: done, now (running|healthy|starting)/, text);
	} finally {
		await cleanup();
	}
});
