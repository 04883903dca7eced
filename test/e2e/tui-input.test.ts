/**
 * Input in a real terminal (tmux), under the runtime running the tests: a bracketed paste and a plain
 * multi-character chunk into `/` and `:` land whole, a keys file remaps a key, and Ctrl-C quits from
 * the palette with the terminal restored (main screen, cursor shown); keys typed one by one faster
 * than berth draws, while it follows a chatty container, all land.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {launchBerth, noTmux, openTerminal} from '../helpers/tmux.ts';
import {removeProject, scaffoldApp, workspace} from '../integration/stack.ts';

const options = await dockerTestOptions();

test(`paste and chunks into / and :, a remapped key, Ctrl-C from the palette (${runtimeName})`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 180_000,
}, async () => {
	const dir = await tempDir('berth-e2e-input-');
	const ws = workspace(dir);
	const model = `input-${runtimeName}-${process.pid}`;
	// Not started: the apps only need to be listed.
	await scaffoldApp(ws, `${model}/app1`);
	await scaffoldApp(ws, `${model}/app2`);
	const config = path.join(dir, 'config');
	await mkdir(path.join(config, 'berth'), {recursive: true});
	await writeFile(path.join(config, 'berth', 'keys.conf'), '# mine\nstop = x\n');

	const terminal = await openTerminal(`berth-input-${process.pid}`, {columns: 120, rows: 30}, [`XDG_CONFIG_HOME=${config}`]);
	await launchBerth(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(new RegExp(`>${model}`), 60_000, 'the model');

	// A bracketed paste into the palette goes in whole and runs nothing until enter.
	await terminal.keys(':');
	await terminal.paste(`goto ${model}/app2`);
	await terminal.waitFor(new RegExp(`\\n:goto ${model}/app2▏`), 10_000, 'the pasted command in the palette');
	await terminal.keys('Enter');
	let screen = await terminal.waitFor(new RegExp(`Status · ${model}/app2`), 10_000, 'goto lands on app2');
	assert.match(screen, /x stop/, 'the footer shows the remapped key');

	// A plain chunk (no paste markers) is each key in order: the text, then enter.
	await terminal.keys(':');
	await terminal.type(`goto ${model}/app1\r`);
	await terminal.waitFor(new RegExp(`Status · ${model}/app1`), 10_000, 'a typed-at-once command with its enter');

	// The filter: a pasted line break is a space, never enter; a chunk of letters lands whole.
	await terminal.keys('/');
	await terminal.paste('app\n2');
	await terminal.waitFor(/\n\/app 2▏/, 10_000, 'the pasted filter, its newline a space');
	await terminal.keys('BSpace', 'BSpace');
	await terminal.type('2');
	await terminal.waitFor(/\n\/app2▏/, 10_000, 'the typed filter');
	await terminal.keys('Enter');
	screen = await terminal.waitFor(new RegExp(`Apps · ${model} /app2`), 10_000, 'the filter keeps app2');
	assert.doesNotMatch(screen, / app1 /);

	// Ctrl-C from the palette quits, and the terminal is the shell's again.
	await terminal.keys(':');
	await terminal.type('sto');
	await terminal.waitFor(/\n:sto▏/, 10_000, 'the palette open');
	await terminal.keys('C-c');
	await terminal.waitFor(/berth exited 0/, 20_000, 'Ctrl-C quits');
	const state = String((await terminal.tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on} #{cursor_flag}')).stdout).trim();
	assert.equal(state, '0 1', 'main screen back, cursor shown');
});

test(`keys typed one by one faster than berth draws, while it follows 4,000 lines/s, all land in order (${runtimeName})`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 180_000,
}, async () => {
	const ws = workspace(await tempDir('berth-e2e-typing-'));
	const model = `typing-${runtimeName}-${process.pid}`;
	// app1 prints bursts of 2,000 lines every half second; app2 only needs to be listed.
	const app1 = path.join(ws.root, model, 'app1');
	await mkdir(app1, {recursive: true});
	const loop = 'i=0; while true; do i=$$((i+1)); seq 1 2000 | sed "s/^/chatty $$i line /"; sleep 0.5; done';
	await writeFile(
		path.join(app1, 'docker-compose.yml'),
		`services:\n  chatty:\n    image: ${TEST_IMAGE}\n    init: true\n    command: ["sh", "-c", ${JSON.stringify(loop)}]\n`,
	);
	await mkdir(path.join(ws.root, model, 'app2'), {recursive: true});
	await writeFile(path.join(ws.root, model, 'app2', 'docker-compose.yml'), `services:\n  web:\n    image: ${TEST_IMAGE}\n`);
	after(() => removeProject(`${model}-app1`));
	const up = await ws.cli(['up', `${model}/app1`], {timeout: 120_000});
	assert.equal(up.exitCode, 0, up.stderr);

	const terminal = await openTerminal(`berth-typing-${process.pid}`, {columns: 120, rows: 30});
	await launchBerth(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +running/, 60_000, 'the chatty app');
	await terminal.keys('l', 'l');
	await terminal.waitFor(/chatty \| chatty \d+ line \d+/, 30_000, 'its logs follow');
	await terminal.keys('h');
	// Each key its own write, none waiting for the screen: a fast typist on a busy machine.
	const typed = `:goto ${model}/app2`;
	for (const char of typed) await terminal.tmux('send-keys', '-t', 'e2e', '-l', char);
	await terminal.waitFor(new RegExp(`\\n${typed}▏`), 20_000, 'every typed character in the palette, in order');
	await terminal.keys('Enter');
	await terminal.waitFor(new RegExp(`Status · ${model}/app2`), 20_000, 'goto lands on app2');
	await terminal.keys('q');
	await terminal.waitFor(/berth exited 0/, 20_000, 'quit');
});
