/**
 * The log pane in a real terminal (tmux) on the real engine, under the runtime running the tests:
 * following an app through a stop and a down says what happened, once each, and never shows docker's
 * raw errors.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {dockerTestOptions} from '../helpers/docker.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {launchBerth, noTmux, openTerminal} from '../helpers/tmux.ts';
import {EngineProxy} from '../integration/engine-proxy.ts';
import {removeProject, scaffoldApp, workspace} from '../integration/stack.ts';

const options = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

/** How many times `text` is on the screen. */
const count = (screen: string, text: string) => screen.split(text).length - 1;
/** The log pane's title row. */
const logsTitle = (screen: string) => /Logs · \S+ \(([^)]*)\)/.exec(screen)?.[1] ?? '';

test(`following an app's logs (${runtimeName}): stop says "stopped" once, down says "removed" once`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 240_000,
}, async () => {
	const ws = workspace(await tempDir('berth-e2e-logs-'));
	const model = `logs-${runtimeName}-${process.pid}`;
	const app = await scaffoldApp(ws, `${model}/app1`);
	projects.push(app.projectName);
	const up = await ws.cli(['up', `${model}/app1`, '--wait'], {timeout: 120_000});
	assert.equal(up.exitCode, 0, up.stderr);

	const terminal = await openTerminal(`berth-logs-${process.pid}`, {columns: 120, rows: 35});
	await launchBerth(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +(healthy|running)/, 60_000, 'the running app');
	await terminal.keys('l', 'l');
	let screen = await terminal.waitFor(/worker \| worker line \d+/, 30_000, 'the worker follows');
	assert.equal(logsTitle(screen), 'following');

	// Stop: the containers exit; the pane says so once and the title stops saying "following".
	await terminal.keys('h', 's');
	screen = await terminal.waitFor(/── stopped ──/, 60_000, 'the stop marker');
	await terminal.waitFor(/app1 +stopped/, 30_000, 'the app stopped');
	// Several discovery rounds (one a second) after the stop.
	await new Promise(resolve => setTimeout(resolve, 4000));
	screen = await terminal.pane();
	assert.equal(count(screen, '── stopped ──'), 1, screen);
	assert.equal(logsTitle(screen), 'stopped', screen);
	assert.doesNotMatch(screen, /re-attached|restarted/, screen);

	// Down (with its confirm): the containers are removed; once, with no raw docker error.
	await terminal.keys('d');
	await terminal.waitFor(/Down \S+\/app1\?/, 10_000, 'the confirm');
	await terminal.keys('y');
	screen = await terminal.waitFor(/── removed ──/, 60_000, 'the removal marker');
	await terminal.waitFor(/app1 +not-created/, 30_000, 'the app is gone');
	await new Promise(resolve => setTimeout(resolve, 4000));
	screen = await terminal.pane();
	assert.equal(count(screen, '── removed ──'), 1, screen);
	assert.equal(logsTitle(screen), 'removed', screen);
	assert.doesNotMatch(screen, /No such container|re-attached|restarted/, screen);

	await terminal.keys('q');
	await terminal.waitFor(/berth exited 0/, 15_000, 'quit');
});

test(`following an app's logs (${runtimeName}) through a 10 s engine outage: "engine lost" once, "engine back" once`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 240_000,
}, async () => {
	const dir = await tempDir('berth-e2e-logs-');
	const ws = workspace(dir);
	const model = `outage-${runtimeName}-${process.pid}`;
	const app = await scaffoldApp(ws, `${model}/app1`);
	projects.push(app.projectName);
	const up = await ws.cli(['up', `${model}/app1`, '--wait'], {timeout: 120_000});
	assert.equal(up.exitCode, 0, up.stderr);

	// berth talks to the Engine through a proxy the test can cut.
	const socket = path.join(dir, 'engine.sock');
	const proxy = new EngineProxy(socket);
	await proxy.listen();
	after(() => proxy.close());
	const terminal = await openTerminal(`berth-outage-${process.pid}`, {columns: 120, rows: 40}, [`DOCKER_HOST=unix://${socket}`]);
	await launchBerth(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +(healthy|running)/, 60_000, 'the running app');
	await terminal.keys('l', 'l');
	await terminal.waitFor(/worker \| worker line \d+/, 30_000, 'the worker follows');

	await proxy.close();
	let screen = await terminal.waitFor(/── engine lost ──/, 20_000, 'the outage marker');
	assert.equal(logsTitle(screen), 'waiting for the engine', screen);
	await new Promise(resolve => setTimeout(resolve, 10_000));
	await proxy.listen();
	screen = await terminal.waitFor(/── engine back ──(.|\n)*worker \| worker line \d+/, 30_000, 'lines again after the outage');
	await new Promise(resolve => setTimeout(resolve, 3000));
	screen = await terminal.pane();
	assert.equal(count(screen, '── engine lost ──'), 1, screen);
	assert.equal(count(screen, '── engine back ──'), 1, screen);
	assert.deepEqual(screen.match(/── [^─]+ ──/g), [`── following ${model}/app1 ──`, '── engine lost ──', '── engine back ──'], screen);
	assert.equal(logsTitle(screen), 'following', screen);

	await terminal.keys('q');
	await terminal.waitFor(/berth exited 0/, 15_000, 'quit');
});
