import {test} from 'node:test';
import assert from 'node:assert/strict';
import {footerMessage, footerPrompt, overlayChoice, screenLayout} from '../../source/ui/layout.ts';
import {initialUiState} from '../../source/ui/state/ui-reducer.ts';

const none = {overlay: null, message: null, workspaceError: null, liveError: null, engineProblem: null, workspaceWarning: null};

const pick = (layout: {modelsWidth: number; appsWidth: number; rightWidth: number}) => [layout.modelsWidth, layout.appsWidth, layout.rightWidth];

// A fleet like fakeWorkspace's: models 'model-001 1/3' (16 cells), apps rows of 31 (state, ports) to 43 cells (flavour too).
const fleet = {models: {min: 16, want: 16}, apps: {min: 31, want: 43}};

test('80x24: three columns; the apps pane grows before the models pane, the right column keeps at least 30', () => {
	assert.deepEqual(screenLayout(80, 24, {services: 2, activityLines: 0, ...fleet}), {
		mode: 'panes',
		mainHeight: 21,
		modelsWidth: 16,
		appsWidth: 32,
		rightWidth: 32,
		statusHeight: 7,
		activityHeight: 0,
		logsHeight: 14,
	});
	// The activity pane takes 30 % of the rows while it has lines; the logs give them up.
	assert.deepEqual(screenLayout(80, 24, {services: 2, activityLines: 3, ...fleet}), {
		mode: 'panes',
		mainHeight: 21,
		modelsWidth: 16,
		appsWidth: 32,
		rightWidth: 32,
		statusHeight: 7,
		activityHeight: 6,
		logsHeight: 8,
	});
});

test('100x24: the status pane grows with the services, up to 40 % of the height', () => {
	const layout = screenLayout(100, 24, {services: 0, activityLines: 0, ...fleet});
	assert.deepEqual(layout, {mode: 'panes', mainHeight: 21, modelsWidth: 16, appsWidth: 43, rightWidth: 41, statusHeight: 6, activityHeight: 0, logsHeight: 15});
	assert.equal(screenLayout(100, 24, {services: 3, activityLines: 0, ...fleet}).statusHeight, 8);
	assert.equal(screenLayout(100, 24, {services: 12, activityLines: 0, ...fleet}).statusHeight, 8, '40 % of 21 rows');
});

test('200x50: the lists as wide as their content, every other column to the logs; every row used', () => {
	const layout = screenLayout(200, 50, {services: 4, activityLines: 100, ...fleet});
	assert.deepEqual(layout, {
		mode: 'panes',
		mainHeight: 47,
		modelsWidth: 16,
		appsWidth: 43,
		rightWidth: 141,
		statusHeight: 9,
		activityHeight: 8,
		logsHeight: 30,
	});
	assert.equal(layout.modelsWidth + layout.appsWidth + layout.rightWidth, 200);
	assert.equal(layout.statusHeight + layout.activityHeight + layout.logsHeight, layout.mainHeight);
	// Long model ids: the models pane takes what it wants (up to its cap) once the apps have theirs.
	assert.equal(screenLayout(200, 50, {services: 0, activityLines: 0, ...fleet, models: {min: 16, want: 36}}).modelsWidth, 36);
	assert.equal(screenLayout(90, 24, {services: 0, activityLines: 0, ...fleet, models: {min: 16, want: 36}}).modelsWidth, 16, 'the apps first');
});

test('100x10: too short to stack status over logs, the right column shows the focused one of them (status by default)', () => {
	const short = screenLayout(100, 10, {services: 2, activityLines: 5, ...fleet});
	assert.deepEqual(short, {mode: 'panes', mainHeight: 7, modelsWidth: 16, appsWidth: 43, rightWidth: 41, statusHeight: 7, activityHeight: 0, logsHeight: 0});
	assert.deepEqual(screenLayout(100, 10, {services: 2, activityLines: 0, ...fleet, focus: 'logs'}), {...short, statusHeight: 0, logsHeight: 7});
	// 12 rows stack them (5 + 4); the activity pane waits for room.
	assert.deepEqual(screenLayout(100, 12, {services: 2, activityLines: 5, ...fleet}), {...short, mainHeight: 9, statusHeight: 5, logsHeight: 4});
});

