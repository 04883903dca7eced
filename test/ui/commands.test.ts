import {test} from 'node:test';
import assert from 'node:assert/strict';
import {COMMANDS, runCommand, type CommandContext} from '../../source/ui/commands.ts';
import {KEYMAP} from '../../source/ui/keymap.ts';
import {initialUiState, type UiAction} from '../../source/ui/state/ui-reducer.ts';
import {fakeApp} from './fake-services.ts';

/** Overlays handle these themselves (the ports view, the confirm question, the help). */
const OVERLAY_COMMANDS = new Set(['release', 'close', 'confirm', 'cancel']);

function context(extra: Partial<CommandContext> = {}): CommandContext & {actions: UiAction[]; said: string[]; intents: unknown[]} {
	const actions: UiAction[] = [];
	const said: string[] = [];
	const intents: unknown[] = [];
	return {
		actions, said, intents,
		ui: initialUiState, dispatch: action => actions.push(action), rows: 24, currentApp: null, allApps: new Map(), appIds: [], modelIds: [], modelRows: [], logLines: 0,
		clearLogs() {}, reattachLogs() {}, exit() {}, say: text => said.push(text), runIntent: intent => intents.push(intent), openUrl: async url => url, errorMessage: String,
		...extra,
	};
}

test('every command of the panes\' keymap has a handler in the table', () => {
	const missing = [...new Set(KEYMAP.map(b => b.command))].filter(c => !OVERLAY_COMMANDS.has(c) && !COMMANDS[c]);
	assert.deepEqual(missing, []);
});

test('lifecycle commands act on the marks, else the selected app; down asks first', () => {
	const app = fakeApp('m', 1);
	const none = context();
	runCommand(none, 'start');
	assert.deepEqual(none.said, ['no app selected']);
	const one = context({currentApp: app});
	runCommand(one, 'start');
	assert.deepEqual(one.intents, [{kind: 'action', action: 'up', apps: ['m/app1']}]);
	const marked = context({currentApp: app, ui: {...initialUiState, marks: ['m/app2', 'm/app3']}});
	runCommand(marked, 'compose-down');
	assert.deepEqual(marked.intents, [], 'down runs only after yes');
	assert.equal(marked.actions[0]?.type, 'overlay');
	assert.match(JSON.stringify(marked.actions[0]), /Down 2 marked apps\?/);
});

test('the palette\'s focus names an app, a model, or says it is not there', () => {
	const app = fakeApp('m', 1);
	const ctx = context({allApps: new Map([[app.id, app]]), modelRows: [{id: 'm', apps: 1, running: 0}]});
	runCommand(ctx, 'focus', 'm/app1');
	runCommand(ctx, 'focus', 'm');
	runCommand(ctx, 'focus', 'nope/app9');
	assert.deepEqual(ctx.actions.map(a => a.type), ['select-app', 'move', 'focus']);
	assert.deepEqual(ctx.said, ['no nope/app9 in this workspace']);
});
