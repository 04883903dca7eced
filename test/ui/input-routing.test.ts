import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {Key} from 'ink';
import {appReadsKeys, inputMode, keyPresses, pasteText, routeKey, routePaste, type KeyPress} from '../../source/ui/input-routing.ts';
import {completePalette, recallPalette} from '../../source/ui/state/palette.ts';
import {keyName} from '../../source/ui/keymap.ts';
import {initialUiState, type Intent, type UiState} from '../../source/ui/state/ui-reducer.ts';

/** A key press as Ink reports it: the input and the flags of its `Key`. */
function press(input: string, key: Partial<Key> = {}): KeyPress {
	return {input, name: keyName(input, key as Key), ctrl: key.ctrl ?? false};
}

const ENTER = press('\r', {return: true});
const ESCAPE = press('', {escape: true});
const BACKSPACE = press('', {backspace: true});
const CTRL_C = press('c', {ctrl: true});
const NOTHING = {actions: []};
const CLOSE = {type: 'overlay', overlay: null};

const down: Intent = {kind: 'action', action: 'down', apps: ['m/app1']};
const state = (extra: Partial<UiState>): UiState => ({...initialUiState, ...extra});
const filtering = state({focus: 'apps', editing: 'apps', filters: {models: '', apps: 'we', logs: ''}});
const palette = (text: string) => state({overlay: {kind: 'palette', text}});
const confirm = state({focus: 'apps', overlay: {kind: 'confirm', message: 'Down m/app1?', intent: down}});
const help = (page: number) => state({overlay: {kind: 'help', page}});
const ports = state({overlay: {kind: 'ports'}});
const wizard = state({overlay: {kind: 'wizard'}});

test('the mode: an overlay with its own handler first, then a typed filter, the palette, a question, the help, the panes', () => {
	assert.equal(inputMode(initialUiState), 'normal');
	assert.equal(inputMode(filtering), 'filter');
	assert.equal(inputMode(palette('')), 'palette');
	assert.equal(inputMode(confirm), 'confirm');
	assert.equal(inputMode(help(0)), 'help');
	assert.equal(inputMode(ports), 'ports');
	assert.equal(inputMode(wizard), 'wizard');
	assert.equal(inputMode({...filtering, overlay: {kind: 'palette', text: ''}}), 'filter', 'the filter being typed keeps the keys');
	assert.equal(inputMode({...filtering, overlay: {kind: 'wizard'}}), 'wizard');
});

test("normal: a key of the focused pane's scope chain runs its command after clearing the message", () => {
	const clear = {type: 'message', message: null};
	assert.deepEqual(routeKey(initialUiState, press('q')), {actions: [clear], command: {command: 'quit', argument: ''}});
	assert.deepEqual(routeKey(initialUiState, press('', {tab: true})), {actions: [clear], command: {command: 'next-pane', argument: ''}});
	assert.deepEqual(routeKey(state({focus: 'apps'}), press('u')), {actions: [clear], command: {command: 'start', argument: ''}});
	assert.deepEqual(routeKey(state({focus: 'logs'}), press('k')), {actions: [clear], command: {command: 'up', argument: ''}});
	// The same key means what the focused pane says.
	assert.deepEqual(routeKey(state({focus: 'apps'}), press('l')).command, {command: 'follow-logs', argument: ''});
	assert.deepEqual(routeKey(state({focus: 'status'}), press('right')).command, {command: 'pane-right', argument: ''});
});

test('normal: unknown keys, and keys of another pane, do nothing and keep the message', () => {
	const said = state({message: {text: 'started', tone: 'ok'}});
	assert.deepEqual(routeKey(said, press('Z')), NOTHING);
	assert.deepEqual(routeKey(said, press('u')), NOTHING, 'start belongs to the apps pane');
	assert.deepEqual(routeKey(said, press('y')), NOTHING, 'yes means something only in a question');
	assert.deepEqual(routeKey(said, press('x', {ctrl: true})), NOTHING);
});

test('Ctrl-C quits from the panes whatever pane has the focus', () => {
	for (const focus of ['models', 'apps', 'status', 'logs'] as const) {
		assert.deepEqual(routeKey(state({focus}), CTRL_C).command, {command: 'quit', argument: ''}, focus);
	}
});

test('Ctrl-C quits from anywhere: a filter, the palette, a question, the help, and the overlays with their own keys', () => {
	for (const ui of [filtering, palette('up'), confirm, help(0), ports, wizard, state({overlay: {kind: 'output', app: null}})]) {
		assert.deepEqual(routeKey(ui, CTRL_C), {actions: [], command: {command: 'quit', argument: ''}}, inputMode(ui));
	}
});

