import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import {readFile, writeFile} from 'node:fs/promises';
import {execa} from 'execa';
import {dockerTestOptions} from '../helpers/docker.ts';
import {holderOfThisProcess, isDeno} from '../helpers/runtime.ts';
import {parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {appStatus, scaffoldApp, removeProject, spawnBerth, workspace} from './stack.ts';
import {EngineProxy, isEventStream} from './engine-proxy.ts';

const docker = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

test('a port held by a foreign listener makes up refuse, naming the holder; nothing starts', docker, async () => {
	const ws = workspace(await tempDir());
	const app = await scaffoldApp(ws, 'gamma/app1');
	projects.push(app.projectName);
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(app.port, '127.0.0.1', resolve));
	try {
		const comm = (await readFile('/proc/self/comm', 'utf8')).trim();
		const up = await ws.cli(['up', 'gamma/app1', '--json']);
		assert.equal(up.exitCode, 1);
		const error = parseJson<{error: {code: string; message: string}}>(up).error;
		assert.equal(error.code, 'port-conflict');
		assert.equal(error.message.split('. Nothing')[0], `cannot start gamma/app1: port ${app.port} (backend) is in use by ${holderOfThisProcess(comm)}`);
		assert.equal((await appStatus(ws, 'gamma/app1')).state, 'not-created', 'nothing was started');
	} finally {
		await new Promise(resolve => server.close(resolve));
	}
});

test('logs of an app that has no containers say so', docker, async () => {
	const ws = workspace(await tempDir());
	await scaffoldApp(ws, 'zeta/app1');
	const logs = await ws.cli(['logs', 'zeta/app1', '--json']);
	assert.equal(logs.exitCode, 0, logs.stderr);
	assert.deepEqual(JSON.parse(logs.stdout), {
		service: '',
		container: '',
		stream: 'berth',
		text: 'no containers in compose project zeta-app1 (start the app first)',
		timestamp: null,
	});
});

