/**
 * The status pane's per-service actions on real compose, through the TUI's services (create-services.ts):
 * stop / up / restart of one service leave the app's other service alone, and a shell is refused
 * before the terminal is handed over when its container is not running.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {execa} from 'execa';
import {dockerTestOptions} from '../helpers/docker.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {appStatus, handMadeApp, removeProject, waitFor, workspace} from './stack.ts';
import {createServices} from '../../source/ui/create-services.ts';
import type {AppStatus} from '../../source/core/compose/types.ts';

const docker = await dockerTestOptions();

const service = (status: AppStatus, name: string) => status.services.find(s => s.service === name);

/** The container's id and last start, from the Engine (berth ps lists no start time). */
async function started(container: string): Promise<string> {
	return String((await execa('docker', ['inspect', '-f', '{{.Id}} {{.State.StartedAt}}', container])).stdout).trim();
}

test('one service alone: stop worker leaves web running, up and restart touch only the service named', {...docker, timeout: 180_000}, async () => {
	const ws = workspace(await tempDir('berth-service-actions-'));
	const ref = `svc-${runtimeName}-${process.pid}/app1`;
	const {projectName} = await handMadeApp(ws, ref);
	after(() => removeProject(projectName));
	const up = await ws.cli(['up', ref], {timeout: 120_000});
	assert.equal(up.exitCode, 0, up.stderr);
	const before = await waitFor(ws, ref, s => service(s, 'web')?.state === 'running' && service(s, 'worker')?.state === 'running');
	const webContainer = service(before, 'web')!.container;
	const workerContainer = service(before, 'worker')!.container;
	const webStarted = await started(webContainer);

	let handed = 0;
	const services = await createServices({
		root: ws.root,
		storeFile: ws.store,
		pluginDirs: [],
		env: {...process.env},
		cwd: ws.root,
		// Counts the hand-overs; the shell itself needs a real terminal (test/e2e/tui-shell.test.ts).
		handTerminal: async <T>() => {
			handed++;
			return 0 as T;
		},
	});
	after(() => services.dispose());
	const app = (await services.loadWorkspace()).models.flatMap(m => m.apps).find(a => a.id === ref)!;
	const lines: string[] = [];
	const run = (action: 'up' | 'stop' | 'restart', only: string) =>
		services.runAction(action, app, {signal: new AbortController().signal, onLine: line => lines.push(line), services: [only]});

	await run('stop', 'worker');
	let now = await appStatus(ws, ref);
	assert.equal(service(now, 'worker')?.state, 'exited');
	assert.equal(service(now, 'web')?.state, 'running', 'web keeps running');
	assert.equal(await started(webContainer), webStarted);
	assert.ok(lines.some(line => /worker/.test(line)) && !lines.some(line => /web/.test(line)), `compose spoke of worker alone:\n${lines.join('\n')}`);

	// A shell in a stopped container is refused before the terminal is handed over.
	await assert.rejects(services.openShell({app: ref, service: 'worker', container: workerContainer}), /^BerthError: worker is not running: start it with u$/);
	assert.equal(handed, 0);

	await run('up', 'worker');
	now = await waitFor(ws, ref, s => service(s, 'worker')?.state === 'running');
	assert.equal(await started(webContainer), webStarted, 'web was neither recreated nor restarted');

	const workerStarted = await started(workerContainer);
	await run('restart', 'web');
	now = await waitFor(ws, ref, s => service(s, 'web')?.state === 'running');
	assert.notEqual(await started(webContainer), webStarted, 'web was restarted');
	assert.equal(await started(workerContainer), workerStarted, 'worker was not restarted');

	await services.openShell({app: ref, service: 'web', container: webContainer});
	assert.equal(handed, 1, 'a running container gets the terminal');
});
