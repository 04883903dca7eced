import {test} from 'node:test';
import assert from 'node:assert/strict';
import {adoptionMessage, COMMANDS, runCommand, runComposeIntent, type ActionRunner, type CommandContext} from '../../source/ui/commands.ts';
import {KEYMAP, keyFor} from '../../source/ui/keymap.ts';
import {initialUiState, type Intent, type UiAction} from '../../source/ui/state/ui-reducer.ts';
import {fakeApp, runningService} from './fake-services.ts';
import type {AdoptionReport, ShellTarget} from '../../source/ui/services.ts';
import {emptyLogBuffer} from '../../source/ui/state/log-buffer.ts';

/** Overlays and the prompt handle these themselves (the ports view, the questions, the help, the output, the palette). */
const OVERLAY_COMMANDS = new Set(['release', 'close', 'confirm', 'cancel', 'search', 'next-match', 'prev-match', 'complete', 'history-prev', 'history-next']);

function context(extra: Partial<CommandContext> = {}): CommandContext & {actions: UiAction[]; said: string[]; intents: unknown[]; shells: ShellTarget[]} {
	const actions: UiAction[] = [];
	const shells: ShellTarget[] = [];
	const said: string[] = [];
	const intents: unknown[] = [];
	return {
		actions,
		said,
		intents,
		shells,
		ui: initialUiState,
		dispatch: action => actions.push(action),
		rows: 24,
		currentApp: null,
		currentServices: [],
		busy: () => null,
		hasOutput: () => false,
		allApps: new Map(),
		appIds: [],
		modelIds: [],
		modelRows: [],
		logs: {buffer: emptyLogBuffer(), layout: {width: 40, rows: 10, wrap: false, timestamps: false, filter: ''}, status: 'idle'},
		clearLogs() {},
		reattachLogs() {},
		reload() {},
		exit() {},
		say: text => said.push(text),
		runIntent: intent => intents.push(intent),
		openUrl: async url => url,
		openShell: target => shells.push(target),
		errorMessage: String,
		keyOf: (scope, command) => keyFor(scope, command),
		...extra,
	};
}

test("every command of the panes' keymap has a handler in the table", () => {
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
	assert.match(JSON.stringify(marked.actions[0]), /Down 2 apps \(m\/app2, m\/app3\)\?/);
});

test('the down question names the apps it acts on, cut with "+N more"', () => {
	const marks = [1, 2, 3, 4, 5].map(n => `m/app${n}`);
	const ctx = context({currentApp: fakeApp('m', 1), ui: {...initialUiState, marks}});
	runCommand(ctx, 'compose-down');
	const overlay = ctx.actions[0];
	assert.ok(overlay?.type === 'overlay' && overlay.overlay?.kind === 'confirm');
	assert.equal(overlay.overlay.message, 'Down 5 apps (m/app1, m/app2, m/app3 +2 more)? Containers and networks are removed (volumes kept).');
});

test('an app already busy is refused with what it is doing; a bulk action runs the others', () => {
	const busy = (app: string) => (app === 'm/app1' ? 'm/app1 is already stopping (3s)' : null);
	const one = context({currentApp: fakeApp('m', 1), busy});
	runCommand(one, 'stop');
	runCommand(one, 'compose-down');
	assert.deepEqual(one.said, ['m/app1 is already stopping (3s)', 'm/app1 is already stopping (3s)']);
	assert.deepEqual([one.intents, one.actions], [[], []], 'nothing runs, nothing is asked');
	const bulk = context({currentApp: fakeApp('m', 1), busy, ui: {...initialUiState, marks: ['m/app1', 'm/app2']}});
	runCommand(bulk, 'restart');
	assert.deepEqual(bulk.intents, [
		{kind: 'action', action: 'restart', apps: ['m/app2'], marked: true, skipped: [{app: 'm/app1', message: 'm/app1 is already stopping (3s)'}]},
	]);
});

test("the palette's focus names an app, a model, or says it is not there", () => {
	const app = fakeApp('m', 1);
	const ctx = context({allApps: new Map([[app.id, app]]), modelRows: [{id: 'm', apps: 1, running: 0, attention: 0, states: []}]});
	runCommand(ctx, 'focus', 'm/app1');
	runCommand(ctx, 'focus', 'm');
	runCommand(ctx, 'focus', 'nope/app9');
	assert.deepEqual(
		ctx.actions.map(a => a.type),
		['select-app', 'move', 'focus'],
	);
	assert.deepEqual(ctx.said, ['no nope/app9 in this workspace']);
});

test("the status pane's keys act on the selected service alone: u s r, logs, shell", () => {
	const app = fakeApp('m', 1);
	const services = [runningService('web'), runningService('worker', {state: 'exited', exitCode: 137, startedAt: null})];
	const on = (service: string | null) => context({currentApp: app, currentServices: services, ui: {...initialUiState, focus: 'status', service}});

	const worker = on('worker');
	for (const command of ['service-start', 'service-stop', 'service-restart', 'shell'] as const) runCommand(worker, command);
	assert.deepEqual(worker.intents, [
		{kind: 'action', action: 'up', apps: ['m/app1'], services: ['worker']},
		{kind: 'action', action: 'restart', apps: ['m/app1'], services: ['worker']},
	]);
	assert.deepEqual(worker.said, ['worker is not running: nothing to stop', 'worker is not running: start it with u']);
	assert.deepEqual(worker.shells, [], 'no shell in a stopped container');

	// No selection yet (or a service that is gone): the first service.
	for (const selected of [null, 'gone']) {
		const web = on(selected);
		runCommand(web, 'service-stop');
		runCommand(web, 'shell');
		runCommand(web, 'service-logs');
		assert.deepEqual(web.intents, [{kind: 'action', action: 'stop', apps: ['m/app1'], services: ['web']}]);
		assert.deepEqual(web.shells, [{app: 'm/app1', service: 'web', container: 'c-web'}]);
		assert.deepEqual(web.actions, [{type: 'follow-logs', app: 'm/app1', service: 'web'}]);
		assert.deepEqual(web.said, []);
	}

	// A second press while the app's action runs is refused, as for the whole app.
	const busy = context({currentApp: app, currentServices: services, busy: () => 'm/app1 is already stopping (3s)'});
	runCommand(busy, 'service-restart');
	assert.deepEqual([busy.said, busy.intents], [['m/app1 is already stopping (3s)'], []]);

	const empty = context({currentApp: app, ui: {...initialUiState, focus: 'status'}});
	for (const command of ['service-start', 'service-logs', 'shell'] as const) runCommand(empty, command);
	assert.deepEqual(empty.said, Array(3).fill('m/app1 has no containers yet: start it with u'));
	assert.deepEqual([empty.intents, empty.actions, empty.shells], [[], [], []]);
});

