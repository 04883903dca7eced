import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import {rm, writeFile} from 'node:fs/promises';
import {execa} from 'execa';
import {dockerTestOptions} from '../helpers/docker.ts';
import {parseJson, runCli} from '../helpers/cli.ts';
import {isDeno} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {appStatus, handMadeApp, randomBase, removeProject, spawnBerth, workspace} from './stack.ts';
import {EngineProxy} from './engine-proxy.ts';

const docker = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

/** A socket nobody listens on: berth and compose both see an Engine that is not there. */
const NOWHERE = {DOCKER_HOST: `unix:///tmp/berth-test-nosuch-${process.pid}.sock`};

async function containersOf(projectName: string): Promise<{state: string; name: string}[]> {
	const list = await execa('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${projectName}`, '--format', '{{.State}} {{.Names}}']);
	return String(list.stdout)
		.split('\n')
		.filter(Boolean)
		.map(line => ({state: line.split(' ')[0]!, name: line.split(' ')[1]!}));
}

test("an unreachable engine: up, ports check and logs say so, and never blame the app's own docker-proxy", docker, async () => {
	const ws = workspace(await tempDir());
	const app = await handMadeApp(ws, 'faults/app1');
	projects.push(app.projectName);
	const up = await ws.cli(['up', 'faults/app1']);
	assert.equal(up.exitCode, 0, up.stderr);

	// The app runs (its docker-proxy holds the port); berth now looks at an engine that is not there.
	const env = {...ws.env, ...NOWHERE};
	const again = await runCli(['up', 'faults/app1'], {env});
	assert.equal(again.exitCode, 1, again.stdout);
	assert.match(again.stderr, /the Docker Engine is not reachable/);
	assert.doesNotMatch(again.stderr, /docker-proxy|in use by|another program/);

	const check = await runCli(['ports', 'check', '--json'], {env});
	const report = parseJson<{
		ok: boolean;
		engine: {reachable: boolean; message: string};
		conflicts: {port: number; message: string}[];
		warnings: {message: string}[];
	}>(check);
	assert.deepEqual(report.conflicts, [], 'no port is called a conflict on the word of nobody');
	assert.equal(report.engine.reachable, false);
	assert.equal(report.ok, false, 'the check could not be completed');
	assert.equal(check.exitCode, 1);
	assert.ok(
		report.warnings.some(w => w.message.includes(String(app.port)) && /not reachable/.test(w.message)),
		JSON.stringify(report.warnings),
	);
	const human = await runCli(['ports', 'check'], {env});
	assert.equal(human.exitCode, 1);
	assert.doesNotMatch(human.stdout + human.stderr, /^conflict |in use by/m);
	assert.match(human.stdout, /the check is incomplete/);
	assert.match(human.stdout + human.stderr, /the Docker Engine is not reachable/);

	const logs = await runCli(['logs', 'faults/app1'], {env});
	assert.equal(logs.exitCode, 1, logs.stdout);
	assert.match(logs.stderr, /the Docker Engine is not reachable/);
	const logsJson = await runCli(['logs', 'faults/app1', '--json'], {env});
	assert.equal(logsJson.exitCode, 1, logsJson.stdout);

	// With the engine there, the app's own port is not a conflict.
	const fine = await ws.cli(['ports', 'check', '--json']);
	assert.equal(fine.exitCode, 0, fine.stdout);
	assert.equal(parseJson<{engine: {reachable: boolean}}>(fine).engine.reachable, true);
	await ws.cli(['down', 'faults/app1', '-t', '0']);
});

test('logs --follow through an engine outage: one line when it goes, one when it is back, then lines again', docker, async () => {
	const dir = await tempDir();
	const ws = workspace(dir);
	const app = await handMadeApp(ws, 'faults/app2');
	projects.push(app.projectName);
	const up = await ws.cli(['up', 'faults/app2']);
	assert.equal(up.exitCode, 0, up.stderr);

	const socket = path.join(dir, 'engine.sock');
	const proxy = new EngineProxy(socket);
	await proxy.listen();
	const logs = spawnBerth(ws, ['logs', 'faults/app2', '--service', 'worker', '--follow', '--tail', '0', '--json'], {DOCKER_HOST: `unix://${socket}`});
	try {
		await logs.waitLine(line => /worker line \d+/.test(line), 20_000);
		const before = logs.lines.length;
		await proxy.close();
		await logs.waitLine(line => logs.lines.indexOf(line) >= before && line.includes('"event":"engine-lost"'), 10_000);
		// Several discovery rounds (one a second) during the outage.
		await new Promise(resolve => setTimeout(resolve, 4000));
		await proxy.listen();
		await logs.waitLine(line => logs.lines.indexOf(line) >= before && line.includes('"event":"engine-back"'), 15_000);
		const back = logs.lines.length;
		await logs.waitLine(line => logs.lines.indexOf(line) >= back && /worker line \d+/.test(line), 15_000);
		const berthLines = logs.lines
			.slice(before)
			.filter(line => line.includes('"stream":"berth"'))
			.map(line => JSON.parse(line).text as string);
		assert.equal(berthLines.length, 2, `exactly two berth lines for the outage:\n${berthLines.join('\n')}`);
		assert.match(berthLines[0]!, /^engine lost \(.*\): waiting for it to come back$/);
		assert.equal(berthLines[1]!, 'engine back');
	} finally {
		logs.child.kill('SIGTERM');
		const result = await logs.child;
		if (!isDeno) assert.equal(result.exitCode, 0);
		await proxy.close();
	}
	await ws.cli(['down', 'faults/app2', '-t', '0']);
});

test('pre-flight refuses a fixed host port of the compose file held by a process, before anything starts', docker, async () => {
	const ws = workspace(await tempDir());
	const app = await handMadeApp(ws, 'faults/app3');
	projects.push(app.projectName);
	const fixed = randomBase() + 1;
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(fixed, '127.0.0.1', resolve));
	try {
		// A second service publishes a fixed port (no variable): someone already listens there.
		await writeFile(
			path.join(app.dir, 'docker-compose.yml'),
			`services:
  web:
    image: berth-test/busybox:latest
    command: ["sh", "-c", "exec httpd -f -p 8080"]
    ports:
      - "127.0.0.1:${app.port}:8080"
  admin:
    image: berth-test/busybox:latest
    command: ["sh", "-c", "exec httpd -f -p 9000"]
    ports:
      - "127.0.0.1:${fixed}:9000/tcp"
`,
		);
		const up = await ws.cli(['up', 'faults/app3', '--json']);
		assert.equal(up.exitCode, 1, up.stdout);
		const error = JSON.parse(up.stdout || up.stderr);
		assert.equal(error.error?.code ?? error.code, 'port-conflict', up.stdout + up.stderr);
		assert.ok(
			(up.stdout + up.stderr).includes(`port ${fixed} (service admin, 127.0.0.1/tcp) is in use by ${isDeno ? 'another program' : `process ${process.pid} `}`),
			up.stdout + up.stderr,
		);
		assert.deepEqual(await containersOf(app.projectName), [], 'nothing was started');
	} finally {
		await new Promise(resolve => server.close(resolve));
	}
});

