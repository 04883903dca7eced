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

test('n: a new model is typed and checked; n at the preview leaves without writing', async () => {
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
	await app.press('n');
	assert.match(app.frame(), /Models 1/);
	assert.deepEqual(services.created, []);
	app.unmount();
});

/** Opens the wizard on model-001 and picks the shop-kit flavour (third in the list). */
async function shopKit(services = fakeServices(fakeWorkspace(1, 1))) {
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('n');
	await app.waitFor('Model (enter chooses, esc leaves):', 15_000);
	await app.press(KEYS.enter);
	await app.waitFor('Flavour:');
	await app.press(KEYS.down, KEYS.down, KEYS.enter);
	await app.waitFor('Variable 1/4: URL slug');
	return {app, services};
}

/** The wizard's rows between its borders, right spaces trimmed. */
const inside = (frame: string) =>
	frame
		.split('\n')
		.filter(line => line.startsWith('┃'))
		.map(line => line.slice(1, -1).trimEnd());

test('the wizard checks each value as it is typed, says what is accepted, and enter waits for a good one', async () => {
	const {app, services} = await shopKit();
	assert.deepEqual(inside(app.frame()).slice(0, 5), [
		'New app · model-001 · shop-kit',
		'Variable 1/4: URL slug',
		'accepts: text matching [a-z]+',
		'slug: ▏',
		'✗ slug needs a value: text matching [a-z]+',
	]);
	await app.press('S', 'h');
	assert.deepEqual(inside(app.frame()).slice(3, 5), ['slug: Sh▏', '✗ "Sh" does not match the pattern [a-z]+']);
	await app.press(KEYS.enter);
	assert.match(app.frame(), /Variable 1\/4: URL slug/, 'enter does not take a refused value');
	await app.press(KEYS.backspace, KEYS.backspace, 's', 'h', 'o', 'p');
	assert.deepEqual(inside(app.frame()).slice(3, 5), ['slug: shop▏', '✓ shop']);
	await app.press(KEYS.enter);
	await app.waitFor('Variable 2/4: Instance size');
	// A choice is a list to pick from, the default highlighted.
	assert.deepEqual(inside(app.frame()).slice(1, 6), ['Variable 2/4: Instance size', 'accepts: one of small, medium, large', '  small', '❯ medium', '  large']);
	await app.press(KEYS.down, KEYS.enter);
	await app.waitFor('Variable 3/4: Seed demo data');
	// A yes/no is a list too.
	assert.deepEqual(inside(app.frame()).slice(2, 5), ['accepts: yes or no', '  yes', '❯ no']);
	await app.press(KEYS.up, KEYS.enter);
	await app.waitFor('Variable 4/4: Workers');
	assert.match(app.frame(), /replicas: 2▏/);
	await app.press(KEYS.backspace, 'x');
	assert.deepEqual(inside(app.frame()).slice(3, 5), ['replicas: x▏', '✗ expected a number, got "x"']);
	await app.press(KEYS.backspace, '3', KEYS.enter);
	await app.waitFor('Create it? [y]es [n]o');
	await app.press('y');
	await app.waitFor('created model-001/app2');
	assert.deepEqual(services.created, [{model: 'model-001', flavour: 'shop-kit', variables: {slug: 'shop', size: 'large', seed: 'true', replicas: '3'}}]);
	app.unmount();
});

test('esc goes back one step: preview -> last variable -> the one before -> flavour -> model -> out', async () => {
	const {app, services} = await shopKit();
	await app.press('s', 'h', 'o', 'p', KEYS.enter);
	await app.waitFor('Variable 2/4');
	await app.press(KEYS.enter, KEYS.enter);
	await app.waitFor('Variable 4/4');
	await app.press(KEYS.enter);
	await app.waitFor('Create it? [y]es [n]o');
	await app.press(KEYS.escape);
	await app.waitFor('Variable 4/4: Workers');
	assert.match(app.frame(), /replicas: 2▏/, 'the value given is kept');
	await app.press(KEYS.escape);
	await app.waitFor('Variable 3/4: Seed demo data');
	await app.press(KEYS.escape, KEYS.escape);
	await app.waitFor('Variable 1/4: URL slug');
	assert.match(app.frame(), /slug: shop▏/, 'the slug typed before is still there');
	await app.press(KEYS.escape);
	await app.waitFor('Flavour:');
	await app.press(KEYS.escape);
	await app.waitFor('Model (enter chooses, esc leaves):');
	await app.press(KEYS.escape);
	await app.waitFor('Models 1');
	assert.doesNotMatch(app.frame(), /New app/);
	assert.deepEqual(services.created, []);
	app.unmount();
});

