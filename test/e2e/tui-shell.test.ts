/**
 * A shell in a service with `e`, in a real terminal (tmux) against the real Engine, under the runtime
 * running the tests: berth hands the terminal to `docker exec -it`, the shell reads every key typed,
 * and on `exit` berth's screen comes back whole and reads keys again.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {runCli} from '../helpers/cli.ts';
import {dockerTestOptions} from '../helpers/docker.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {brokenRows, launchBerth, noTmux, openTerminal} from '../helpers/tmux.ts';
import {removeProject, TEST_PLUGIN} from '../integration/stack.ts';

const options = await dockerTestOptions();

test(`e opens a shell in the selected service and exit brings berth back, redrawn (${runtimeName})`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 180_000,
}, async () => {
	const dir = await tempDir('berth-e2e-shell-');
	const model = `shell-${runtimeName}-${process.pid}`;
	const global = ['--root', `${dir}/apps`, '--store', `${dir}/ports.json`, '--plugin', TEST_PLUGIN];
	const created = await runCli(['new', `${model}/app1`, '--flavour', 'busybox-test', ...global]);
	assert.equal(created.exitCode, 0, created.stderr);
	after(() => removeProject(`${model}-app1`));
	const up = await runCli(['up', `${model}/app1`, ...global], {timeout: 120_000});
	assert.equal(up.exitCode, 0, up.stderr);

	const terminal = await openTerminal(`berth-shell-${process.pid}`);
	await launchBerth(terminal, global);
	await terminal.waitFor(/app1 +(healthy|running)/, 60_000, 'the app runs');
	// Apps pane, status pane: web (the first service) is selected.
	await terminal.keys('l', 'Enter');
	await terminal.waitFor(/┃>web +(healthy|running)/, 10_000, 'web selected in the focused status pane');

	await terminal.keys('e');
	let screen = await terminal.waitFor(/^\/ #/m, 30_000, 'the shell prompt (busybox ash: "/ # ")');
	assert.doesNotMatch(screen, /Models 1/, "berth's screen is gone while the shell owns the terminal");
	await terminal.type('echo berth-$((6*7))');
	await terminal.keys('Enter');
	await terminal.waitFor(/^berth-42$/m, 10_000, 'the shell ran what was typed');

	await terminal.type('exit');
	await terminal.keys('Enter');
	screen = await terminal.waitFor(/shell in [^ ]+\/app1 web closed/, 20_000, 'berth back, saying the shell closed');
	assert.match(screen, /Models 1/);
	assert.match(screen, /Apps · shell-/);
	assert.match(screen, /┃Status · [^ ]+\/app1/);
	assert.doesNotMatch(screen, /berth-42/, 'the whole screen was redrawn over the shell');
	assert.deepEqual(brokenRows(screen), []);
	assert.equal(screen.split('\n')[1]!.length, 120, 'the frame spans the terminal');

	// Keys reach berth again.
	await terminal.keys('j');
	await terminal.waitFor(/┃>worker +running/, 10_000, 'j moves to worker');
	await terminal.keys('q');
	screen = await terminal.waitFor(/berth exited 0/, 15_000, 'q quits');
	assert.doesNotMatch(screen, /Models 1/, 'the alternate screen was left');
});
