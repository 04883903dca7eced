import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {fakeServices, fakeWorkspace, runningService} from '../fake-services.ts';
import {KEYS, renderApp, tick} from '../render-app.tsx';
import {KEYMAP} from '../../../source/ui/keymap.ts';
import {HELP_TITLES, helpKeys} from '../../../source/ui/help-layout.ts';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// A failed assertion must not leave Ink mounted (its timers would keep the file running).
afterEach(() => cleanup());

const healthyWeb = runningService('web', {
	container: 'web-1',
	health: 'healthy',
	startedAt: 0,
	ports: [{hostIp: '127.0.0.1', hostPort: 5003, containerPort: 80, protocol: 'tcp'}],
});

test('the first frame: header totals, models with counts, apps with badges, status, logs, footer hints', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(3, 2)));
	await app.waitFor('model-001');
	assert.equal(
		app.frame(),
		[
			'berth  engine ok  compose 1.29.2 (v1)  models 3  apps 6  running 0  unhealthy 0',
			'┏━━━━━━━━━━━━━━┓┌─────────────────────────────────────────┐┌───────────────────────────────────────┐',
			'┃Models 3      ┃│Apps · model-001                         ││Status · model-001/app1                │',
			'┃>model-001 0/2┃│·  app1 not-created 5001,8001 react-flask││react-flask · backend 5001 · frontend …│',
			'┃ model-002 0/2┃│   app2 not-created 5003,8003 react-flask││not started (press u)                  │',
			'┃ model-003 0/2┃│                                         ││                                       │',
			'┃              ┃│                                         │└───────────────────────────────────────┘',
			'┃              ┃│                                         │┌───────────────────────────────────────┐',
			'┃              ┃│                                         ││Logs                                   │',
			'┃              ┃│                                         ││select an app and press l to follow it…│',
			...Array.from({length: 11}, () => '┃              ┃│                                         ││                                       │'),
			'┗━━━━━━━━━━━━━━┛└─────────────────────────────────────────┘└───────────────────────────────────────┘',
			'',
			'⏎ apps  q quit  ? help  / filter  n new  p ports',
		].join('\n'),
	);
	app.unmount();
});

test('j/k move, l and tab change panes, the status pane follows the selected app', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(3, 4)));
	await app.waitFor('model-001');
	await app.press('j');
	assert.match(app.frame(), /┃>model-002 +0\/4┃/);
	assert.match(app.frame(), /Apps · model-002/);
	await app.press('l', 'j', 'j');
	assert.match(app.frame(), /┃> {2}app3 not-created/);
	assert.match(app.frame(), /Status · model-002\/app3/);
	await app.press('k');
	assert.match(app.frame(), /Status · model-002\/app2/);
	await app.press('h', KEYS.down);
	assert.match(app.frame(), /Apps · model-003/);
	await app.press(KEYS.tab, KEYS.tab);
	assert.match(app.frame(), /┏━+┓\n.*┃Status/, 'the status pane has the bold border');
	assert.match(app.frame().split('\n').at(-1)!, /^u up {2}s stop {2}r restart {2}l logs/);
	app.unmount();
});

test('500 models x 30 apps: only the visible rows are rendered and the end is reachable', async () => {
	const services = fakeServices(fakeWorkspace(500, 30));
	const app = renderApp(services);
	await app.waitFor('model-001');
	const frame = app.frame();
	assert.equal(frame.split('\n').length, 24, 'the frame is exactly the terminal height');
	assert.equal((frame.match(/model-\d{3} +0\/30/g) ?? []).length, 18, '18 visible model rows of 500');
	assert.match(frame, /models 500 {2}apps 15000/);
	const started = Date.now();
	await app.press('G');
	assert.match(app.frame(), /┃>model-500 +0\/30┃/);
	assert.doesNotMatch(app.frame(), /model-001 /);
	await app.press('l', 'G');
	assert.match(app.frame(), /┃> {2}app30 /);
	assert.equal((app.frame().match(/app\d+ +not-created/g) ?? []).length, 18);
	assert.ok(Date.now() - started < 2000, `navigation took ${Date.now() - started} ms`);
	app.unmount();
});

