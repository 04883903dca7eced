// The docker CLI transport (DOCKER_HOST=tcp://..., ssh contexts; forced with BERTH_DOCKER_TRANSPORT=cli)
// against the real Engine: it must tell the same as the unix socket path.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {execa} from 'execa';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {listContainers, type ContainerSummary} from '../../source/core/docker/engine.ts';
import {inspectContainers} from '../../source/core/docker/inspect.ts';
import {openEvents, type EngineEvent} from '../../source/core/docker/events.ts';
import {parseStatusText} from '../../source/core/compose/state.ts';
import {dockerShim} from './docker-shim.ts';
import {removeProject, scaffoldApp, spawnBerth, workspace} from './stack.ts';

const docker = await dockerTestOptions();
const CLI = {...process.env, BERTH_DOCKER_TRANSPORT: 'cli'};
const SOCKET = {...process.env, BERTH_DOCKER_TRANSPORT: 'auto'};
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

/** A container with compose-like labels (one holding a comma) and a port published on 127.0.0.1. */
async function labelledContainer(): Promise<{id: string; project: string}> {
	const project = `berth-cli-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
	projects.push(project);
	const run = await execa('docker', [
		'run',
		'-d',
		'--label',
		`com.docker.compose.project=${project}`,
		'--label',
		'com.docker.compose.service=web',
		'--label',
		'com.docker.compose.project.config_files=/a/x.yml,/b/y.yml',
		'-p',
		'127.0.0.1::8080',
		TEST_IMAGE,
		'sleep',
		'600',
	]);
	return {id: run.stdout.trim(), project};
}

/** A list row without the status text's clock ("Up 2 seconds" vs "Up 3 seconds"), which both paths parse alike. */
const stable = (c: ContainerSummary) => ({...c, status: {...parseStatusText(c.status), words: c.status.split(' ')[0]}});

test('docker ps, docker inspect and docker events tell what the socket tells', docker, async () => {
	const {id, project} = await labelledContainer();
	const labels = [`com.docker.compose.project=${project}`];
	const [viaSocket, viaCli] = await Promise.all([listContainers({all: true, labels}, SOCKET), listContainers({all: true, labels}, CLI)]);
	assert.equal(viaCli.length, 1);
	assert.equal(viaCli[0]!.id, id);
	assert.equal(viaCli[0]!.labels['com.docker.compose.project.config_files'], '/a/x.yml,/b/y.yml');
	assert.equal(viaCli[0]!.ports[0]!.hostIp, '127.0.0.1');
	assert.deepEqual(viaCli.map(stable), viaSocket.map(stable));

	assert.deepEqual(await inspectContainers([id, 'berth-no-such-container'], CLI), await inspectContainers([id, 'berth-no-such-container'], SOCKET));
	assert.deepEqual(await inspectContainers(['berth-no-such-container'], CLI), new Map(), 'a container gone meanwhile is just missing');

	const controller = new AbortController();
	const events: EngineEvent[] = [];
	let seen: () => void = () => undefined;
	const died = new Promise<void>(resolve => (seen = resolve));
	const stream = await openEvents(
		{type: ['container'], event: ['die'], label: labels},
		event => {
			events.push(event);
			if (event.action === 'die') seen();
		},
		controller.signal,
		CLI,
	);
	try {
		assert.equal(stream.via, 'cli');
		await execa('docker', ['kill', id]);
		await Promise.race([died, new Promise((_, reject) => setTimeout(() => reject(new Error('no die event within 10 s')), 10_000))]);
		assert.deepEqual([events[0]!.id, events[0]!.action, events[0]!.attributes['exitCode']], [id, 'die', '137']);
	} finally {
		controller.abort();
	}
	assert.equal(await stream.closed, null, 'an abort ends the docker events child quietly');
});

test('ps and ps --watch through the docker CLI show the same as through the socket', docker, async () => {
	const dir = await tempDir();
	const ws = workspace(dir);
	const app = await scaffoldApp(ws, 'theta/app1');
	projects.push(app.projectName);
	const up = await ws.cli(['up', 'theta/app1', '--wait']);
	assert.equal(up.exitCode, 0, up.stderr);
	const shim = await dockerShim(path.join(dir, 'shim'));
	const env = (transport: string) => ({BERTH_DOCKER_TRANSPORT: transport, PATH: `${shim.dir}:${process.env['PATH']}`});
	const {runCli} = await import('../helpers/cli.ts');
	const ps = async (transport: string, args: string[]) => {
		const result = await runCli(['ps', ...args, '--json'], {env: {...ws.env, ...env(transport)}});
		assert.equal(result.exitCode, 0, result.stderr);
		return {...parseJson<Record<string, unknown>>(result), at: null} as Record<string, unknown>;
	};

	const viaSocket = await ps('auto', ['theta/app1']);
	assert.deepEqual(await shim.calls(), [], 'the socket path runs no docker CLI');
	assert.deepEqual(await ps('cli', ['theta/app1']), viaSocket);
	assert.deepEqual(
		(await shim.calls()).map(call => call.split(' ')[0]),
		['ps', 'inspect'],
	);
	// All apps: the list alone (the status text's clock aside, the same).
	const noClock = (status: Record<string, unknown>) => JSON.parse(JSON.stringify(status).replace(/"statusText":"[^"]*"/g, '"statusText":""'));
	assert.deepEqual(noClock(await ps('cli', [])), noClock(await ps('auto', [])));

	const socketWatch = spawnBerth(ws, ['ps', '--watch', '--json'], env('auto'));
	const cliWatch = spawnBerth(ws, ['ps', '--watch', '--json'], env('cli'));
	try {
		for (const watch of [socketWatch, cliWatch]) assert.equal(JSON.parse(await watch.waitLine(line => line.includes('"type":"app"'), 20_000)).state, 'healthy');
		const worker = (viaSocket['apps'] as {services: {service: string; containerId: string}[]}[])[0]!.services.find(s => s.service === 'worker')!;
		await execa('docker', ['kill', worker.containerId]);
		const [bySocket, byCli] = await Promise.all(
			[socketWatch, cliWatch].map(async watch => ({...JSON.parse(await watch.waitLine(line => line.includes('"state":"partial"'), 10_000)), at: null})),
		);
		assert.deepEqual(byCli, bySocket);
		assert.deepEqual(
			byCli.services.map((s: {service: string; state: string; exitCode: number | null}) => [s.service, s.state, s.exitCode]),
			[
				['web', 'running', null],
				['worker', 'exited', 137],
			],
		);
		assert.ok(
			(await shim.calls()).some(call => call.startsWith('events ')),
			'the CLI watch runs docker events',
		);
	} finally {
		socketWatch.child.kill('SIGTERM');
		cliWatch.child.kill('SIGTERM');
		await Promise.all([socketWatch.child, cliWatch.child]);
	}
	await ws.cli(['down', 'theta/app1', '-t', '0']);
});
