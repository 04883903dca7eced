/** The keys file (core/keys-file.ts) against berth's keymap: remaps, and each mistake's exact message. */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {remapKeys} from '../../source/core/keys-file.ts';
import {commandFor, hintsFor, KEYMAP, SCOPE_TITLES, scopeChain, type Scope} from '../../source/ui/keymap.ts';
import {userKeys} from '../../source/ui/run-tui.ts';
import {tempDir} from '../helpers/temp.ts';

const remap = (text: string) => remapKeys(KEYMAP, text, '/home/u/.config/berth/keys.conf', scope => scopeChain(scope as Scope), SCOPE_TITLES);

test('a command line remaps it in every scope that has it; scope.command in one; comments and blank lines are skipped', () => {
	const {bindings, errors} = remap('# my keys\n\nstop = x ctrl+s   # like my editor\nlogs.pane-left = H\n');
	assert.deepEqual(errors, []);
	assert.equal(commandFor('apps', 'x', bindings), 'stop');
	assert.equal(commandFor('apps', 'ctrl+s', bindings), 'stop');
	assert.equal(commandFor('apps', 's', bindings), null, 'the default key is replaced');
	assert.equal(commandFor('logs', 'H', bindings), 'pane-left');
	assert.equal(commandFor('logs', 'h', bindings), null);
	assert.equal(commandFor('apps', 'h', bindings), 'pane-left', 'other scopes keep theirs');
	assert.deepEqual(
		hintsFor('apps', bindings).find(h => h.label === 'stop'),
		{keys: 'x', label: 'stop'},
	);
	assert.equal(commandFor('status', 's', bindings), 'service-stop', 'another command is not touched');
});

test('each mistake names the file and line, says what is accepted, and the defaults stay', () => {
	const cases: [string, string][] = [
		['stop x', 'keys.conf:1: expected "<command> = <keys>" or "<scope>.<command> = <keys>", got "stop x"'],
		['frobnicate = x', 'keys.conf:1: unknown command "frobnicate": the commands are listed in docs/tui.md (berth\'s keys)'],
		['\nappz.stop = x', 'keys.conf:2: unknown scope "appz": one of global, list, models, apps, status, logs, output, prompt, ports, adopt, confirm, help'],
		['logs.stop = x', 'keys.conf:1: "stop" has no keys in scope "logs": it is bound in apps'],
		[
			'stop = ctrl+shift+s',
			'keys.conf:1: unknown key "ctrl+shift+s": a single character, up, down, left, right, enter, escape, tab, shift+tab, space, backspace, pageup, pagedown, home, end, or ctrl+<letter>',
		],
		['stop =', 'keys.conf:1: no keys for "stop": give one or more, e.g. "stop = x"'],
		['stop = u', 'keys.conf:1: "u" would be both "start" (apps pane) and "stop" (apps pane)'],
		['# fine\napps.stop = j', 'keys.conf:2: "j" would be both "stop" (apps pane) and "down" (lists and logs)'],
		['ports.release = q', 'keys.conf:1: "q" would be both "release" (ports view) and "close" (ports view)'],
	];
	for (const [text, message] of cases) {
		const {bindings, errors} = remap(text);
		assert.deepEqual(errors, [message], text);
		assert.deepEqual(
			bindings,
			KEYMAP.map(b => ({...b})),
			`${text}: the defaults`,
		);
	}
	assert.equal(remap('stop = x\nstart = x').errors[0], 'keys.conf:2: "x" would be both "start" (apps pane) and "stop" (apps pane)');
	assert.deepEqual(remap('frob = x\nstop = u').errors.length, 1, 'a clash is looked for once every line is valid');
});

test('the file in the config dir: none = the defaults; a problem = the defaults and the first problem, for the footer', async () => {
	const dir = await tempDir();
	assert.deepEqual(await userKeys(dir), {keymap: KEYMAP, problem: null});
	await writeFile(path.join(dir, 'keys.conf'), 'stop = x\n');
	const keys = await userKeys(dir);
	assert.equal(keys.problem, null);
	assert.equal(commandFor('apps', 'x', keys.keymap), 'stop');
	await writeFile(path.join(dir, 'keys.conf'), 'stop = x\nfrob = y\nquit = ctrl+!\n');
	assert.deepEqual(await userKeys(dir), {
		keymap: KEYMAP,
		problem: 'keys.conf:2: unknown command "frob": the commands are listed in docs/tui.md (berth\'s keys) (+1 more); berth uses its default keys',
	});
});
