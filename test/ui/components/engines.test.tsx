/** Apps on several engines: an engine badge per row, the engines in the header, `engine=<name>` filters (issue 13, item 6). */
import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {fakeApp, fakeServices, runningService} from '../fake-services.ts';
import {KEYS, renderApp} from '../render-app.tsx';
import {ProjectNameIndex} from '../../../source/core/project-names.ts';
import type {Workspace, WorkspaceApp} from '../../../source/ui/services.ts';

afterEach(() => cleanup());

const E2_DOWN = 'the Docker Engine is not reachable (tcp://10.99.1.2:2375: connect ECONNREFUSED)';

function workspace(model1: WorkspaceApp['engine'][], model2: WorkspaceApp['engine'][] = [null, null]): Workspace {
	const apps = (id: string, engines: WorkspaceApp['engine'][]) => engines.map((engine, i) => fakeApp(id, i + 1, {engine}));
	return {
		root: '/apps',
		warnings: [],
		names: new ProjectNameIndex(),
		conflicts: [],
		models: [
			{id: 'model-001', apps: apps('model-001', model1)},
			{id: 'model-002', apps: apps('model-002', model2)},
		],
	};
}

/** The apps pane's rows (the middle column of the panes) of a 100-column frame. */
const appRows = (frame: string, count: number) =>
	frame
		.split('\n')
		.slice(3, 3 + count)
		.map(row => row.slice(16, 68));

test('apps on one engine, placed there or placed nowhere: no badge, the header says engine ok as ever', async () => {
	const services = fakeServices(workspace(['default', null, 'default']));
	const app = renderApp(services);
	await app.waitFor('app3 not-created');
	assert.equal(app.frame().split('\n')[0], 'berth  engine ok  compose 1.29.2 (v1)  models 2  apps 5  running 0  unhealthy 0');
	assert.deepEqual(
		app
			.frame()
			.split('\n')
			.slice(3, 6)
			.map(row => row.slice(16, 59)),
		['│·  app1 not-created 5001,8001 react-flask│', '│   app2 not-created 5003,8003 react-flask│', '│   app3 not-created 5005,8005 react-flask│'],
	);
	app.unmount();
});

test('apps on several engines: each row shows its engine, the header lists the engines with their state', async () => {
	const services = fakeServices(workspace([null, 'berth-e1', 'berth-e2']));
	const app = renderApp(services);
	await app.waitFor('app3 not-created');
	services.setStates({'model-001-app2': [runningService('web')]});
	await app.waitFor('app2 running');
	assert.equal(app.frame().split('\n')[0], 'berth  engines default ok · berth-e1 ok · berth-e2 ok  models 2  apps 5  running 1  unhealthy 0');
	assert.deepEqual(appRows(app.frame(), 3), [
		'│·  app1 not-created default  5001,8001 react-flask│',
		'│   app2 running     berth-e1 5003,8003 react-flask│',
		'│   app3 not-created berth-e2 5005,8005 react-flask│',
	]);
	// The other model's apps (all on the current context) carry the badge too: the fleet is spread.
	await app.press('j');
	await app.waitFor('Apps · model-002');
	assert.deepEqual(appRows(app.frame(), 2), ['│·  app1 not-created default  5001,8001 react-flask│', '│   app2 not-created default  5003,8003 react-flask│']);
	app.unmount();
});

test('an unreachable engine: its apps unknown, the header names it while the others stay ok; it comes back by itself', async () => {
	const services = fakeServices(workspace([null, 'berth-e1', 'berth-e2'], ['berth-e2', null]));
	const app = renderApp(services);
	await app.waitFor('app3 not-created');
	services.setStates({'model-001-app2': [runningService('web')], 'model-001-app3': [runningService('web')]});
	await app.waitFor('running 2');
	services.loseEngineNamed('berth-e2', E2_DOWN);
	await app.waitFor('berth-e2 unreachable');
	const lines = app.frame().split('\n');
	// The engines before the model and app counts: they give way first.
	assert.equal(lines[0], 'berth  engines default ok · berth-e1 ok · berth-e2 unreachable  running 1  unhealthy 0');
	assert.deepEqual(appRows(app.frame(), 3), [
		'│·  app1 not-created default  5001,8001 react-flask│',
		'│   app2 running     berth-e1 5003,8003 react-flask│',
		'│   app3 unknown     berth-e2 5005,8005 react-flask│',
	]);
	assert.equal(lines.at(-2), `engine berth-e2: ${E2_DOWN}`);
	// The engine answers again: the watch's next snapshot alone brings it and its apps back.
	services.setStates({'model-001-app2': [runningService('web')], 'model-001-app3': [runningService('web')]});
	await app.waitFor('berth-e2 ok');
	assert.equal(app.frame().split('\n')[0], 'berth  engines default ok · berth-e1 ok · berth-e2 ok  models 2  apps 5  running 2  unhealthy 0');
	assert.match(app.frame(), /app3 running {5}berth-e2/);
	assert.doesNotMatch(app.frame(), /unreachable/);
	app.unmount();
});