test("pre-flight checks what compose will publish: a port from .env in the user's override file, held by a process", docker, async () => {
	const ws = workspace(await tempDir());
	const app = await handMadeApp(ws, 'faults/app5');
	projects.push(app.projectName);
	const held = randomBase() + 1;
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(held, '127.0.0.1', resolve));
	try {
		// Neither port is in docker-compose.yml: compose adds the override and takes ADMIN_PORT from .env.
		await writeFile(
			path.join(app.dir, 'docker-compose.override.yml'),
			`services:
  admin:
    image: berth-test/busybox:latest
    command: ["sh", "-c", "exec httpd -f -p 9000"]
    ports:
      - "127.0.0.1:\${ADMIN_PORT:-1}:9000"
      - "127.0.0.1:\${ADMIN_PORT:-1}:9000/udp"
`,
		);
		await writeFile(path.join(app.dir, '.env'), `ADMIN_PORT=${held}\n`);
		const up = await ws.cli(['up', 'faults/app5', '--json']);
		assert.equal(up.exitCode, 1, up.stdout);
		const output = up.stdout + up.stderr;
		assert.equal(JSON.parse(up.stdout || up.stderr).error?.code, 'port-conflict', output);
		assert.ok(output.includes(`port ${held} (service admin, 127.0.0.1/tcp) is in use by`), output);
		// The udp entry of the same number is its own socket: nobody holds it.
		assert.ok(!output.includes('127.0.0.1/udp'), output);
		assert.ok(output.includes('docker-compose.override.yml'), `names where the port comes from: ${output}`);
		assert.deepEqual(await containersOf(app.projectName), [], 'nothing was started');
	} finally {
		await new Promise(resolve => server.close(resolve));
	}
});

test('a deleted compose file does not strand the app: stop, restart and down act on the project', docker, async () => {
	const ws = workspace(await tempDir());
	const app = await handMadeApp(ws, 'faults/app4');
	projects.push(app.projectName);
	const up = await ws.cli(['up', 'faults/app4']);
	assert.equal(up.exitCode, 0, up.stderr);
	assert.equal((await containersOf(app.projectName)).length, 2);
	await rm(path.join(app.dir, 'docker-compose.yml'));

	const stop = await ws.cli(['stop', 'faults/app4', '-t', '0']);
	assert.equal(stop.exitCode, 0, stop.stderr);
	assert.match(stop.stdout, /no compose file/);
	assert.match(stop.stdout, /stopped 2 containers of compose project faults-app4/);
	assert.deepEqual(
		(await containersOf(app.projectName)).map(c => c.state),
		['exited', 'exited'],
	);

	const restart = await ws.cli(['restart', 'faults/app4', '-t', '0', '--json']);
	assert.equal(restart.exitCode, 0, restart.stderr);
	assert.match(parseJson<{note: string}>(restart).note, /restarted 2 containers/);
	assert.deepEqual(
		(await containersOf(app.projectName)).map(c => c.state),
		['running', 'running'],
	);
	assert.equal((await appStatus(ws, 'faults/app4')).state === 'not-created', false);

	const down = await ws.cli(['down', 'faults/app4', '-t', '0']);
	assert.equal(down.exitCode, 0, down.stderr);
	assert.match(down.stdout, /removed 2 containers and network faults-app4_default of compose project faults-app4/);
	assert.deepEqual(await containersOf(app.projectName), []);
	const networks = await execa('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${app.projectName}`]);
	assert.equal(String(networks.stdout).trim(), '');

	// Nothing left: the command says there is nothing to act on, as before.
	const nothing = await ws.cli(['stop', 'faults/app4']);
	assert.equal(nothing.exitCode, 1);
	assert.match(nothing.stderr, /no compose file/);
});
