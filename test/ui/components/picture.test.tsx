/** The picture stays true: unknown is never drawn as down, the header follows the Engine both ways. */
import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {fakeApp, fakeServices, fakeWorkspace, runningService} from '../fake-services.ts';
import {KEYS, renderApp} from '../render-app.tsx';
import type {EngineInfo} from '../../../source/ui/services.ts';

afterEach(() => cleanup());

const DOWN = 'the Docker Engine is not reachable (/var/run/docker.sock: connect ENOENT). Start it';

test('started while the Engine is down, the header says so, then follows it back and asks compose again', async () => {
	const answers: EngineInfo[] = [
		{reachable: false, composeVersion: null, problem: DOWN},
		{reachable: true, composeVersion: '2.26.1 (v2)', problem: null},
	];
	let asked = 0;
	const services = fakeServices(fakeWorkspace(1, 2), {engineInfo: async () => answers[Math.min(asked++, 1)]!});
	services.engineDown = DOWN;
	const app = renderApp(services);
	await app.waitFor('engine unreachable  compose -');
	assert.match(app.frame(), /app1 unknown/);
	assert.match(app.frame(), /app2 unknown/);
	assert.doesNotMatch(app.frame(), /not-created|stopped|not started/);
	assert.match(app.frame(), /│state unknown: no Engine answer +│/);
	assert.equal(app.frame().split('\n').at(-2), DOWN);
	// The Engine is back: the watch's next snapshot alone says so.
	services.setStates({'model-001-app1': [runningService('web')]});
	await app.waitFor('engine ok  compose 2.26.1 (v2)  models 1  apps 2  running 1');
	assert.equal(asked, 2, 'compose asked again once the Engine is back');
	assert.match(app.frame(), /app1 running/);
	assert.doesNotMatch(app.frame(), /not reachable/);
	// And lost again while running: the header follows.
	services.loseEngine(DOWN);
	await app.waitFor('engine unreachable');
	assert.match(app.frame(), /app1 unknown/);
	assert.equal(asked, 2, 'losing it asks nothing');
	app.unmount();
});

test('an app the watch has not answered for yet (a folder new since) is unknown, never not-created', async () => {
	const workspace = fakeWorkspace(1, 1);
	const services = fakeServices(workspace);
	const app = renderApp(services);
	await app.waitFor('app1 not-created');
	services.setStates({'model-001-app1': [runningService('web')]});
	await app.waitFor('app1 running');
	// A new folder on disk: the workspace reloads before the watch has asked the Engine about it.
	services.workspace = {...workspace, models: [{id: 'model-001', apps: [...workspace.models[0]!.apps, fakeApp('model-001', 2)]}]};
	services.watchLags = true;
	await app.press('R');
	await app.waitFor('app2');
	assert.match(app.frame(), /app2 unknown/);
	assert.doesNotMatch(app.frame(), /app2 not-created/);
	// The watch answers for it: core's word.
	services.setStates({'model-001-app1': [runningService('web')]});
	await app.waitFor('app2 not-created');
	assert.match(app.frame(), /app1 running/);
	app.unmount();
});

test('the app list follows the disk: a folder added shows, one removed goes, without a key', async () => {
	const workspace = fakeWorkspace(2, 2);
	const services = fakeServices(workspace);
	const app = renderApp(services);
	await app.waitFor('app2 not-created');
	const [first, second] = workspace.models;
	services.changeDisk({...workspace, models: [{...first!, apps: [...first!.apps, fakeApp('model-001', 3)]}, second!]});
	await app.waitFor('app3 not-created');
	assert.match(app.frame(), /models 2 {2}apps 5/);
	assert.match(app.frame(), /model-001 0\/3/);
	// A model folder removed: gone from the models pane, the selection stays on what is left.
	services.changeDisk({...workspace, models: [second!]});
	await app.waitFor('models 1  apps 2');
	assert.doesNotMatch(app.frame(), /model-001/);
	assert.match(app.frame(), /Apps · model-002/);
	app.unmount();
});

test('R and :reload scan the apps root again, where the watch said nothing (a network filesystem)', async () => {
	const workspace = fakeWorkspace(1, 1);
	const services = fakeServices(workspace);
	const app = renderApp(services);
	await app.waitFor('app1 not-created');
	const [model] = workspace.models;
	// Changed on disk, no watch event.
	services.workspace = {...workspace, models: [{...model!, apps: [...model!.apps, fakeApp('model-001', 2)]}]};
	await app.press('l');
	assert.doesNotMatch(app.frame(), /app2/);
	await app.press('R');
	await app.waitFor('app2 not-created');
	assert.match(app.frame(), /reloading the apps root…/);
	assert.match(app.frame(), /models 1 {2}apps 2/);
	services.workspace = {...workspace, models: [{...model!, apps: [...model!.apps, fakeApp('model-001', 2), fakeApp('model-001', 3)]}]};
	await app.press(':', ...'reload', KEYS.enter);
	await app.waitFor('app3 not-created');
	assert.match(app.frame(), /models 1 {2}apps 3/);
	app.unmount();
});

test('a model holding an unhealthy or crash-looping app shows a mark; the filters find them by state', async () => {
	const services = fakeServices(fakeWorkspace(3, 2));
	const app = renderApp(services);
	await app.waitFor('model-001');
	services.setStates({
		'model-001-app1': [runningService('web')],
		'model-002-app2': [runningService('web', {health: 'unhealthy'})],
		'model-003-app1': [runningService('web', {state: 'restarting'})],
	});
	await app.waitFor('unhealthy 1');
	const models = app
		.frame()
		.split('\n')
		.slice(2, 6)
		.map(row => row.slice(0, 18));
	assert.deepEqual(models, ['┃Models 3        ┃', '┃>model-001 1/2  ┃', '┃ model-002 1/2 !┃', '┃ model-003 0/2 !┃']);
	// The apps filter by a state word (model-002 holds the unhealthy app).
	await app.press('j', 'l', '/', ...'unhealthy', KEYS.enter);
	await app.waitFor('Apps · model-002 /unhealthy');
	assert.match(app.frame(), /app2 unhealthy/);
	assert.doesNotMatch(app.frame(), /app1 not-created/);
	// The palette form, on the models list: the model holding a restarting container.
	await app.press('h', ':', ...'filter state=restarting', KEYS.enter);
	await app.waitFor('┃Models 1/3 /sta…┃');
	assert.match(app.frame(), /┃>model-003 0\/2 !┃/);
	assert.doesNotMatch(app.frame(), /model-001|model-002/);
	app.unmount();
});
