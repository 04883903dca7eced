import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyFilter, initialUiState, selectedIndex, uiReducer, type UiAction, type UiState} from '../../../source/ui/state/ui-reducer.ts';

const run = (...actions: UiAction[]): UiState => actions.reduce(uiReducer, initialUiState);
const apps = ['m/app1', 'm/app2', 'm/app3'];

test('moving clamps at both ends and a new model resets the app selection', () => {
	assert.equal(run({type: 'move', list: 'apps', ids: apps, to: 1}).app, 'm/app2');
	assert.equal(run({type: 'move', list: 'apps', ids: apps, to: -1}).app, 'm/app1');
	assert.equal(run({type: 'move', list: 'apps', ids: apps, to: 10}).app, 'm/app3');
	assert.equal(run({type: 'move', list: 'apps', ids: apps, to: 'bottom'}, {type: 'move', list: 'apps', ids: apps, to: 'top'}).app, 'm/app1');
	const state = run({type: 'move', list: 'apps', ids: apps, to: 2}, {type: 'move', list: 'models', ids: ['a', 'b'], to: 1});
	assert.equal(state.model, 'b');
	assert.equal(state.app, null);
	assert.equal(uiReducer(initialUiState, {type: 'move', list: 'apps', ids: [], to: 1}), initialUiState, 'an empty list changes nothing');
});

test('focus cycles through the four panes both ways', () => {
	assert.equal(run({type: 'cycle-focus', delta: 1}).focus, 'apps');
	assert.equal(run({type: 'cycle-focus', delta: -1}).focus, 'logs');
	assert.equal(run(...Array.from({length: 4}, () => ({type: 'cycle-focus', delta: 1}) as const)).focus, 'models');
});

test('filters edit the focused pane and escape clears them', () => {
	let state = run({type: 'focus', pane: 'apps'}, {type: 'open-filter'}, {type: 'edit-filter', text: 'flask'});
	assert.equal(state.editing, 'apps');
	assert.equal(state.filters.apps, 'flask');
	assert.equal(uiReducer(state, {type: 'close-filter', keep: true}).filters.apps, 'flask');
	state = uiReducer(state, {type: 'close-filter', keep: false});
	assert.equal(state.filters.apps, '');
	assert.equal(state.editing, null);
	assert.equal(run({type: 'focus', pane: 'logs'}, {type: 'open-filter'}).editing, 'logs');
	assert.equal(run({type: 'focus', pane: 'status'}, {type: 'open-filter'}).editing, 'apps');
});

test('marks toggle', () => {
	const state = run({type: 'toggle-mark', app: 'm/app1'}, {type: 'toggle-mark', app: 'm/app2'}, {type: 'toggle-mark', app: 'm/app1'});
	assert.deepEqual(state.marks, ['m/app2']);
	assert.deepEqual(uiReducer(state, {type: 'clear-marks'}).marks, []);
});

test('following logs resets a scrolled-back view; the toggles flip; full-screen ends when the log pane loses the focus', () => {
	const frozen = {lines: [{text: 'a', timestamp: null}], dropped: 0, capacity: 10};
	let state = run({type: 'follow-logs', app: 'm/app1'}, {type: 'log-view', view: {top: {seq: 0, row: 0}, frozen}});
	assert.deepEqual(state.logView?.top, {seq: 0, row: 0});
	assert.equal(uiReducer(state, {type: 'follow-logs', app: 'm/app2'}).logView, null);
	state = uiReducer(state, {type: 'toggle-log', what: 'fullscreen'});
	state = uiReducer(state, {type: 'toggle-log', what: 'wrap'});
	assert.deepEqual([state.logFullscreen, state.logWrap, state.logTimestamps], [true, true, false]);
	assert.equal(uiReducer(state, {type: 'toggle-log', what: 'fullscreen'}).logFullscreen, false);
	assert.equal(uiReducer(state, {type: 'cycle-focus', delta: 1}).logFullscreen, false, 'tab leaves the log pane');
	assert.equal(uiReducer(state, {type: 'focus', pane: 'logs'}).logFullscreen, true);
});

test('select-app focuses the new app even when a filter would hide it', () => {
	const state = run(
		{type: 'focus', pane: 'apps'},
		{type: 'open-filter'},
		{type: 'edit-filter', text: 'zzz'},
		{type: 'close-filter', keep: true},
		{type: 'select-app', model: 'n', app: 'n/app1'},
	);
	assert.equal(state.model, 'n');
	assert.equal(state.app, 'n/app1');
	assert.equal(state.filters.apps, '');
});

test('applyFilter and selectedIndex', () => {
	assert.deepEqual(
		applyFilter(['openai', 'anthropic', 'OpenRouter'], 'open', s => s),
		['openai', 'OpenRouter'],
	);
	assert.deepEqual(
		applyFilter(['a', 'b'], '  ', s => s),
		['a', 'b'],
	);
	assert.equal(selectedIndex(apps, 'm/app3'), 2);
	assert.equal(selectedIndex(apps, 'gone'), 0);
});

test('follow-logs with a service follows that service alone; without one, the whole app', () => {
	const one = run({type: 'follow-logs', app: 'm/app1', service: 'web'});
	assert.deepEqual([one.logsApp, one.logsService, one.focus], ['m/app1', 'web', 'logs']);
	const all = uiReducer(one, {type: 'follow-logs', app: 'm/app1'});
	assert.deepEqual([all.logsApp, all.logsService], ['m/app1', null]);
});

test('the status pane selects a service; another app or model starts again at its first service', () => {
	const ids = ['web', 'worker', 'db'];
	let state = uiReducer(initialUiState, {type: 'move', list: 'services', ids, to: 1});
	assert.equal(state.service, 'worker');
	state = uiReducer(state, {type: 'move', list: 'services', ids, to: 5});
	assert.equal(state.service, 'db', 'clamped at the last service');
	assert.equal(uiReducer(state, {type: 'move', list: 'services', ids, to: 'top'}).service, 'web');
	assert.equal(uiReducer(state, {type: 'move', list: 'apps', ids: ['m/app1', 'm/app2'], to: 1}).service, null);
	assert.equal(uiReducer(state, {type: 'move', list: 'models', ids: ['a', 'b'], to: 1}).service, null);
	assert.equal(uiReducer(state, {type: 'select-app', model: 'm', app: 'm/app9'}).service, null);
	// Moving onto the app already selected keeps its service.
	const onApp = {...state, app: 'm/app1'};
	assert.equal(uiReducer(onApp, {type: 'move', list: 'apps', ids: ['m/app1', 'm/app2'], to: 0}).service, 'db');
});