test('filter: typing edits the filter, enter keeps it, escape drops it, other keys are ignored', () => {
	assert.deepEqual(routeKey(filtering, press('b')), {actions: [{type: 'edit-filter', text: 'web'}]});
	assert.deepEqual(routeKey(filtering, press('q')), {actions: [{type: 'edit-filter', text: 'weq'}]}, 'q is a letter here, not quit');
	assert.deepEqual(routeKey(filtering, press(' ')), {actions: [{type: 'edit-filter', text: 'we '}]});
	assert.deepEqual(routeKey(filtering, BACKSPACE), {actions: [{type: 'edit-filter', text: 'w'}]});
	assert.deepEqual(routeKey(filtering, ENTER), {actions: [{type: 'close-filter', keep: true}]});
	assert.deepEqual(routeKey(filtering, ESCAPE), {actions: [{type: 'close-filter', keep: false}]});
	assert.deepEqual(routeKey(filtering, press('', {upArrow: true})), NOTHING);
	assert.deepEqual(routeKey(filtering, press('', {tab: true})), NOTHING);
});

test('palette: typing edits, enter closes it and runs the parsed command, escape closes it', () => {
	assert.deepEqual(routeKey(palette('u'), press('p')), {actions: [{type: 'overlay', overlay: {kind: 'palette', text: 'up'}}]});
	assert.deepEqual(routeKey(palette('up'), BACKSPACE), {actions: [{type: 'overlay', overlay: {kind: 'palette', text: 'u'}}]});
	const remember = (text: string) => ({type: 'remember', text});
	assert.deepEqual(routeKey(palette('up'), ENTER), {actions: [CLOSE, remember('up')], command: {command: 'start', argument: ''}});
	assert.deepEqual(routeKey(palette('goto m/app2 '), ENTER), {actions: [CLOSE, remember('goto m/app2')], command: {command: 'focus', argument: 'm/app2'}});
	assert.deepEqual(routeKey(palette('up'), ESCAPE), {actions: [CLOSE]});
	assert.deepEqual(routeKey(palette('up'), press('', {leftArrow: true})), NOTHING);
});

test('palette: enter on an unknown word closes it and says why, as a warning', () => {
	const route = routeKey(palette('frobnicate'), ENTER);
	assert.equal(route.command, undefined);
	assert.equal(route.actions.length, 2);
	assert.deepEqual(route.actions[0], CLOSE);
	const said = route.actions[1]!;
	assert.ok(said.type === 'message' && said.message?.tone === 'warn' && said.message.text.includes('unknown command "frobnicate"'), JSON.stringify(said));
});

test('confirm: y or enter runs the intent, n, escape or q cancel, other keys wait for an answer', () => {
	for (const key of [press('y'), ENTER]) assert.deepEqual(routeKey(confirm, key), {actions: [CLOSE], intent: down}, key.name);
	for (const key of [press('n'), ESCAPE, press('q')]) {
		assert.deepEqual(routeKey(confirm, key), {actions: [CLOSE, {type: 'message', message: {text: 'cancelled', tone: 'info'}}]}, key.name);
	}
	for (const key of [press('u'), press('d'), press('', {tab: true}), press('Z')]) assert.deepEqual(routeKey(confirm, key), NOTHING, key.name);
});

test('help: esc, ? or q close it; → and ← page within the pages there are; other keys do nothing', () => {
	for (const key of [ESCAPE, press('?'), press('q')]) assert.deepEqual(routeKey(help(0), key), {actions: [CLOSE]}, key.name);
	const page = (n: number) => ({actions: [{type: 'overlay', overlay: {kind: 'help', page: n}}]});
	assert.deepEqual(routeKey(help(0), press('', {rightArrow: true}), {helpPages: 3}), page(1));
	assert.deepEqual(routeKey(help(1), press(' '), {helpPages: 3}), page(2));
	assert.deepEqual(routeKey(help(2), press('l'), {helpPages: 3}), page(2), 'stays on the last page');
	assert.deepEqual(routeKey(help(1), press('', {leftArrow: true}), {helpPages: 3}), page(0));
	assert.deepEqual(routeKey(help(0), press('h'), {helpPages: 3}), page(0), 'stays on the first page');
	assert.deepEqual(routeKey(help(0), press('l')), page(0), 'one page: nowhere to go');
	for (const key of [press('u'), press('j'), press('', {tab: true})]) assert.deepEqual(routeKey(help(0), key), NOTHING, key.name);
});

test("ports view and wizard: their own components read the keys; the App's routing answers only Ctrl-C", () => {
	for (const ui of [ports, wizard]) {
		assert.equal(appReadsKeys(ui), false);
		for (const key of [press('q'), ESCAPE, ENTER, press('y')]) assert.deepEqual(routeKey(ui, key), NOTHING, `${inputMode(ui)} ${key.name}`);
	}
	for (const ui of [initialUiState, filtering, palette(''), confirm, help(0)]) assert.equal(appReadsKeys(ui), true, inputMode(ui));
});