test('up and down move the service selection while the status pane has the focus', () => {
	const ctx = context({
		currentApp: fakeApp('m', 1),
		currentServices: [runningService('web'), runningService('worker')],
		ui: {...initialUiState, focus: 'status'},
	});
	runCommand(ctx, 'down');
	runCommand(ctx, 'bottom');
	assert.deepEqual(ctx.actions, [
		{type: 'move', list: 'services', ids: ['web', 'worker'], to: 1},
		{type: 'move', list: 'services', ids: ['web', 'worker'], to: 'bottom'},
	]);
});

/** A runner over apps m/app1..3 whose compose run fails for the ids in `failing`. */
function runner(failing: string[] = []) {
	const apps = [1, 2, 3].map(n => fakeApp('m', n));
	const said: [string, string | undefined][] = [];
	const actions: UiAction[] = [];
	const ran: string[][] = [];
	const run: ActionRunner = {
		allApps: new Map(apps.map(a => [a.id, a])),
		run: async (_action, targets, options) => {
			ran.push([...targets.map(a => a.id), ...(options?.services ?? []).map(s => `service ${s}`)]);
			return {failed: targets.filter(a => failing.includes(a.id)).map(a => ({app: a.id, message: 'port is taken'}))};
		},
		say: (text, tone) => said.push([text, tone]),
		dispatch: action => actions.push(action),
	};
	return {run, said, actions, ran};
}

test('a confirmed action says it starts and how it ended; an action on the marks unmarks the apps it did', async () => {
	const one = runner();
	await runComposeIntent(one.run, {kind: 'action', action: 'down', apps: ['m/app1']});
	assert.deepEqual(one.said, [
		['down m/app1…', undefined],
		['m/app1 taken down', 'ok'],
	]);
	assert.deepEqual(one.actions, [], 'an action on the selected app leaves the marks alone');
	const oneMarked = runner();
	await runComposeIntent(oneMarked.run, {kind: 'action', action: 'down', apps: ['m/app1'], marked: true});
	assert.deepEqual(oneMarked.actions, [{type: 'unmark', apps: ['m/app1']}], 'one marked app is unmarked as many are');

	const bulk = runner();
	await runComposeIntent(bulk.run, {kind: 'action', action: 'up', apps: ['m/app1', 'm/app2', 'm/gone'], marked: true});
	assert.deepEqual(bulk.ran, [['m/app1', 'm/app2']], 'an app no longer in the workspace is skipped');
	assert.deepEqual(bulk.said, [
		['up 2 apps…', undefined],
		['2 apps started', 'ok'],
	]);
	assert.deepEqual(bulk.actions, [{type: 'unmark', apps: ['m/app1', 'm/app2']}]);
});

test('a failed bulk action names every failed app with its cause, and keeps them marked for a retry', async () => {
	const bulk = runner(['m/app2', 'm/app3']);
	await runComposeIntent(bulk.run, {kind: 'action', action: 'stop', apps: ['m/app1', 'm/app2', 'm/app3'], marked: true});
	assert.deepEqual(bulk.said.at(-1), ['2 of 3 failed: m/app2: port is taken; m/app3: port is taken', 'error']);
	assert.deepEqual(bulk.actions, [{type: 'unmark', apps: ['m/app1']}]);
	const release: Intent = {kind: 'release', app: 'm/app1'};
	const ports = runner();
	await runComposeIntent(ports.run, release);
	assert.deepEqual([ports.ran, ports.said], [[], []], "a release is the ports view's own");
});

test('an adoption of several apps names every one that failed', () => {
	const report = (app: string, status: 'adopted' | 'failed', message: string): AdoptionReport => ({
		app,
		status,
		message,
		projectName: app,
		ports: [],
		released: [],
		containerNames: [],
		kept: [],
		override: null,
		hazards: [],
	});
	assert.deepEqual(
		adoptionMessage([
			report('m/app1', 'failed', 'the store is locked'),
			report('m/app2', 'adopted', '1 port(s) remapped'),
			report('m/app3', 'failed', 'compose refused it'),
		]),
		{text: '2 of 3 failed: m/app1: the store is locked; m/app3: compose refused it', tone: 'error'},
	);
});

test('an action on one service says so: "stop m/app1 web", and runs on that service alone', async () => {
	const one = runner();
	await runComposeIntent(one.run, {kind: 'action', action: 'stop', apps: ['m/app1'], services: ['web']});
	assert.deepEqual(one.ran, [['m/app1', 'service web']]);
	assert.deepEqual(one.said, [
		['stop m/app1 web…', undefined],
		['m/app1 web stopped', 'ok'],
	]);
});
