/**
 * The picture follows the disk, in a real terminal (tmux) under the runtime running the tests: an app
 * made by `berth new` in another process, and a model folder written by hand, appear in the running TUI
 * within seconds without a key; a folder renamed shows under its new name; one removed disappears.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {rename, rm} from 'node:fs/promises';
import path from 'node:path';
import {dockerTestOptions} from '../helpers/docker.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {launchBerth, noTmux, openTerminal} from '../helpers/tmux.ts';
import {scaffoldApp, workspace, writeTestCompose} from '../integration/stack.ts';

const options = await dockerTestOptions();

test(`folders created and removed on disk show in the running TUI (${runtimeName})`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 180_000,
}, async () => {
	const ws = workspace(await tempDir('berth-e2e-picture-'));
	const model = `picture-${runtimeName}-${process.pid}`;
	const other = `zz-hand-${process.pid}`;
	await scaffoldApp(ws, `${model}/app1`);

	const terminal = await openTerminal(`berth-picture-${process.pid}`, {columns: 120, rows: 30});
	await launchBerth(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +not-created/, 60_000, 'the first state');
	assert.match(await terminal.pane(), /models 1 {2}apps 1/);

	// `berth new` from another process: no key pressed in the TUI.
	let start = Date.now();
	await scaffoldApp(ws, `${model}/app2`);
	let screen = await terminal.waitFor(/app2 +not-created/, 10_000, 'the app made by berth new');
	const newApp = Date.now() - start;
	assert.match(screen, /models 1 {2}apps 2/);

	// A model folder and an app written by hand (mkdir + compose file).
	start = Date.now();
	await writeTestCompose(path.join(ws.root, other, 'app1'), 1);
	screen = await terminal.waitFor(/models 2 {2}apps 3/, 10_000, 'the hand-made model');
	const handMade = Date.now() - start;
	// Its count is "…/1" until the Engine has answered for the new app (a frame never claims a state
	// berth does not know), then 0/1.
	screen = await terminal.waitFor(new RegExp(`${other} +0/1`), 10_000, 'the hand-made model, asked of the Engine');

	// Renamed (mv app2 app5): the old name goes, the new one comes, in one reload.
	start = Date.now();
	await rename(path.join(ws.root, model, 'app2'), path.join(ws.root, model, 'app5'));
	screen = await terminal.waitFor(/app5 +(not-created|unknown)/, 10_000, 'the renamed app');
	const renamed = Date.now() - start;
	assert.doesNotMatch(screen, /[│┃][ >·*]+app2 /, 'no app2 row');
	assert.match(screen, /models 2 {2}apps 3/);

	// Removed: gone from the models pane.
	start = Date.now();
	await rm(path.join(ws.root, other), {recursive: true});
	screen = await terminal.waitFor(/models 1 {2}apps 2/, 10_000, 'the removed model');
	const removed = Date.now() - start;
	assert.doesNotMatch(screen, new RegExp(other));
	console.log(`# shown after: berth new ${newApp} ms, hand-made ${handMade} ms, renamed ${renamed} ms, removed ${removed} ms`);

	await terminal.keys('q');
	await terminal.waitFor(/berth exited 0/, 20_000, 'q quits');
});