test('a narrow terminal counts the engines and names only those that do not answer', async () => {
	const services = fakeServices(workspace([null, 'berth-e1', 'berth-e2']));
	const app = renderApp(services, {size: {columns: 76, rows: 14}});
	// Waited for whole: every engine answered and the states came (not "engines …" or "running …").
	await app.waitFor(/engines 3\/3 ok[^\n]*running 0/);
	assert.equal(app.frame().split('\n')[0], 'berth  engines 3/3 ok  models 2  apps 5  running 0  unhealthy 0');
	services.loseEngineNamed('berth-e2', E2_DOWN);
	await app.waitFor('berth-e2 unreachable');
	assert.equal(app.frame().split('\n')[0], 'berth  engines 2/3 ok · berth-e2 unreachable  running 0  unhealthy 0');
	// Narrower still: the count alone (the footer names the engine).
	app.unmount();
	const narrow = renderApp(services, {size: {columns: 50, rows: 14}});
	await narrow.waitFor(/engines 2\/3 ok[^\n]*running 0[\s\S]*engine berth-e2: /);
	assert.equal(narrow.frame().split('\n')[0], 'berth  engines 2/3 ok  running 0  unhealthy 0');
	assert.equal(narrow.frame().split('\n').at(-2), 'engine berth-e2: the Docker Engine is not reachab…');
	narrow.unmount();
});

test('engine=<name> keeps the apps on that engine, and the models holding one; an unknown engine matches nothing', async () => {
	const services = fakeServices(workspace([null, 'berth-e1', 'berth-e2'], ['berth-e1', null]));
	const app = renderApp(services);
	await app.waitFor('app3 not-created');
	// The apps pane, typed: the app on berth-e1 alone.
	await app.press('l', '/', ...'engine=berth-e1', KEYS.enter);
	await app.waitFor('Apps · model-001 /engine=berth-e1');
	assert.deepEqual(appRows(app.frame(), 2), ['┃>  app2 not-created berth-e1 5003,8003 react-flask┃', '┃                                                  ┃']);
	// The current context by its name, from the palette (any case).
	await app.press(':', ...'filter engine=DEFAULT', KEYS.enter);
	await app.waitFor('Apps · model-001 /engine=DEFAULT');
	assert.deepEqual(appRows(app.frame(), 2), ['┃>  app1 not-created default  5001,8001 react-flask┃', '┃                                                  ┃']);
	// An engine no app is on: nothing, with the usual message.
	await app.press('/', KEYS.escape, '/', ...'engine=berth-e9', KEYS.enter);
	await app.waitFor('no app matches');
	// The models pane: the models holding an app on berth-e2, then on berth-e1.
	await app.press('/', KEYS.escape, 'h', ':', ...'filter engine=berth-e2', KEYS.enter);
	await app.waitFor('Models 1/2');
	assert.match(app.frame(), /┃>model-001 0\/3┃/);
	assert.doesNotMatch(app.frame(), /model-002 /);
	await app.press('/', KEYS.escape, ':', ...'filter engine=berth-e1', KEYS.enter);
	await app.waitFor('┃Models 2 /eng…┃');
	assert.deepEqual(
		app
			.frame()
			.split('\n')
			.slice(3, 5)
			.map(row => row.slice(0, 16)),
		['┃>model-001 0/3┃', '┃ model-002 0/2┃'],
	);
	await app.press('/', KEYS.escape, ':', ...'filter engine=nowhere', KEYS.enter);
	await app.waitFor('┃no model matc…┃');
	assert.match(app.frame(), /┃Models 0\/2 \/e…┃/);
	app.unmount();
});
