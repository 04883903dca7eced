import {test} from 'node:test';
import assert from 'node:assert/strict';
import {commandFor, helpSections, hintsFor, KEYMAP, keyName, scopeChain, type Scope} from '../../source/ui/keymap.ts';

const SCOPES: Scope[] = ['global', 'list', 'models', 'apps', 'status', 'logs', 'ports', 'confirm', 'help'];

test('no two commands share a key in one scope (inherited scopes included)', () => {
	for (const scope of SCOPES) {
		const owner = new Map<string, string>();
		for (const s of scopeChain(scope)) {
			for (const binding of KEYMAP.filter(b => b.scope === s)) {
				for (const key of binding.keys) {
					const taken = owner.get(key);
					assert.equal(taken, undefined, `key "${key}" is bound to both ${taken} and ${binding.command} (${s}) in scope ${scope}`);
					owner.set(key, `${binding.command} (${s})`);
				}
			}
		}
	}
});

test('the keys the issue asks for are bound', () => {
	assert.equal(commandFor('apps', 'u'), 'start');
	assert.equal(commandFor('apps', 's'), 'stop');
	assert.equal(commandFor('apps', 'r'), 'restart');
	assert.equal(commandFor('apps', 'd'), 'compose-down');
	assert.equal(commandFor('apps', 'b'), 'rebuild');
	assert.equal(commandFor('apps', 'l'), 'follow-logs');
	assert.equal(commandFor('apps', 'space'), 'mark');
	assert.equal(commandFor('apps', 'o'), 'open');
	assert.equal(commandFor('apps', 'j'), 'down');
	assert.equal(commandFor('apps', 'k'), 'up');
	assert.equal(commandFor('apps', 'h'), 'pane-left');
	assert.equal(commandFor('models', 'l'), 'pane-right');
	assert.equal(commandFor('models', 'tab'), 'next-pane');
	assert.equal(commandFor('logs', '/'), 'filter');
	for (const [key, command] of [
		['n', 'new-app'],
		['p', 'ports-view'],
		[':', 'palette'],
		['?', 'help'],
		['q', 'quit'],
	] as const) {
		for (const pane of ['models', 'apps', 'status', 'logs'] as const) assert.equal(commandFor(pane, key), command, `${key} in ${pane}`);
	}
	// Overlays do not inherit the pane keys: "u" in the help does nothing.
	assert.equal(commandFor('help', 'u'), null);
	assert.equal(commandFor('confirm', 'y'), 'confirm');
});

test('keyName normalises Ink key events', () => {
	const none = {
		upArrow: false,
		downArrow: false,
		leftArrow: false,
		rightArrow: false,
		pageDown: false,
		pageUp: false,
		home: false,
		end: false,
		return: false,
		escape: false,
		ctrl: false,
		shift: false,
		tab: false,
		backspace: false,
		delete: false,
		meta: false,
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
	};
	assert.equal(keyName('', {...none, upArrow: true}), 'up');
	assert.equal(keyName('', {...none, tab: true, shift: true}), 'shift+tab');
	assert.equal(keyName('c', {...none, ctrl: true}), 'ctrl+c');
	assert.equal(keyName(' ', none), 'space');
	assert.equal(keyName('G', none), 'G');
});

test('footer hints and help come from the table', () => {
	assert.deepEqual(hintsFor('apps').slice(0, 3), [
		{keys: 'u', label: 'up'},
		{keys: 's', label: 'stop'},
		{keys: 'r', label: 'restart'},
	]);
	assert.ok(hintsFor('apps').some(h => h.keys === 'q' && h.label === 'quit'));
	const all = helpSections().flatMap(s => s.bindings);
	assert.equal(all.length, KEYMAP.length, 'every binding appears in the help');
});