test('u starts the selected app: output in the activity pane, live state turns the badge healthy', async () => {
	const services = fakeServices(fakeWorkspace(1, 2));
	services.actionOutput = ['Creating network model-001-app2_default', 'Creating model-001-app2_web_1 ... done'];
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('l', 'j', 'u');
	await app.waitFor('model-001/app2 started');
	assert.deepEqual(services.calls, [{action: 'up', app: 'model-001/app2'}]);
	await app.waitFor(/│Creating model-001-app2_web_1 \.\.\. done +│/);
	await app.waitFor(/│Creating model-001-app2_web_1 \.\.\. done +│\n.*│✓ start model-001\/app2 done +│/);
	services.setStates({'model-001-app2': [healthyWeb, runningService('worker', {container: 'worker-1', startedAt: 30_000, restarts: 1})]});
	await app.waitFor(/healthy +5003->80/);
	const lines = app.frame().split('\n');
	assert.match(lines[0]!, /running 1 {2}unhealthy 0$/);
	assert.match(app.frame(), /┃> {2}app2 healthy +5003,8003/);
	assert.match(app.frame(), /│ web +healthy +5003->80 +1m +0 +│/);
	assert.match(app.frame(), /│ worker +running +- +30s +1 +│/);
	app.unmount();
});

test('a failed action and an unreachable engine are messages, not crashes', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	services.failing.add('model-001/app1');
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('l', 's');
	await app.waitFor('1 of 1 failed: model-001/app1: port 5001 is already used by process 4121 (python3)');
	services.failState('the Docker Engine is not reachable (connect ENOENT /var/run/docker.sock). Start it');
	await app.press('j');
	await app.waitFor('engine unreachable');
	assert.match(app.frame(), /the Docker Engine is not reachable/);
	app.unmount();
});

test('d asks first: n cancels, y takes the app down', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('l', 'd');
	assert.match(app.frame(), /Down model-001\/app1\? Containers and networks are removed \(volumes kept\)\. \[y\]es \[n\]o/);
	assert.match(app.frame().split('\n').at(-1)!, /^y yes {2}n no$/);
	await app.press('u', 'n');
	assert.deepEqual(services.calls, [], 'neither u nor n ran anything while asking');
	assert.match(app.frame(), /cancelled/);
	await app.press('d', 'y');
	await app.waitFor('model-001/app1 taken down');
	assert.deepEqual(services.calls, [{action: 'down', app: 'model-001/app1'}]);
	app.unmount();
});

test('space marks apps; u starts all marked apps with a bounded concurrency', async () => {
	const services = fakeServices(fakeWorkspace(1, 6));
	services.actionMs = 40;
	const app = renderApp(services, {concurrency: 2});
	await app.waitFor('model-001');
	await app.press('l', ' ', ' ', ' ', ' ', ' ');
	assert.match(app.frame(), /Apps · model-001 \(5 marked\)/);
	assert.match(app.frame(), /┃ \* app1 +not-created/);
	assert.match(app.frame(), /┃> {2}app6 +not-created/);
	await app.press('u');
	await app.waitFor('5 apps started', 3000);
	assert.equal(services.calls.length, 5);
	assert.deepEqual(
		services.calls.map(c => c.action),
		['up', 'up', 'up', 'up', 'up'],
	);
	assert.equal(services.maxConcurrent, 2);
	assert.doesNotMatch(app.frame(), /marked/, 'marks are cleared after a successful bulk action');
	app.unmount();
});

test('s stops the marked apps (bounded), r restarts and b rebuilds the selected one; enter focuses its status', async () => {
	const services = fakeServices(fakeWorkspace(1, 4));
	services.actionMs = 40;
	const app = renderApp(services, {concurrency: 2});
	await app.waitFor('model-001');
	await app.press('l', ' ', ' ', ' ');
	await app.press('s');
	await app.waitFor('3 apps stopped', 3000);
	assert.deepEqual(
		services.calls,
		[1, 2, 3].map(n => ({action: 'stop', app: `model-001/app${n}`})),
	);
	assert.equal(services.maxConcurrent, 2);
	services.calls.length = 0;
	await app.press('r');
	await app.waitFor(/model-001\/app4 restarted/, 3000);
	await app.press('b');
	await app.waitFor(/model-001\/app4 rebuilt/, 3000);
	assert.deepEqual(services.calls, [
		{action: 'restart', app: 'model-001/app4'},
		{action: 'build', app: 'model-001/app4'},
	]);
	await app.waitFor(/✓ rebuild model-001\/app4 done/);
	assert.match(app.frame(), /│Status · model-001\/app4/);
	await app.press(KEYS.enter);
	assert.match(app.frame(), /┃Status · model-001\/app4/, 'the status pane has the focus (bold border)');
	app.unmount();
});

