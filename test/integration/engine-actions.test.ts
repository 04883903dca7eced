import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {parseJson, runCli} from '../helpers/cli.ts';
import {engineWorkspace, enginesTestOptions, makeContexts, TEST_ENGINES} from '../helpers/engines.ts';
import {tempDir} from '../helpers/temp.ts';
import {randomBase, removeProject, spawnBerth, workspace, writeTestCompose} from './stack.ts';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';

const [E1] = TEST_ENGINES;

/** Names of the containers of compose project `project` on the engine at `host` (tcp://…, or null: the local one). */
async function containersOn(host: string | null, project: string): Promise<string[]> {
	const args = [...(host ? ['--host', host] : []), 'ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}} {{.State}}'];
	const {stdout} = await execa('docker', args);
	// compose v1 names containers m-app1_web_1, v2 m-app1-web-1.
	return stdout
		.split('\n')
		.filter(Boolean)
		.map(line => line.replaceAll('_', '-'))
		.sort();
}

/**
 * m/app1 in a workspace of the test's own, placed on berth-e1 with the busybox-test shaped compose file;
 * `remove()` takes its stack down there whatever the test did.
 */
async function appOnE1() {
	const {env, cli} = await engineWorkspace(await tempDir());
	const allocated = await cli(['ports', 'allocate', 'm/app1', '--engine', E1.name, '--slot', `backend=${randomBase()}:2`, '--json']);
	assert.equal(allocated.exitCode, 0, allocated.stderr);
	const {ports, projectName} = parseJson<{ports: {backend: number}; projectName: string}>(allocated);
	const dir = path.join(env.BERTH_ROOT, 'm', 'app1');
	await writeTestCompose(dir, ports.backend);
	const remove = () => execa('docker', ['--host', E1.host, 'compose', '-p', projectName, 'down', '-t', '0'], {reject: false, cwd: dir});
	return {env, cli, port: ports.backend, projectName, remove};
}

test('an app placed on another engine is started, followed, stopped and removed there, never on the local engine', {
	...(await enginesTestOptions()),
	timeout: 240_000,
}, async () => {
	const {cli, projectName, remove} = await appOnE1();
	try {
		const up = await cli(['up', 'm/app1', '--wait', '--json']);
		assert.equal(up.exitCode, 0, up.stderr + up.stdout);
		assert.equal(parseJson<{state: string}>(up).state, 'healthy', "the wait asked the app's own engine");
		assert.deepEqual(await containersOn(E1.host, projectName), [`${projectName}-web-1 running`, `${projectName}-worker-1 running`]);
		assert.deepEqual(await containersOn(null, projectName), [], 'nothing on the local engine');

		const logs = await cli(['logs', 'm/app1', '--service', 'worker']);
		assert.equal(logs.exitCode, 0, logs.stderr);
		assert.match(logs.stdout, /worker line \d+/);

		const stop = await cli(['stop', 'm/app1', '-t', '1']);
		assert.equal(stop.exitCode, 0, stop.stderr);
		assert.deepEqual(await containersOn(E1.host, projectName), [`${projectName}-web-1 exited`, `${projectName}-worker-1 exited`]);

		const down = await cli(['down', 'm/app1', '-t', '1']);
		assert.equal(down.exitCode, 0, down.stderr);
		assert.deepEqual(await containersOn(E1.host, projectName), []);
	} finally {
		await remove();
	}
});

// Found while testing engines: a `berth up --wait` stopped by Ctrl-C (or a timeout's SIGTERM) printed the
// state it had reached and exited 0, as if the app were up.
test('up --wait interrupted while the app is still starting exits 130 and says so, not 0', {...(await dockerTestOptions()), timeout: 120_000}, async () => {
	const dir = await tempDir();
	const ws = workspace(dir);
	const allocated = await ws.cli(['ports', 'allocate', 'm/app1', '--slot', `backend=${randomBase()}:2`, '--json']);
	const {ports, projectName} = parseJson<{ports: {backend: number}; projectName: string}>(allocated);
	const appDir = path.join(ws.root, 'm', 'app1');
	await mkdir(appDir, {recursive: true});
	// A health check that never passes in the test's time: the app stays "starting".
	await writeFile(
		path.join(appDir, 'docker-compose.yml'),
		`services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n    ports:\n      - "127.0.0.1:${ports.backend}:8080"\n    healthcheck:\n      test: ["CMD", "false"]\n      interval: 60s\n      start_period: 60s\n`,
	);
	try {
		const run = spawnBerth(ws, ['up', 'm/app1', '--wait']);
		await waitForContainer(projectName);
		await new Promise(resolve => setTimeout(resolve, 1500)); // compose is done; berth is waiting
		// process.kill, not the child's kill(): Deno's ChildProcess then reports the signal it sent, not the exit status.
		process.kill(run.child.pid!, 'SIGINT');
		const result = await run.child;
		assert.equal(result.exitCode, 130, `exit ${result.exitCode}: ${run.lines.join('\n')}`);
		assert.ok(!run.lines.some(line => /^started m\/app1/.test(line)), `claimed it started: ${run.lines.join('\n')}`);
	} finally {
		await removeProject(projectName);
	}
});

