import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {fakeServices, fakeWorkspace} from '../fake-services.ts';
import {KEYS, renderApp} from '../render-app.tsx';

// A failed assertion must not leave Ink mounted (its timers would keep the file running).
afterEach(() => cleanup());

const allocation = (model: string, app: number, backend: number, frontend: number) => ({
	model,
	app,
	ports: {backend, frontend},
	projectName: `${model}-app${app}`,
	appPath: `/apps/${model}/app${app}`,
	createdAt: '2026-01-01T00:00:00.000Z',
	engine: 'default',
});

test('p shows every allocation, conflicts marked, and releases one after a yes', async () => {
	const services = fakeServices(fakeWorkspace(1, 2));
	services.allocations = [allocation('model-001', 1, 5001, 8001), allocation('model-001', 2, 5003, 8003)];
	services.conflicts = [
		{kind: 'bound-by-process', port: 5003, apps: ['model-001/app2'], message: 'port 5003 (model-001/app2 backend) is in use by process 4121 (python3)'},
	];
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('p');
	await app.waitFor('1 conflicts');
	const lines = app.frame().split('\n');
	assert.equal(lines[1], '┏' + '━'.repeat(98) + '┓');
	assert.equal(lines[2], '┃Ports · 2 allocations · 1 conflicts' + ' '.repeat(63) + '┃');
	assert.match(lines[3]!, /^┃>model-001\/app1 +backend 5001 {2}frontend 8001 +┃$/);
	assert.match(lines[4]!, /^┃ model-001\/app2 +!backend 5003 {2}frontend 8003 +┃$/);
	assert.match(lines[5]!, /^┃! port 5003 \(model-001\/app2 backend\) is in use by process 4121 \(python3\) +┃$/);
	await app.press('j', 'x');
	assert.match(app.frame(), /Release the ports of model-001\/app2\? Its containers keep running until stopped\. \[y\]es \[n\]o/);
	await app.press('n');
	assert.deepEqual(services.released, []);
	await app.press('x', 'y');
	await app.waitFor('released the ports of model-001/app2');
	assert.deepEqual(services.released, ['model-001/app2']);
	assert.match(app.frame(), /Ports · 1 allocations/);
	await app.press(KEYS.escape);
	assert.match(app.frame(), /Models 1/);
	app.unmount();
});