test('down keeps named volumes; down --volumes removes them', docker, async () => {
	const ws = workspace(await tempDir());
	const app = await scaffoldApp(ws, 'eta/app1');
	projects.push(app.projectName);
	const volumes = async () =>
		(await execa('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${app.projectName}`])).stdout.split('\n').filter(Boolean);
	try {
		// A named volume in the stack, as a database service would have.
		const file = path.join(app.dir, 'docker-compose.yml');
		const text = await readFile(file, 'utf8');
		await writeFile(file, text.replace(/( {2}worker:\n(?: {4}.*\n)*?)( {4}command:)/, '$1    volumes:\n      - data:/data\n$2') + 'volumes:\n  data: {}\n');
		const up = await ws.cli(['up', 'eta/app1']);
		assert.equal(up.exitCode, 0, up.stderr);
		assert.deepEqual(await volumes(), [`${app.projectName}_data`]);
		assert.equal((await ws.cli(['down', 'eta/app1', '-t', '0'])).exitCode, 0);
		assert.equal((await appStatus(ws, 'eta/app1')).state, 'not-created');
		assert.deepEqual(await volumes(), [`${app.projectName}_data`], 'down keeps the data');
		assert.equal((await ws.cli(['up', 'eta/app1'])).exitCode, 0);
		assert.equal((await ws.cli(['down', 'eta/app1', '-t', '0', '--volumes'])).exitCode, 0);
		assert.deepEqual(await volumes(), [], 'down --volumes removes it');
	} finally {
		for (const volume of await volumes()) await execa('docker', ['volume', 'rm', '-f', volume], {reject: false});
	}
});

test('a failing compose command is a ComposeError quoting compose', docker, async () => {
	const ws = workspace(await tempDir());
	const app = await scaffoldApp(ws, 'delta/app1');
	projects.push(app.projectName);
	const result = await ws.cli(['up', 'delta/app1', '--service', 'nosuch', '--json']);
	assert.equal(result.exitCode, 1);
	const error = parseJson<{error: {code: string; message: string}}>(result).error;
	assert.equal(error.code, 'compose');
	assert.match(error.message, /^docker(-compose| compose) up of delta\/app1 failed \(exit code 1\): No such service: nosuch$/i);
});

test('a container killed from outside shows up in ps --watch --json; a followed service is re-attached', docker, async () => {
	const ws = workspace(await tempDir());
	const app = await scaffoldApp(ws, 'beta/app1');
	projects.push(app.projectName);
	const up = await ws.cli(['up', 'beta/app1', '--wait']);
	assert.equal(up.exitCode, 0, up.stderr);
	const worker = (await appStatus(ws, 'beta/app1')).services.find(s => s.service === 'worker')!;

	const watch = spawnBerth(ws, ['ps', '--watch', '--json']);
	const logs = spawnBerth(ws, ['logs', 'beta/app1', '--service', 'worker', '--follow', '--tail', '0', '--json']);
	try {
		const engine = JSON.parse(await watch.waitLine(line => line.includes('"type":"engine"')));
		assert.equal(engine.reachable, true);
		const first = JSON.parse(await watch.waitLine(line => line.includes('"type":"app"')));
		assert.equal(first.state, 'healthy');
		await logs.waitLine(line => /worker line \d+/.test(line));

		await execa('docker', ['kill', worker.containerId]);
		const killed = JSON.parse(await watch.waitLine(line => line.includes('"state":"partial"'), 5000));
		assert.equal(killed.id, 'beta/app1');
		const dead = killed.services.find((s: {service: string}) => s.service === 'worker');
		assert.deepEqual([dead.state, dead.exitCode], ['exited', 137]);

		await execa('docker', ['start', worker.containerId]);
		const back = JSON.parse(
			await watch.waitLine(
				line => line.includes('"state":"running"') && watch.lines.indexOf(line) > watch.lines.findIndex(l => l.includes('"state":"partial"')),
				5000,
			),
		);
		assert.equal(back.services.find((s: {service: string}) => s.service === 'worker').state, 'running');

		// The log stream ended with the container and re-attached when it came back: the counter restarts.
		// Only the worker is followed: it is the whole of what the stream follows. A look may have seen it stopped.
		const marker = JSON.parse(await logs.waitLine(line => line.includes('"event":"restarted"'), 5000));
		assert.deepEqual([marker.text, marker.service], ['restarted', '']);
		const said = logs.lines.filter(line => line.includes('"stream":"berth"')).map(line => JSON.parse(line).text);
		assert.ok(said.join(',') === 'restarted' || said.join(',') === 'stopped,restarted', said.join('\n'));
		await logs.waitLine(
			line => logs.lines.indexOf(line) > logs.lines.findIndex(l => l.includes('"event":"restarted"')) && line.includes('"text":"worker line 1"'),
			5000,
		);
	} finally {
		const started = Date.now();
		watch.child.kill('SIGTERM');
		logs.child.kill('SIGTERM');
		const [w, l] = await Promise.all([watch.child, logs.child]);
		assert.ok(Date.now() - started < 3000, 'both stop promptly');
		// Deno's child_process reports any child it sent SIGTERM to as killed by it, even one that handled
		// the signal and exited 0; Node reports the real exit status.
		if (!isDeno) {
			assert.equal(w.exitCode, 0, 'ps --watch handles SIGTERM and exits 0');
			assert.equal(l.exitCode, 0, 'logs --follow handles SIGTERM and exits 0');
		}
	}
	await ws.cli(['down', 'beta/app1', '-t', '0']);
});

test('an unreachable engine is a state with a clear message, and the watch recovers when it is back', docker, async () => {
	const dir = await tempDir();
	const ws = workspace(dir);
	const socket = path.join(dir, 'engine.sock');
	const env = {DOCKER_HOST: `unix://${socket}`};

	const once = await ws.cli(['ps', '--json'].concat([]), {});
	assert.equal(once.exitCode, 0, 'the real engine answers');
	const down = await (async () => {
		const {runCli} = await import('../helpers/cli.ts');
		return runCli(['ps', '--json'], {env: {...ws.env, ...env}});
	})();
	assert.equal(down.exitCode, 1);
	const status = parseJson<{engine: {reachable: boolean; message: string}; apps: unknown[]}>(down);
	assert.equal(status.engine.reachable, false);
	assert.match(status.engine.message, /^the Docker Engine is not reachable \(.*\)\. Start it .*or set DOCKER_HOST\.$/);

	const watch = spawnBerth(ws, ['ps', '--watch', '--json'], env);
	// A proxy on `socket` to the real engine plays an engine that comes and goes.
	const proxy = new EngineProxy(socket);
	try {
		const unreachable = JSON.parse(await watch.waitLine(line => line.includes('"type":"engine"')));
		assert.equal(unreachable.reachable, false);
		await proxy.listen();
		const back = JSON.parse(await watch.waitLine(line => line.includes('"reachable":true'), 5000));
		assert.equal(back.type, 'engine');

		// The engine goes away again (its socket closes): reported, then recovered once more.
		const seen = watch.lines.length;
		await proxy.close();
		await watch.waitLine(line => watch.lines.indexOf(line) >= seen && line.includes('"reachable":false'), 5000);
		await proxy.listen();
		await watch.waitLine(line => watch.lines.indexOf(line) >= seen && line.includes('"reachable":true'), 5000);
	} finally {
		watch.child.kill('SIGTERM');
		await watch.child;
		await proxy.close();
	}
});

test('without an event stream the watch polls, at most every 2 s, and still sees a kill', docker, async () => {
	const dir = await tempDir();
	const ws = workspace(dir);
	const app = await scaffoldApp(ws, 'epsilon/app1');
	projects.push(app.projectName);
	const up = await ws.cli(['up', 'epsilon/app1', '--wait']);
	assert.equal(up.exitCode, 0, up.stderr);
	const worker = (await appStatus(ws, 'epsilon/app1')).services.find(s => s.service === 'worker')!;

	// An engine that answers everything but /events (as some proxies do).
	const socket = path.join(dir, 'no-events.sock');
	const proxy = new EngineProxy(socket, {refuse: isEventStream});
	await proxy.listen();
	const watch = spawnBerth(ws, ['ps', '--watch', '--json'], {DOCKER_HOST: `unix://${socket}`});
	try {
		const first = JSON.parse(await watch.waitLine(line => line.includes('"type":"app"')));
		assert.equal(first.state, 'healthy');
		await execa('docker', ['kill', worker.containerId]);
		const killed = JSON.parse(await watch.waitLine(line => line.includes('"state":"partial"'), 5000));
		assert.equal(killed.id, 'epsilon/app1');
		const lists = proxy.requests.filter(r => r.path.includes('/containers/json')).map(r => r.at);
		const gaps = lists.slice(1).map((t, i) => t - lists[i]!);
		assert.ok(gaps.length >= 1, `polled: ${lists.length} list queries`);
		assert.ok(
			gaps.every(gap => gap >= 1900),
			`polls at most every 2 s: gaps ${gaps.join(', ')} ms`,
		);
	} finally {
		watch.child.kill('SIGTERM');
		await watch.child;
		await proxy.close();
	}
	await ws.cli(['down', 'epsilon/app1', '-t', '0']);
});
