/**
 * The status pane's per-service actions (issue 11, item 7): a service is selected with up/down while
 * the pane has the focus, and u s r l e act on it alone.
 */
import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {fakeServices, fakeWorkspace, runningService, type FakeServices} from '../fake-services.ts';
import {KEYS, renderApp} from '../render-app.tsx';

afterEach(() => cleanup());

const web = runningService('web', {
	container: 'app1-web-1',
	health: 'healthy',
	startedAt: 0,
	ports: [{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 8080, protocol: 'tcp'}],
});
const worker = runningService('worker', {container: 'app1-worker-1', startedAt: 30_000});

/** model-001/app1 with web and worker running, its status pane focused. */
async function statusFocused(services: FakeServices = fakeServices(fakeWorkspace(1, 2))) {
	// 16 + 43 columns for the lists leave the right column 44.
	const app = renderApp(services, {size: {columns: 103, rows: 24}});
	await app.waitFor('model-001');
	services.setStates({'model-001-app1': [web, worker]});
	await app.waitFor(/app1 +healthy/);
	await app.press('l', KEYS.enter);
	await app.waitFor(/┃Status · model-001\/app1/);
	return {app, services};
}

/** The status pane's rows: the right column (44 cells at 103 columns) from its title to its bottom border. */
function statusRows(frame: string): string[] {
	const rows = frame.split('\n').map(row => row.slice(-44));
	const top = rows.findIndex(row => row.includes('Status ·'));
	const bottom = rows.findIndex((row, i) => i > top && /^[┗└]/.test(row));
	return rows.slice(top, bottom + 1);
}

const hints = (frame: string) => frame.split('\n').at(-1)!;
const message = (frame: string) => frame.split('\n').at(-2)!;

test('up/down select a service while the status pane has the focus; the selected row has the cursor', async () => {
	const {app} = await statusFocused();
	assert.deepEqual(statusRows(app.frame()), [
		'┃Status · model-001/app1                   ┃',
		'┃react-flask · backend 5001 · frontend 8001┃',
		'┃ SERVICE STATE   PORTS      UP  RST       ┃',
		'┃>web     healthy 5001->8080 1m  0         ┃',
		'┃ worker  running -          30s 0         ┃',
		'┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛',
	]);
	assert.match(hints(app.frame()), /^u up {2}s stop {2}r restart {2}l logs {2}e shell/);
	await app.press('j');
	assert.deepEqual(statusRows(app.frame()).slice(3, 5), ['┃ web     healthy 5001->8080 1m  0         ┃', '┃>worker  running -          30s 0         ┃']);
	await app.press('j');
	assert.match(statusRows(app.frame())[4]!, /^┃>worker/, 'the last service stays selected');
	await app.press(KEYS.up);
	assert.match(statusRows(app.frame())[3]!, /^┃>web/);
	// Back in the apps pane the keys act on the whole app: no service has the cursor.
	await app.press('h');
	assert.deepEqual(statusRows(app.frame()).slice(3, 5), ['│ web     healthy 5001->8080 1m  0         │', '│ worker  running -          30s 0         │']);
	app.unmount();
});

test('a long service list scrolls so that the selected service is visible', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	const app = renderApp(services, {size: {columns: 103, rows: 24}});
	await app.waitFor('model-001');
	const many = Array.from({length: 30}, (_, i) => runningService(`svc${String(i + 1).padStart(2, '0')}`, {container: `c${i}`}));
	services.setStates({'model-001-app1': many});
	await app.waitFor(/app1 +running/);
	await app.press('l', KEYS.enter, 'G');
	const rows = statusRows(app.frame());
	assert.match(rows.at(-2)!, /^┃>svc30 +running/, rows.join('\n'));
	assert.doesNotMatch(rows.join('\n'), /svc01/);
	await app.press('g');
	assert.match(statusRows(app.frame())[3]!, /^┃>svc01 +running/);
	app.unmount();
});

test('s r u act on the selected service alone: "stop model-001/app1 worker" in the activity and the footer', async () => {
	const {app, services} = await statusFocused();
	services.actionOutput = ['Container app1-worker-1  Stopping'];
	await app.press('j', 's');
	await app.waitFor('model-001/app1 worker stopped');
	assert.deepEqual(services.calls, [{action: 'stop', app: 'model-001/app1', services: ['worker']}]);
	await app.waitFor(/│▸ stop model-001\/app1 worker +│\n.*│Container app1-worker-1 {2}Stopping +│\n.*│✓ stop model-001\/app1 worker done +│/);
	await app.press('k', 'r');
	await app.waitFor('model-001/app1 web restarted');
	await app.press('u');
	await app.waitFor('model-001/app1 web started');
	assert.deepEqual(services.calls.slice(1), [
		{action: 'restart', app: 'model-001/app1', services: ['web']},
		{action: 'up', app: 'model-001/app1', services: ['web']},
	]);
	app.unmount();
});

test('a stopped service: s and e are refused with what to do, nothing runs', async () => {
	const {app, services} = await statusFocused();
	services.setStates({'model-001-app1': [web, runningService('worker', {container: 'app1-worker-1', state: 'exited', exitCode: 137, startedAt: null})]});
	await app.waitFor(/worker +exited/);
	await app.press('j', 's');
	assert.equal(message(app.frame()), 'worker is not running: nothing to stop');
	await app.press('e');
	assert.equal(message(app.frame()), 'worker is not running: start it with u');
	assert.deepEqual([services.calls, services.shells], [[], []]);
	await app.press('u');
	await app.waitFor('model-001/app1 worker started');
	assert.deepEqual(services.calls, [{action: 'up', app: 'model-001/app1', services: ['worker']}]);
	app.unmount();
});

test('e opens a shell in the selected service; the footer says how it ended or why it could not', async () => {
	const {app, services} = await statusFocused();
	await app.press('e');
	await app.waitFor('shell in model-001/app1 web closed');
	assert.deepEqual(services.shells, [{app: 'model-001/app1', service: 'web', container: 'app1-web-1'}]);
	services.shellAnswer = 130;
	await app.press('j', 'e');
	await app.waitFor('shell in model-001/app1 worker closed (exit 130)');
	services.shellAnswer = new Error('the Docker Engine is not reachable (connect ENOENT /var/run/docker.sock). Start it');
	await app.press('e');
	await app.waitFor(/^the Docker Engine is not reachable/m);
	assert.equal(services.shells.length, 3);
	app.unmount();
});

test("l and enter follow the selected service's logs alone; right goes to the logs pane", async () => {
	const {app, services} = await statusFocused();
	services.feed('model-001/app1').push({service: 'web', text: 'GET / 200'}, {service: 'worker', text: 'tick 1'});
	await app.press('j', 'l');
	await app.waitFor('worker | tick 1');
	assert.match(app.frame(), /┃Logs · model-001\/app1 · worker \(following\)/);
	assert.doesNotMatch(app.frame(), /GET \/ 200/);
	// Logs pane -> apps pane -> status pane, up to web, enter.
	await app.press('h', KEYS.enter, 'k', KEYS.enter);
	await app.waitFor('web | GET / 200');
	assert.deepEqual(services.followed.at(-1), {app: 'model-001/app1', services: ['web']});
	await app.press('h', KEYS.enter, KEYS.right);
	assert.match(app.frame(), /┏━+┓\n.*┃Logs/, 'right moves the focus to the logs pane');
	app.unmount();
});