test('l follows logs: lines appear, a chatty stream stays bounded, the end is a clear line', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('l', 'l');
	const feed = services.feed('model-001/app1');
	feed.push({service: 'worker', text: 'worker line 1'}, {service: 'web', text: 'GET / 200'});
	await app.waitFor('web | GET / 200');
	assert.match(app.frame(), /┃Logs · model-001\/app1 \(following\) +┃/);
	assert.match(app.frame(), /┃── following model-001\/app1 ── +┃\n.*┃worker \| worker line 1 +┃/);
	for (let i = 0; i < 5000; i++) feed.push({service: 'worker', text: `burst ${i}`});
	await app.waitFor('worker | burst 4999');
	assert.doesNotMatch(app.frame(), /burst 4980\b/, 'only the newest lines that fit are shown');
	await app.press('/');
	await app.press(...'burst 41'.split(''), KEYS.enter);
	assert.match(app.frame(), /Logs · model-0… \(following · \/burst 41\)┃/, 'the app name gives way to the state');
	assert.match(app.frame(), /┃worker \| burst 4188 +┃\n(.*┃worker \| burst 41\d\d +┃\n){10}.*┃worker \| burst 4199 +┃/);
	await app.press('/', KEYS.escape);
	feed.end();
	await app.waitFor('── log stream of model-001/app1 ended');
	assert.match(app.frame(), /Logs · model-001\/app1 \(ended\)/);
	app.unmount();
});

test('/ filters the apps list; esc clears it', async () => {
	const services = fakeServices(fakeWorkspace(2, 12));
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('l', '/', 'a', 'p', 'p', '1');
	assert.match(app.frame().split('\n').at(-2)!, /^\/app1▏/);
	await app.press(KEYS.enter);
	assert.match(app.frame(), /Apps · model-001 \/app1/);
	const rows = app.frame().match(/ app\d+ +not-created/g) ?? [];
	assert.deepEqual(
		rows.map(r => r.trim().split(/ +/)[0]),
		['app1', 'app10', 'app11', 'app12'],
	);
	await app.press('/', KEYS.escape);
	assert.equal((app.frame().match(/ app\d+ +not-created/g) ?? []).length, 12);
	app.unmount();
});

test('? shows every key from the keymap table; esc closes it', async () => {
	const app = renderApp(fakeServices(), {size: {columns: 120, rows: 60}});
	await app.waitFor('model-001');
	await app.press('?');
	const frame = app.frame();
	assert.match(frame, /Keys \(esc closes\)/);
	assert.match(frame, /u +start \(up -d\) the app or the marked apps/);
	assert.match(frame, /d +down the app or the marked apps: containers removed \(asks first\)/);
	assert.match(frame, /r +restart the app or the marked apps/);
	assert.match(frame, /space +mark \/ unmark for a bulk action \(u s r d b A\)/);
	await app.press('u');
	assert.match(app.frame(), /Keys \(esc closes\)/, 'keys of the panes do nothing in the help');
	await app.press(KEYS.escape);
	assert.doesNotMatch(app.frame(), /Keys \(esc closes\)/);
	app.unmount();
});

test('? on a small terminal: no key cut off or drawn over another; the rest is a page away', async () => {
	const app = renderApp(fakeServices(), {size: {columns: 100, rows: 24}});
	await app.waitFor('model-001');
	await app.press('?');
	let frame = app.frame();
	const pages = Number(/Keys \(esc closes\) {2}page 1\/(\d+) \(←\/→ more\)/.exec(frame)?.[1]);
	assert.ok(pages > 1, `24 rows do not hold every key: the help has pages\n${frame}`);
	const seen = [frame];
	for (let page = 2; page <= pages; page++) {
		await app.press(KEYS.right);
		frame = app.frame();
		assert.match(frame, new RegExp(`page ${page}/${pages}`));
		seen.push(frame);
	}
	await app.press(KEYS.right);
	assert.match(app.frame(), new RegExp(`page ${pages}/${pages}`), 'the last page stays');
	await app.press('h');
	assert.match(app.frame(), new RegExp(`page ${pages - 1}/${pages}`));
	// Every binding of the keymap shows up whole, each on a line of its own, on one of the pages.
	const lines = seen.join('\n').split('\n');
	for (const binding of KEYMAP) {
		const pattern = new RegExp(`┃.*  ${escapeRegExp(helpKeys(binding.keys))} +${escapeRegExp(binding.description)}( |┃)`);
		assert.ok(
			lines.some(line => pattern.test(line)),
			`"${helpKeys(binding.keys)} ${binding.description}" is on a page of the help`,
		);
	}
	for (const title of Object.values(HELP_TITLES))
		assert.ok(
			lines.some(line => line.includes(title)),
			`section "${title}" is shown`,
		);
	app.unmount();
});

