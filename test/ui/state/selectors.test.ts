import {test} from 'node:test';
import assert from 'node:assert/strict';
import {appsById, appStateIn, fleetSummary, paneLists, servicesOf} from '../../../source/ui/state/selectors.ts';
import {initialUiState} from '../../../source/ui/state/ui-reducer.ts';
import {fakeApp, fakeWorkspace, projectStates, runningService} from '../fake-services.ts';

const workspace = fakeWorkspace(3, 4);
const noFilters = {models: '', apps: '', logs: ''};

test('appsById finds every app of the workspace; none without one', () => {
	const apps = appsById(workspace);
	assert.equal(apps.size, 12);
	assert.equal(apps.get('model-002/app3')?.projectName, 'model-002-app3');
	assert.equal(appsById(null).size, 0);
});

test("an app's state and services: core's word, none yet before the first snapshot nor for an app new since", () => {
	const app = workspace.models[0]!.apps[0]!;
	assert.equal(appStateIn(new Map(), app), undefined, 'nothing known yet');
	const states = projectStates(workspace, {[app.projectName]: [runningService('web')]});
	assert.equal(appStateIn(states, app), 'running');
	assert.equal(servicesOf(states, app).length, 1);
	const newer = fakeApp('model-001', 9);
	assert.equal(appStateIn(states, newer), undefined, 'not answered for yet: unknown, not not-created');
	assert.deepEqual(servicesOf(states, newer), []);
	assert.deepEqual(servicesOf(states, null), []);
});

test('fleetSummary: per-model rows with running apps, fleet totals', () => {
	const [first, second] = workspace.models;
	const states = projectStates(workspace, {
		[first!.apps[0]!.projectName]: [runningService('web')],
		[first!.apps[1]!.projectName]: [runningService('web', {health: 'unhealthy'})],
		[second!.apps[0]!.projectName]: [runningService('web')],
	});
	const {modelRows, totals} = fleetSummary(workspace, states);
	assert.deepEqual(
		modelRows.map(({id, apps, running, attention}) => ({id, apps, running, attention})),
		[
			{id: 'model-001', apps: 4, running: 2, attention: 1},
			{id: 'model-002', apps: 4, running: 1, attention: 0},
			{id: 'model-003', apps: 4, running: 0, attention: 0},
		],
	);
	assert.deepEqual(modelRows[0]!.states, ['running', 'unhealthy', 'not-created']);
	assert.equal(totals.running, 3);
	assert.equal(totals.unhealthy, 1);
	assert.deepEqual(fleetSummary(null, new Map()).modelRows, []);
});

test('paneLists: no selection yet shows the first model and its first app', () => {
	const {modelRows} = fleetSummary(workspace, new Map());
	const lists = paneLists(workspace, modelRows, initialUiState);
	assert.deepEqual(lists.modelIds, ['model-001', 'model-002', 'model-003']);
	assert.equal(lists.currentModelId, 'model-001');
	assert.deepEqual(lists.appIds, ['model-001/app1', 'model-001/app2', 'model-001/app3', 'model-001/app4']);
	assert.equal(lists.currentApp?.id, 'model-001/app1');
	assert.equal(lists.appIndex, 0);
});

test('paneLists: filters narrow both lists; a hidden selection shows the first visible row', () => {
	const {modelRows} = fleetSummary(workspace, new Map());
	const selected = {model: 'model-002', app: 'model-002/app3'};
	const plain = paneLists(workspace, modelRows, {...selected, filters: noFilters});
	assert.equal(plain.modelIndex, 1);
	assert.equal(plain.appIndex, 2);
	assert.equal(plain.currentApp?.id, 'model-002/app3');

	const byModel = paneLists(workspace, modelRows, {...selected, filters: {...noFilters, models: '003'}});
	assert.deepEqual(byModel.modelIds, ['model-003']);
	assert.equal(byModel.currentModelId, 'model-003');
	assert.equal(byModel.currentApp?.id, 'model-003/app1');

	// The apps filter matches app<N>, the flavour and the ports.
	assert.deepEqual(paneLists(workspace, modelRows, {...selected, filters: {...noFilters, apps: 'APP4'}}).appIds, ['model-002/app4']);
	assert.deepEqual(paneLists(workspace, modelRows, {...selected, filters: {...noFilters, apps: '8005'}}).appIds, ['model-002/app3']);
	assert.equal(paneLists(workspace, modelRows, {...selected, filters: {...noFilters, apps: 'flask'}}).appIds.length, 4);
	const none = paneLists(workspace, modelRows, {...selected, filters: {...noFilters, apps: 'nothing'}});
	assert.deepEqual(none.apps, []);
	assert.equal(none.currentApp, null);
	assert.equal(paneLists(null, [], initialUiState).currentModelId, null);
});

test('the filters know states: a word matches apps by state, state=<word> only by state, models by their apps', () => {
	const [first, second] = workspace.models;
	const states = projectStates(workspace, {
		[first!.apps[1]!.projectName]: [runningService('web', {health: 'unhealthy'})],
		[second!.apps[2]!.projectName]: [runningService('web', {state: 'restarting'})],
	});
	const {modelRows} = fleetSummary(workspace, states);
	const lists = (filters: Partial<typeof noFilters>, model: string | null = null) =>
		paneLists(workspace, modelRows, {...initialUiState, model, filters: {...noFilters, ...filters}}, states);
	assert.deepEqual(lists({apps: 'unhealthy'}).appIds, ['model-001/app2']);
	assert.deepEqual(lists({apps: 'state=unhealthy'}).appIds, ['model-001/app2']);
	assert.deepEqual(lists({apps: 'state=not-created'}).appIds, ['model-001/app1', 'model-001/app3', 'model-001/app4']);
	assert.deepEqual(lists({apps: 'state=restarting'}, 'model-002').appIds, ['model-002/app3'], 'the Engine word finds the crash-looping app');
	assert.deepEqual(lists({apps: 'state=crash-loop'}, 'model-002').appIds, ['model-002/app3']);
	assert.deepEqual(lists({apps: 'STATE = Unhealthy'}).appIds, ['model-001/app2']);
	assert.deepEqual(lists({apps: 'state=healthy'}).appIds, [], 'a word, not a substring: unhealthy is not healthy');
	assert.deepEqual(lists({models: 'unhealthy'}).modelIds, ['model-001']);
	assert.deepEqual(lists({models: 'state=restarting'}).modelIds, ['model-002']);
	assert.deepEqual(lists({models: 'state=unknown'}).modelIds, []);
	assert.deepEqual(
		modelRows.map(m => m.attention),
		[1, 1, 0],
	);
	// Not answered for yet: unknown, found as such.
	assert.deepEqual(paneLists(workspace, modelRows, {...initialUiState, filters: {...noFilters, apps: 'state=unknown'}}, new Map()).appIds.length, 4);
});