test('keys in one read: each character is a key of its own, in order; escape sequences stay one key', () => {
	const names = (input: string, key: Partial<Key> = {}) => keyPresses(input, key as Key).map(k => k.name);
	assert.deepEqual(names('jj'), ['j', 'j']);
	assert.deepEqual(names('goto x\r'), ['g', 'o', 't', 'o', 'space', 'x', 'enter']);
	assert.deepEqual(names('ab\u007F\u0003'), ['a', 'b', 'backspace', 'ctrl+c']);
	assert.deepEqual(names('é😀'), ['é', '😀'], 'code points, not UTF-16 halves');
	assert.deepEqual(names('', {upArrow: true}), ['up']);
	assert.deepEqual(names('j'), ['j']);
	assert.deepEqual(names('c', {ctrl: true}), ['ctrl+c']);
});

test('esc and a key in one read (what Ink calls meta+key): esc, then the key', () => {
	const names = (input: string, key: Partial<Key> = {}) => keyPresses(input, key as Key).map(k => k.name);
	assert.deepEqual(names('g', {meta: true}), ['escape', 'g']);
	assert.deepEqual(names('G', {meta: true, shift: true}), ['escape', 'G']);
	assert.deepEqual(names(' ', {meta: true}), ['escape', 'space']);
	assert.deepEqual(names('', {meta: true, escape: true}), ['escape', 'escape']);
	assert.deepEqual(names('\r', {meta: true, return: true}), ['escape', 'enter']);
	assert.deepEqual(names('\t', {meta: true, tab: true}), ['escape', 'tab']);
	assert.deepEqual(names('', {meta: true, backspace: true}), ['escape', 'backspace']);
	assert.deepEqual(names('c', {meta: true, ctrl: true}), ['escape', 'ctrl+c']);
	assert.deepEqual(names('', {meta: true, upArrow: true}), ['up'], 'alt+arrow is one key (its modifier is in the sequence)');
});

test('paste: one line; line breaks and tabs are spaces, control characters and escape sequences go', () => {
	assert.equal(pasteText('goto m/app2\r\n'), 'goto m/app2 ');
	assert.equal(pasteText('a\tb\nc\u0003d\u001B[31me'), 'a b cde');
	assert.deepEqual(routePaste(filtering, 'b\nx'), {actions: [{type: 'edit-filter', text: 'web x'}]});
	assert.deepEqual(routePaste(palette('go'), 'to m/app2'), {actions: [{type: 'overlay', overlay: {kind: 'palette', text: 'goto m/app2'}}]});
	for (const ui of [initialUiState, confirm, help(0), ports, wizard]) assert.deepEqual(routePaste(ui, 'q'), NOTHING, inputMode(ui));
});

test('palette: tab completes the command word, then the model, then cycles its apps', () => {
	const models = ['model-001', 'model-002', 'other'];
	const apps = ['model-001/app1', 'model-001/app2', 'model-002/app1', 'other/app1'];
	assert.equal(completePalette('go', models, apps), 'goto ');
	assert.equal(completePalette('re', models, apps), 're', 'rebuild, restart: nothing shared past "re"');
	assert.equal(completePalette('rest', models, apps), 'restart ');
	assert.equal(completePalette('zz', models, apps), 'zz');
	assert.equal(completePalette('goto o', models, apps), 'goto other/');
	assert.equal(completePalette('goto mod', models, apps), 'goto model-00');
	assert.equal(completePalette('goto model-00', models, apps), 'goto model-001/', 'no more shared: the first');
	assert.equal(completePalette('goto model-001/a', models, apps), 'goto model-001/app');
	assert.equal(completePalette('goto model-001/app', models, apps), 'goto model-001/app1');
	assert.equal(completePalette('goto model-001/app1', models, apps), 'goto model-001/app2');
	assert.equal(completePalette('goto model-001/app2', models, apps), 'goto model-001/app1', 'cycles within the model');
	assert.equal(completePalette('stop now', models, apps), 'stop now');
	const tab = press('', {tab: true});
	assert.deepEqual(routeKey(palette('goto o'), tab, {models, apps}), {actions: [{type: 'overlay', overlay: {kind: 'palette', text: 'goto other/'}}]});
});

test('palette: up and down walk the history, newest first, back to an empty line', () => {
	const history = ['up', 'goto m/app2'];
	assert.deepEqual(recallPalette(history, undefined, -1), {text: 'goto m/app2', recall: 1});
	assert.deepEqual(recallPalette(history, 1, -1), {text: 'up', recall: 0});
	assert.equal(recallPalette(history, 0, -1), null, 'the oldest: stays');
	assert.deepEqual(recallPalette(history, 0, 1), {text: 'goto m/app2', recall: 1});
	assert.deepEqual(recallPalette(history, 1, 1), {text: ''});
	assert.equal(recallPalette([], undefined, -1), null);
	const up = press('', {upArrow: true});
	assert.deepEqual(routeKey(palette(''), up, {history}), {actions: [{type: 'overlay', overlay: {kind: 'palette', text: 'goto m/app2', recall: 1}}]});
	assert.deepEqual(routeKey(palette(''), up), NOTHING, 'no history yet');
});