test('the wizard at 60x15: long flavour descriptions are cut, never wrapped', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	const app = renderApp(services, {size: {columns: 60, rows: 15}});
	await app.waitFor('Models 1');
	await app.press('n');
	await app.waitFor('Model (enter chooses, esc leaves):', 15_000);
	await app.press(KEYS.enter);
	const frame = await app.waitFor('Flavour:');
	const lines = frame.split('\n');
	assert.equal(lines.length, 15);
	assert.deepEqual(inside(frame).slice(1, 5), [
		'Flavour:',
		'❯ fastapi-vite — Python API with a Vite frontend',
		'  react-flask — Flask API, React SPA behind nginx',
		'  shop-kit — A shop with every kind of variable: text, ch…',
	]);
	for (const line of lines) assert.ok(line.length <= 60, line);
	app.unmount();
});

test('the wizard at 40x10: every line cut to the width, the plan keeps its title and question', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	const app = renderApp(services, {size: {columns: 40, rows: 10}});
	await app.waitFor('Models 1');
	await app.press('n');
	await app.waitFor('Model (enter chooses, esc leaves):', 15_000);
	await app.press(KEYS.up, KEYS.enter);
	await app.waitFor('New model id');
	assert.deepEqual(inside(app.frame()).slice(0, 3), ['New app', 'New model id (lowercase letters, digi…', 'model: ▏']);
	await app.press(KEYS.escape);
	await app.waitFor('Model (enter chooses');
	await app.press(KEYS.enter);
	await app.waitFor('Flavour:');
	await app.press(KEYS.enter);
	await app.waitFor('Create it? [y]es [n]o');
	assert.deepEqual(inside(app.frame()), [
		'New app · model-001 · fastapi-vite',
		'model-001/app2 in /apps/model-001/app2',
		'ports: backend 5101  frontend 8101',
		'  … 2 more',
		'Create it? [y]es [n]o',
	]);
	app.unmount();
});

test("the wizard's lists: keys of one read each move (jj, two arrows), and enter after them picks", async () => {
	const services = fakeServices(fakeWorkspace(3, 1));
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('n');
	await app.waitFor('Model (enter chooses, esc leaves):', 15_000);
	assert.match(app.frame(), /┃❯ model-001/);
	await app.press('jj');
	assert.match(app.frame(), /┃❯ model-003/, 'jj in one read: two moves');
	await app.press(`${KEYS.up}${KEYS.up}`);
	assert.match(app.frame(), /┃❯ model-001/, 'two arrows in one read: two moves');
	// Written with no redraw between them: each key moves from where the one before left it.
	for (const key of ['j', KEYS.down, 'k', 'j']) app.stdin.write(key);
	await app.waitFor(/┃❯ model-003/);
	await app.press(`k${KEYS.enter}`);
	await app.waitFor('Flavour:');
	assert.match(app.frame(), /New app · model-002/, 'k then enter in one read: model-002 chosen');
	await app.press(`jj${KEYS.enter}`);
	await app.waitFor(/New app · model-002 · shop-kit/);
	// esc and a key in one read: the esc is not lost (one step back), in a field and in a list.
	await app.press(`${KEYS.escape}j`);
	await app.waitFor('Flavour:');
	await app.press(`${KEYS.escape}j`);
	await app.waitFor('Model (enter chooses, esc leaves):');
	app.unmount();
});