test(': runs palette commands', async () => {
	const services = fakeServices(fakeWorkspace(3, 3));
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press(':', ...'goto model-003/app2'.split(''));
	assert.match(app.frame(), /:goto model-003\/app2▏/);
	await app.press(KEYS.enter);
	assert.match(app.frame(), /Status · model-003\/app2/);
	await app.press(':', ...'restart'.split(''), KEYS.enter);
	await app.waitFor('model-003/app2 restarted');
	assert.deepEqual(services.calls, [{action: 'restart', app: 'model-003/app2'}]);
	await app.press(':', 'x', 'y', KEYS.enter);
	assert.match(app.frame(), /unknown command "xy"/);
	app.unmount();
});

test('o opens the frontend port a running container publishes, or says the app publishes none', async () => {
	const services = fakeServices(fakeWorkspace(1, 2));
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('l', 'j', 'o');
	await app.waitFor('model-001/app2 publishes no port (start it with u)');
	const port = (hostPort: number) => ({hostIp: '127.0.0.1', hostPort, containerPort: 80, protocol: 'tcp'});
	services.setStates({'model-001-app2': [runningService('api', {ports: [port(5003)]}), runningService('web', {container: 'c-web', ports: [port(8003)]})]});
	await app.waitFor(/running +5003->80/);
	await app.press('o');
	await app.waitFor('opened http://127.0.0.1:8003/');
	// The frontend's container exited: the first port still published is opened, and docker's exit code shows.
	services.setStates({
		'model-001-app2': [runningService('api', {ports: [port(5003)]}), runningService('web', {container: 'c-web', state: 'exited', exitCode: 137})],
	});
	await app.waitFor(/│ web +exited \(137\) +- +-/);
	await app.press('o');
	await app.waitFor('opened http://127.0.0.1:5003/');
	// Running, publishing nothing: starting it would not help, so the footer does not say to.
	services.setStates({'model-001-app2': [runningService('worker')]});
	await app.waitFor(/│ worker +running +- /);
	await app.press('o');
	await app.waitFor('model-001/app2 publishes no port: none of its running services has one');
	app.unmount();
});

test('header counts unhealthy apps', async () => {
	const services = fakeServices(fakeWorkspace(2, 2));
	const app = renderApp(services);
	await app.waitFor('model-001');
	services.setStates({'model-002-app1': [runningService('web', {health: 'unhealthy'})], 'model-001-app2': [healthyWeb]});
	await app.waitFor('running 2  unhealthy 1');
	// model-002 holds the unhealthy app: its mark, and a column for it.
	assert.match(app.frame(), /┃>model-001 1\/2 {2}┃/);
	assert.match(app.frame(), /┃ model-002 1\/2 !┃/);
	await tick();
	app.unmount();
});

test('an engine that is down at start is named in the header and explained in the footer', async () => {
	const services = fakeServices(fakeWorkspace(1, 1), {
		engineInfo: async () => ({
			reachable: false,
			composeVersion: null,
			problem: 'the Docker Engine is not reachable (/var/run/docker.sock: connect ENOENT). Start it',
		}),
	});
	services.engineDown = 'the Docker Engine is not reachable (/var/run/docker.sock: connect ENOENT). Start it';
	const app = renderApp(services);
	await app.waitFor('engine unreachable  compose -');
	assert.match(app.frame().split('\n').at(-2)!, /^the Docker Engine is not reachable \(\/var\/run\/docker\.sock: connect ENOENT\)\. Start it$/);
	app.unmount();
});
