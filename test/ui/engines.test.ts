/** Several engines, the pure parts: the one rule, the engines' rows, the badge column, the header's forms, the filter. */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {severalEngines} from '../../source/core/compose/fleet-status.ts';
import {appColumns, appRowCells, appsPaneWidths, cutMiddle, engineHeaderVariants, textWidth} from '../../source/ui/format.ts';
import {engineRows, fleetSummary, paneLists} from '../../source/ui/state/selectors.ts';
import {initialUiState} from '../../source/ui/state/ui-reducer.ts';
import {engineStates, fakeApp, projectStates} from './fake-services.ts';
import {ProjectNameIndex} from '../../source/core/project-names.ts';
import type {Workspace} from '../../source/ui/services.ts';

const plain = (cells: readonly {text: string}[]) => cells.map(c => c.text).join('');

const workspace: Workspace = {
	root: '/apps',
	warnings: [],
	names: new ProjectNameIndex(),
	conflicts: [],
	models: [
		{id: 'a', apps: [fakeApp('a', 1), fakeApp('a', 2, {engine: 'berth-e1'})]},
		{id: 'b', apps: [fakeApp('b', 1, {engine: 'default'})]},
	],
};

test("several engines is core's one rule: distinct engines of the apps (ps's ENGINE column, the TUI's badges)", () => {
	assert.equal(severalEngines([]), false);
	assert.equal(severalEngines([{engine: 'default'}, {engine: 'default'}]), false);
	assert.equal(severalEngines([{engine: 'default'}, {engine: 'berth-e1'}]), true);
});

test('engineRows: the engines in the apps order with their state; none while one engine holds every app', () => {
	const states = projectStates(workspace, {});
	assert.deepEqual(engineRows(workspace, states, engineStates(workspace, new Map([['berth-e1', 'gone']]))), [
		{name: 'default', state: 'ok'},
		{name: 'berth-e1', state: 'unreachable'},
	]);
	// An engine that has not answered yet waits; an app placed nowhere is not an engine of its own before the watch resolves it.
	assert.deepEqual(engineRows(workspace, new Map(), []), [
		{name: 'berth-e1', state: 'waiting'},
		{name: 'default', state: 'waiting'},
	]);
	const one = {...workspace, models: [workspace.models[1]!, {id: 'c', apps: [fakeApp('c', 1)]}]};
	assert.equal(engineRows(one, projectStates(one, {}), engineStates(one)), null, 'placed on default and placed nowhere: one engine');
	assert.equal(engineRows(one, new Map(), []), null);
});

test('the engine badge column: the longest name up to 12 cells, cut in its middle down to 5 before the ports', () => {
	assert.equal(cutMiddle('berth-e1', 8), 'berth-e1');
	assert.equal(cutMiddle('berth-e1', 5), 'be…e1');
	assert.equal(cutMiddle('ssh-production-2', 12), 'ssh-pr…ion-2');
	assert.equal(cutMiddle('模型-engine-2', 7), '模…ne-2', 'never half a wide character');
	assert.equal(textWidth(cutMiddle('模型-engine-2', 7)), 7);
	const apps = [fakeApp('m', 1), fakeApp('m', 2, {engine: 'ssh-production-2'})];
	const name = (app: (typeof apps)[number]) => ({text: app.engine ?? 'default', tone: 'info' as const});
	const columns = appColumns(apps, () => null, name);
	assert.deepEqual(columns, {number: 4, ports: 9, note: 0, flavour: 11, engine: 12});
	assert.deepEqual(appsPaneWidths(appColumns(apps)), {min: 31, want: 43}, 'one engine: the widths of today');
	assert.deepEqual(appsPaneWidths(columns), {min: 31 + 6, want: 31 + 6 + 7 + 12});
	const badge = {text: 'running', tone: 'ok' as const};
	const row = (app: (typeof apps)[number], width: number) => plain(appRowCells(app, false, width, badge, columns, null, name(app)));
	assert.equal(row(apps[1]!, 53), '  app2 running     ssh-pr…ion-2 5003,8003 react-flask');
	assert.equal(row(apps[0]!, 53), '  app1 running     default      5001,8001 react-flask');
	// A narrower pane leaves out the flavour, then cuts the engine name (down to 5 cells), never the ports.
	assert.equal(row(apps[1]!, 41), '  app2 running     ssh-pr…ion-2 5003,8003');
	assert.equal(row(apps[1]!, 36), '  app2 running     ssh…n-2 5003,8003');
	assert.equal(row(apps[1]!, 34), '  app2 running     ss…-2 5003,8003');
	assert.equal(row(apps[0]!, 34), '  app1 running     de…lt 5001,8001');
});

test("the header's engines: all named, then counted with those not answering named, then counted", () => {
	const text = (cells: readonly {text: string}[][]) => cells.map(plain);
	assert.deepEqual(
		text(
			engineHeaderVariants([
				{name: 'default', state: 'ok'},
				{name: 'berth-e1', state: 'ok'},
				{name: 'berth-e2', state: 'unreachable'},
			]),
		),
		['engines default ok · berth-e1 ok · berth-e2 unreachable', 'engines 2/3 ok · berth-e2 unreachable', 'engines 2/3 ok'],
	);
	assert.deepEqual(
		text(
			engineHeaderVariants([
				{name: 'default', state: 'ok'},
				{name: 'berth-e1', state: 'waiting'},
			]),
		),
		['engines default ok · berth-e1 …', 'engines 1/2 ok · berth-e1 …', 'engines 1/2 ok'],
	);
	assert.deepEqual(
		text(
			engineHeaderVariants([
				{name: 'a', state: 'ok'},
				{name: 'b', state: 'ok'},
			]),
		),
		['engines a ok · b ok', 'engines 2/2 ok'],
	);
});

test('engine=<name>: the apps on it, the models holding one, whole names in any case; nothing for an unknown engine', () => {
	const states = projectStates(workspace, {});
	const {modelRows} = fleetSummary(workspace, states);
	const lists = (models: string, apps: string, model = 'a') => {
		const ui = {...initialUiState, model, filters: {models, apps, logs: ''}};
		const result = paneLists(workspace, modelRows, ui, states);
		return {models: result.modelIds, apps: result.appIds};
	};
	assert.deepEqual(lists('', 'engine=berth-e1'), {models: ['a', 'b'], apps: ['a/app2']});
	assert.deepEqual(lists('', ' Engine = DEFAULT '), {models: ['a', 'b'], apps: ['a/app1']});
	assert.deepEqual(lists('', 'engine=berth'), {models: ['a', 'b'], apps: []}, 'a whole name, not a part');
	assert.deepEqual(lists('engine=berth-e1', ''), {models: ['a'], apps: ['a/app1', 'a/app2']});
	assert.deepEqual(lists('engine=default', '', 'b'), {models: ['a', 'b'], apps: ['b/app1']});
	assert.deepEqual(lists('engine=nowhere', ''), {models: [], apps: []});
	// Before any answer, an app placed nowhere has no engine yet: only the placed ones are found.
	const unanswered = paneLists(workspace, fleetSummary(workspace, new Map()).modelRows, {
		...initialUiState,
		filters: {models: 'engine=default', apps: '', logs: ''},
	});
	assert.deepEqual(unanswered.modelIds, ['b']);
});