test('narrower than the three columns need: one pane at a time; smaller than 40x10: a screen asking for more', () => {
	const one = screenLayout(60, 15, {services: 2, activityLines: 3, ...fleet});
	assert.deepEqual(one, {
		mode: 'one-pane',
		mainHeight: 12,
		modelsWidth: 60,
		appsWidth: 60,
		rightWidth: 60,
		statusHeight: 11,
		activityHeight: 0,
		logsHeight: 11,
	});
	assert.equal(screenLayout(77, 24, {services: 0, activityLines: 0, ...fleet}).mode, 'panes', '16 + 31 + 30 = 77 columns fit');
	assert.equal(screenLayout(76, 24, {services: 0, activityLines: 0, ...fleet}).mode, 'one-pane');
	// 5-digit ports ("35802,18001"): apps need 33 cells, and 80 columns still hold the three.
	assert.deepEqual(pick(screenLayout(80, 24, {services: 0, activityLines: 0, ...fleet, apps: {min: 33, want: 45}})), [16, 33, 31]);
	assert.equal(screenLayout(39, 24, {services: 0, activityLines: 0, ...fleet}).mode, 'too-small');
	assert.equal(screenLayout(120, 9, {services: 0, activityLines: 0, ...fleet}).mode, 'too-small');
	assert.equal(screenLayout(40, 10, {services: 0, activityLines: 0, ...fleet}).mode, 'one-pane');
});

test("the footer message: a question first, then the user's message, then errors and warnings in order", () => {
	assert.equal(footerMessage(none), null);
	assert.deepEqual(footerMessage({...none, workspaceWarning: 'odd folder', engineProblem: 'no engine'}), {text: 'no engine', tone: 'error'});
	assert.deepEqual(footerMessage({...none, workspaceWarning: 'odd folder'}), {text: 'odd folder', tone: 'warn'});
	assert.deepEqual(footerMessage({...none, liveError: 'live gone', engineProblem: 'no engine'}), {text: 'live gone', tone: 'error'});
	assert.deepEqual(footerMessage({...none, workspaceError: 'bad root', liveError: 'live gone'}), {text: 'bad root', tone: 'error'});
	assert.deepEqual(footerMessage({...none, message: {text: 'started', tone: 'ok'}, workspaceError: 'bad root'}), {text: 'started', tone: 'ok'});
	const confirm = {kind: 'confirm' as const, message: 'Down a/app1?', intent: {kind: 'action' as const, action: 'down' as const, apps: ['a/app1']}};
	assert.deepEqual(footerMessage({...none, overlay: confirm, message: {text: 'started', tone: 'ok'}}), {text: 'Down a/app1? [y]es [n]o', tone: 'warn'});
});

test('the footer prompt: the filter being typed or the palette', () => {
	assert.equal(footerPrompt(initialUiState), null);
	assert.equal(footerPrompt({...initialUiState, editing: 'apps', filters: {...initialUiState.filters, apps: 'flask'}}), '/flask');
	assert.equal(footerPrompt({...initialUiState, overlay: {kind: 'palette', text: 'up a/app1'}}), ':up a/app1');
});

test('the overlay choice: help, ports and wizard take the main area; a question and the palette keep the panes', () => {
	const intent = {kind: 'action' as const, action: 'down' as const, apps: ['a/app1']};
	const focus = 'apps' as const;
	assert.deepEqual(overlayChoice({focus, overlay: null}), {main: 'panes', scope: 'apps'});
	assert.deepEqual(overlayChoice({focus: 'logs', overlay: null}), {main: 'panes', scope: 'logs'});
	assert.deepEqual(overlayChoice({focus, overlay: {kind: 'help', page: 2}}), {main: 'help', page: 2, scope: 'help'});
	assert.deepEqual(overlayChoice({focus, overlay: {kind: 'ports'}}), {main: 'ports', scope: 'ports'});
	// The wizard reads its own keys; the footer keeps the focused pane's hints.
	assert.deepEqual(overlayChoice({focus, overlay: {kind: 'wizard'}}), {main: 'wizard', scope: 'apps'});
	// The question's keys (and hints) replace the pane's; its text is the footer message.
	assert.deepEqual(overlayChoice({focus, overlay: {kind: 'confirm', message: 'Down a/app1?', intent}}), {main: 'panes', scope: 'confirm'});
	assert.deepEqual(overlayChoice({focus, overlay: {kind: 'palette', text: 'up'}}), {main: 'panes', scope: 'prompt'});
});
