/**
 * Input in a real terminal (tmux), under the runtime running the tests: a bracketed paste and a plain
 * multi-character chunk into `/` and `:` land whole, a keys file remaps a key, and Ctrl-C quits from
 * the palette with the terminal restored (main screen, cursor shown).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {dockerTestOptions} from '../helpers/docker.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {launchBerth, noTmux, openTerminal} from '../helpers/tmux.ts';
import {scaffoldApp, workspace} from '../integration/stack.ts';

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
