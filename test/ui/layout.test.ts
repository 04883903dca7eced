import {test} from 'node:test';
import assert from 'node:assert/strict';
import {footerMessage, footerPrompt, overlayChoice, screenLayout} from '../../source/ui/layout.ts';
import {initialUiState} from '../../source/ui/state/ui-reducer.ts';

const none = {overlay: null, message: null, workspaceError: null, liveError: null, engineProblem: null, workspaceWarning: null};

test('70x20, the smallest usable terminal: the minimum widths win, the right column keeps 20 cells', () => {
	assert.deepEqual(screenLayout(70, 20, {services: 2, activityLines: 0}), {
		mainHeight: 17,
		modelsWidth: 20,
		appsWidth: 30,
		rightWidth: 20,
		statusHeight: 6,
		activityHeight: 0,
		logsHeight: 11,
	});
	// The activity pane takes 30 % of the rows while it has lines; the logs give them up.
	assert.deepEqual(screenLayout(70, 20, {services: 2, activityLines: 3}), {
		mainHeight: 17,
		modelsWidth: 20,
		appsWidth: 30,
		rightWidth: 20,
		statusHeight: 6,
		activityHeight: 5,
		logsHeight: 6,
	});
});

test('100x24: the usual terminal; the status pane grows with the services, up to 40 % of the height', () => {
	assert.deepEqual(screenLayout(100, 24, {services: 0, activityLines: 0}), {
		mainHeight: 21,
		modelsWidth: 20,
		appsWidth: 36,
		rightWidth: 44,
		statusHeight: 6,
		activityHeight: 0,
		logsHeight: 15,
	});
	assert.equal(screenLayout(100, 24, {services: 3, activityLines: 0}).statusHeight, 8);
	assert.equal(screenLayout(100, 24, {services: 12, activityLines: 0}).statusHeight, 8, '40 % of 21 rows');
});

test('200x50: percentages, the activity pane capped at 8 rows, every row of the main area used', () => {
	const layout = screenLayout(200, 50, {services: 4, activityLines: 100});
	assert.deepEqual(layout, {mainHeight: 47, modelsWidth: 40, appsWidth: 72, rightWidth: 88, statusHeight: 9, activityHeight: 8, logsHeight: 30});
	assert.equal(layout.modelsWidth + layout.appsWidth + layout.rightWidth, 200);
	assert.equal(layout.statusHeight + layout.activityHeight + layout.logsHeight, layout.mainHeight);
});

test('a terminal too small still gets 6 rows of panes', () => {
	assert.equal(screenLayout(40, 5, {services: 0, activityLines: 0}).mainHeight, 6);
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
	assert.deepEqual(overlayChoice({focus, overlay: {kind: 'palette', text: 'up'}}), {main: 'panes', scope: 'apps'});
});
