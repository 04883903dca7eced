import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {dockerTestOptions} from '../helpers/docker.ts';
import {parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {appStatus, httpGet, randomBase, removeProject, scaffoldApp, waitFor, workspace} from './stack.ts';

const docker = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

test('scaffold -> allocate -> up -> healthy -> logs show the worker -> stop -> start -> down', docker, async () => {
	const ws = workspace(await tempDir());
	const app = await scaffoldApp(ws, 'alpha/app1');
	projects.push(app.projectName);
	assert.equal((await appStatus(ws, 'alpha/app1')).state, 'not-created');

	const up = await ws.cli(['up', 'alpha/app1', '--wait', '--json']);
	assert.equal(up.exitCode, 0, up.stderr);
	const upResult = parseJson<{ok: boolean; state: string; command: string[]; output: {text: string}[]}>(up);
	assert.equal(upResult.state, 'healthy');
	assert.deepEqual(upResult.command.slice(upResult.command.indexOf('-p'), upResult.command.indexOf('-p') + 2), ['-p', app.projectName]);
	assert.ok(
		upResult.output.some(line => /web/.test(line.text)),
		'compose output is captured as lines',
	);

	const running = await appStatus(ws, 'alpha/app1');
	assert.equal(running.state, 'healthy');
	const web = running.services.find(s => s.service === 'web')!;
	assert.equal(web.health, 'healthy');
	assert.deepEqual(
		web.ports.map(p => [p.hostIp, p.hostPort, p.containerPort]),
		[['127.0.0.1', app.port, 8080]],
	);
	assert.ok(web.startedAt && Date.now() - Date.parse(web.startedAt) < 60_000);
	assert.equal(web.restartCount, 0);
	assert.equal(await httpGet(app.port), 'ok');

	// The worker prints a line a second.
	let lines: {service: string; text: string}[] = [];
	for (let i = 0; i < 20 && !lines.some(l => l.text === 'worker line 2'); i++) {
		await new Promise(resolve => setTimeout(resolve, 300));
		const logs = await ws.cli(['logs', 'alpha/app1', '--service', 'worker', '--json']);
		assert.equal(logs.exitCode, 0, logs.stderr);
		lines = logs.stdout
			.split('\n')
			.filter(Boolean)
			.map(line => JSON.parse(line));
	}
	assert.deepEqual(
		lines.slice(0, 2).map(l => `${l.service}: ${l.text}`),
		['worker: worker line 1', 'worker: worker line 2'],
	);
	const human = await ws.cli(['logs', 'alpha/app1', '--service', 'worker', '--tail', '1']);
	assert.match(human.stdout, /^worker +\| worker line \d+$/);

	const stop = await ws.cli(['stop', 'alpha/app1', '--timeout', '1']);
	assert.equal(stop.exitCode, 0, stop.stderr);
	assert.match(stop.stdout, /^stopped alpha\/app1 in \d+\.\d s$/m);
	const stopped = await appStatus(ws, 'alpha/app1');
	assert.equal(stopped.state, 'stopped');
	assert.deepEqual(
		stopped.services.map(s => s.state),
		['exited', 'exited'],
	);
	await assert.rejects(httpGet(app.port));

	const start = await ws.cli(['start', 'alpha/app1', '--json']);
	assert.equal(start.exitCode, 0, start.stderr);
	const started = await waitFor(ws, 'alpha/app1', s => s.state === 'healthy');
	assert.equal(await httpGet(app.port), 'ok');

	const restart = await ws.cli(['restart', 'alpha/app1', '--service', 'worker', '-t', '0']);
	assert.equal(restart.exitCode, 0, restart.stderr);
	assert.match(restart.stdout, /^restarted alpha\/app1 \(worker\) in \d+\.\d s$/m);
	const restarted = await waitFor(ws, 'alpha/app1', s => s.state === 'healthy');
	const startedAt = (status: typeof started, service: string) => Date.parse(status.services.find(s => s.service === service)!.startedAt!);
	assert.ok(startedAt(restarted, 'worker') > startedAt(started, 'worker'), 'the worker started again');
	assert.equal(startedAt(restarted, 'web'), startedAt(started, 'web'), 'web was left alone');

	const down = await ws.cli(['down', 'alpha/app1', '-t', '0', '--json']);
	assert.equal(down.exitCode, 0, down.stderr);
	assert.equal((await appStatus(ws, 'alpha/app1')).state, 'not-created');
});

test('two apps of two models start at the same time on distinct ports', docker, async () => {
	const ws = workspace(await tempDir());
	const base = randomBase();
	const one = await scaffoldApp(ws, 'openai_gpt-4o/app1', base);
	const two = await scaffoldApp(ws, 'anthropic_claude-3.7-sonnet/app1', base);
	projects.push(one.projectName, two.projectName);
	assert.notEqual(one.port, two.port);
	const [a, b] = await Promise.all([ws.cli(['up', 'openai_gpt-4o/app1', '--wait']), ws.cli(['up', 'anthropic_claude-3.7-sonnet/app1', '--wait'])]);
	assert.equal(a.exitCode, 0, a.stderr);
	assert.equal(b.exitCode, 0, b.stderr);
	const ps = parseJson<{apps: {id: string; state: string; services: {service: string; ports: {hostPort: number}[]}[]}[]}>(await ws.cli(['ps', '--json']));
	assert.deepEqual(
		ps.apps.map(app => [app.id, app.state, app.services.find(s => s.service === 'web')?.ports[0]?.hostPort]),
		[
			['anthropic_claude-3.7-sonnet/app1', 'healthy', two.port],
			['openai_gpt-4o/app1', 'healthy', one.port],
		],
	);
	assert.equal(await httpGet(one.port), 'ok');
	assert.equal(await httpGet(two.port), 'ok');
	const human = await ws.cli(['ps']);
	assert.match(human.stdout, /^anthropic_claude-3\.7-sonnet\/app1 +healthy +web +healthy +127\.0\.0\.1:\d+->8080/m);
	await Promise.all([ws.cli(['down', 'openai_gpt-4o/app1', '-t', '0']), ws.cli(['down', 'anthropic_claude-3.7-sonnet/app1', '-t', '0'])]);
});
