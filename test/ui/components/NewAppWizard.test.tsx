import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {fakeServices, fakeWorkspace} from '../fake-services.ts';
import {KEYS, renderApp} from '../render-app.tsx';

// A failed assertion must not leave Ink mounted (its timers would keep the file running).
afterEach(() => cleanup());

test('n: model, flavour with descriptions, variables, plan, confirm; the new app appears selected', async () => {
	const services = fakeServices(fakeWorkspace(2, 2));
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('j', 'n');
	await app.waitFor('Model (enter chooses, esc leaves):', 15_000); // the wizard loads on first use
	assert.match(app.frame(), /┃ {2}\+ a new model…/);
	assert.match(app.frame(), /┃❯ model-002/, 'the selected model is offered first');
	await app.press(KEYS.enter);
	await app.waitFor('Flavour:');
	assert.match(app.frame(), /❯ fastapi-vite — Python API with a Vite frontend/);
	assert.match(app.frame(), /react-flask — Flask API, React SPA behind nginx/);
	await app.press(KEYS.down, KEYS.enter);
	await app.waitFor('Variable 1/1: Title of the app');
	assert.match(app.frame(), /appTitle: Shop▏/);
	await app.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, 'B', 'a', 'r', KEYS.enter);
	await app.waitFor('Create it? [y]es [n]o');
	const frame = app.frame();
	assert.match(frame, /New app · model-002 · react-flask/);
	assert.match(frame, /model-002\/app3 in \/apps\/model-002\/app3/);
	assert.match(frame, /ports: backend 5101 {2}frontend 8101/);
	assert.match(frame, / {2}create {4}docker-compose\.yml/);
	await app.press('y');
	await app.waitFor('created model-002/app3');
	assert.deepEqual(services.created, [{model: 'model-002', flavour: 'react-flask', variables: {appTitle: 'Bar'}}]);
	assert.match(app.frame(), /┃> {2}app3 +not-created/);
	assert.match(app.frame(), /Status · model-002\/app3/);
	app.unmount();
});

test('n: a new model is typed and checked; esc leaves without writing', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('n');
	await app.waitFor('+ a new model…', 15_000);
	await app.press(KEYS.up, KEYS.enter);
	await app.waitFor('New model id');
	await app.press('B', 'a', 'd', KEYS.enter);
	await app.waitFor('"Bad" is not a model id');
	await app.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, ...'openai_gpt-4o'.split(''), KEYS.enter);
	await app.waitFor('Flavour:');
	assert.match(app.frame(), /New app · openai_gpt-4o/);
	await app.press(KEYS.enter);
	await app.waitFor('Create it? [y]es [n]o');
	assert.match(app.frame(), /openai_gpt-4o\/app1 in/);
	await app.press(KEYS.escape);
	assert.match(app.frame(), /Models 1/);
	assert.deepEqual(services.created, []);
	app.unmount();
});