async function waitForContainer(project: string): Promise<void> {
	for (let i = 0; i < 120; i++) {
		if ((await containersOn(null, project)).some(line => line.endsWith(' running'))) return;
		await new Promise(resolve => setTimeout(resolve, 250));
	}
	throw new Error(`no running container of ${project} within 30 s`);
}

test('an app on a remote engine that bind-mounts files from its folder is warned about at up, and still starts', {
	...(await enginesTestOptions()),
	timeout: 120_000,
}, async () => {
	const dir = await tempDir();
	const dockerConfig = path.join(dir, 'docker-config');
	await makeContexts(dockerConfig, {[E1.name]: E1.host});
	const env = {BERTH_ROOT: path.join(dir, 'apps'), BERTH_STORE: path.join(dir, 'ports.json'), DOCKER_CONFIG: dockerConfig};
	const cli = (args: string[]) => runCli(args, {env});
	const appDir = path.join(env.BERTH_ROOT, 'm', 'app1');
	await mkdir(path.join(appDir, 'data'), {recursive: true});
	await writeFile(
		path.join(appDir, 'compose.yaml'),
		`services:\n  s:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n    volumes:\n      - ./data:/data\n`,
	);
	try {
		const up = await cli(['up', 'm/app1', '--engine', E1.name]);
		assert.equal(up.exitCode, 0, up.stderr);
		assert.match(
			up.stderr,
			/m\/app1 runs on engine berth-e1 \(tcp:\/\/10\.231\.1\.2:2375\), another machine: service "s" bind-mounts \/.*\/m\/app1\/data from this one, which berth-e1 will not see unless the same path is shared there/,
		);
		// Only starting warns: taking it down says nothing of mounts.
		const local = await cli(['down', 'm/app1']);
		assert.equal(local.exitCode, 0, local.stderr);
		assert.doesNotMatch(local.stderr, /another machine/);
	} finally {
		await execa('docker', ['--host', E1.host, 'compose', '-p', 'm-app1', 'down', '-t', '0'], {cwd: appDir, reject: false});
	}
});

test('a port a process of a remote engine\u2019s host holds: up fails naming the port and the engine, not just compose\u2019s words', {
	...(await enginesTestOptions()),
	...(process.getuid?.() === 0 ? {} : {skip: 'needs root to run a listener in the test engine\u2019s network namespace'}),
	timeout: 120_000,
}, async () => {
	const {cli, port, remove} = await appOnE1();
	// A process of berth-e1's host (its network namespace, bh1) listens on the port: berth cannot see it from here.
	const holder = execa('nsenter', ['--net=/var/run/netns/bh1', 'busybox', 'nc', '-l', '-p', String(port)], {reject: false});
	try {
		await new Promise(resolve => setTimeout(resolve, 500));
		const up = await cli(['up', 'm/app1']);
		assert.equal(up.exitCode, 1, up.stdout);
		assert.match(
			up.stderr,
			new RegExp(
				`up of m/app1 on engine berth-e1 failed: port ${port} is already taken on engine berth-e1, another machine whose own processes berth cannot see from here: stop what holds ${port} there`,
			),
		);
	} finally {
		holder.kill('SIGKILL');
		await holder;
		await remove();
	}
});

// Found measuring idle requests per engine: with DOCKER_HOST set (common in a user's shell), every Engine
// call berth made through the docker CLI for an app on another context went to DOCKER_HOST's engine (the
// CLI lets DOCKER_HOST win over DOCKER_CONTEXT, and the child got DOCKER_HOST back from berth's own
// environment): a running app there showed "not-created".
test('with DOCKER_HOST set, an app on another context is still read on its own engine (up --wait, ps, logs)', {
	...(await enginesTestOptions()),
	timeout: 120_000,
}, async () => {
	const {env, remove} = await appOnE1();
	const withHost = (args: string[]) => runCli(args, {env: {...env, DOCKER_HOST: 'unix:///var/run/docker.sock'}});
	try {
		const up = await withHost(['up', 'm/app1', '--wait', '--wait-timeout', '40']);
		assert.equal(up.exitCode, 0, up.stderr);
		const ps = parseJson<{apps: {id: string; state: string; engine: string}[]}>(await withHost(['ps', 'm/app1', '--json']));
		assert.deepEqual(
			ps.apps.map(a => [a.engine, a.state]),
			[[E1.name, 'healthy']],
		);
		const logs = await withHost(['logs', 'm/app1', '--service', 'worker']);
		assert.equal(logs.exitCode, 0, logs.stderr);
		assert.match(logs.stdout, /worker line \d+/);
	} finally {
		await remove();
	}
});
