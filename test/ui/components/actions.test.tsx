import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {PortConflictError} from '../../../source/core/errors.ts';
import {fakeServices, fakeWorkspace, type FakeServices} from '../fake-services.ts';
import {KEYS, renderApp} from '../render-app.tsx';

// A failed assertion must not leave Ink mounted (its timers would keep the file running).
afterEach(() => cleanup());

/** The frame's line that shows app `n` in the apps pane. */
const row = (frame: string, n: number) => frame.split('\n').find(line => new RegExp(`[ >·*] app${n} `).test(line)) ?? '';

/** Actions that run until the test lets them end (`release(app)`), failing with `error` when given. */
function gated(services: FakeServices) {
	const waiting = new Map<string, (error?: unknown) => void>();
	services.runAction = async (action, app, {onLine}) => {
		services.calls.push({action, app: app.id});
		onLine(`${action} ${app.id}: working`);
		const error = await new Promise<unknown>(resolve => waiting.set(app.id, resolve));
		if (error) {
			onLine('Encountered errors while bringing up the project.');
			throw error;
		}
	};
	return {
		release(app: string, error?: unknown) {
			waiting.get(app)?.(error);
			waiting.delete(app);
		},
	};
}

test('a busy app shows the action and its elapsed time; a second key is refused, never run twice', async () => {
	const services = fakeServices(fakeWorkspace(1, 2));
	const gate = gated(services);
	let now = 60_000;
	const app = renderApp(services, {clock: () => now});
	await app.waitFor('model-001');
	await app.press('l', 's');
	await app.waitFor('stopping 0s');
	now += 3000;
	const frame = await app.waitFor('stopping 3s');
	const lines = frame.split('\n');
	assert.equal(lines[3], '│·model-001 0/2│┃>  app1 stopping 3s 5001,8001 react-flask┃│react-flask · backend 5001 · frontend …│');
	assert.equal(lines[4], '│              │┃   app2 not-created 5003,8003 react-flask┃│stopping 3s…                           │');
	await app.press('s');
	await app.waitFor('model-001/app1 is already stopping (3s)');
	await app.press('r', 'd');
	assert.deepEqual(services.calls, [{action: 'stop', app: 'model-001/app1'}], 'one compose stop, nothing else');
	gate.release('model-001/app1');
	await app.waitFor('model-001/app1 stopped');
	assert.match(row(app.frame(), 1), /app1 not-created/);
	app.unmount();
});

/** A row of the output overlay: `text` inside its bold border, `width` cells in all. */
const box = (text: string, width: number) => `┃${text.padEnd(width - 2)}┃`;

/** The footer's message line. */
const footer = (frame: string) => frame.split('\n').at(-2) ?? '';

test('a failure keeps its cause in the status pane until the next action; "not started" does not replace it', async () => {
	const services = fakeServices(fakeWorkspace(1, 2));
	const gate = gated(services);
	const app = renderApp(services, {size: {columns: 100, rows: 24}});
	await app.waitFor('model-001');
	await app.press('l', 'u');
	await app.waitFor('starting 0s');
	const daemon =
		'Error response from daemon: driver failed programming external connectivity on endpoint m-web-1 (ea39): Bind for 127.0.0.1:5001 failed: port is already allocated';
	gate.release('model-001/app1', new Error('docker compose up of model-001/app1 failed (exit code 1)'));
	await app.waitFor('1 of 1 failed');
	// The fake's error has no telling line: the message is the cause.
	assert.match(app.frame(), /│✗ start failed: docker compose up of +│\n.*│ {2}model-001\/app1 failed \(exit code 1\) +│\n.*│not started \(press u\) +│/);
	// A real one: compose's output holds the Bind line.
	const real = fakeServices(fakeWorkspace(1, 2));
	real.runAction = async (_action, _app, {onLine}) => {
		onLine(' Container m-web-1  Starting');
		onLine(daemon);
		throw new Error('docker compose up of model-001/app1 failed (exit code 1): Encountered errors while bringing up the project.');
	};
	app.unmount();
	const second = renderApp(real, {size: {columns: 100, rows: 24}});
	await second.waitFor('model-001');
	await second.press('l', 'u');
	const frame = await second.waitFor('1 of 1 failed');
	const status = frame
		.split('\n')
		.slice(2, 8)
		.map(line => line.slice(-41));
	assert.deepEqual(status, [
		'│Status · model-001/app1                │',
		'│react-flask · backend 5001 · frontend …│',
		'│✗ start failed: Bind for 127.0.0.1:5001│',
		'│  failed: port is already allocated    │',
		'│not started (press u)                  │',
		'└───────────────────────────────────────┘',
	]);
	assert.equal(footer(frame), '1 of 1 failed: model-001/app1: Bind for 127.0.0.1:5001 failed: port is already allocated');
	// Moving away and back keeps it; the next action on the app clears it.
	await second.press('j', 'k');
	assert.match(second.frame(), /✗ start failed: Bind for 127\.0\.0\.1:5001/);
	real.runAction = async () => {};
	await second.press('s');
	await second.waitFor('model-001/app1 stopped');
	assert.doesNotMatch(second.frame(), /✗ start failed/);
	second.unmount();
});

test("berth's pre-flight: the cause names the port and its holder", async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	services.runAction = async () => {
		throw new PortConflictError('cannot start model-001/app1: port 5001 (backend) is in use by process 4121 (python3). Nothing was started. …', [
			{port: 5001, holder: 'process 4121 (python3)'},
		]);
	};
	const app = renderApp(services, {size: {columns: 100, rows: 24}});
	await app.waitFor('model-001');
	await app.press('l', 'u');
	const frame = await app.waitFor('1 of 1 failed');
	assert.match(frame, /│✗ start failed: port 5001 is in use by │\n.*│ {2}process 4121 \(python3\) {15}│/);
	app.unmount();
});

test('a: the whole output, scrolled, searched with / n N, wrapped with w; esc closes', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	services.runAction = async (_action, _app, {onLine}) => {
		for (let i = 1; i <= 40; i++) onLine(`#${i} step ${i}${i % 10 === 0 ? ' cache miss' : ''}`);
		onLine(`#41 ERROR: ${'x'.repeat(90)} the end`);
		throw new Error('failed to solve: executor failed running [/bin/sh -c make]: exit code: 2');
	};
	const app = renderApp(services, {size: {columns: 80, rows: 16}});
	await app.waitFor('model-001');
	await app.press('l', 'a');
	await app.waitFor('model-001/app1 has no action output yet (u s r d b run one)');
	await app.press('b');
	await app.waitFor('1 of 1 failed');
	await app.press('a');
	let frame = await app.waitFor('Output · rebuild model-001/app1');
	let lines = frame.split('\n');
	// Opens at the end, where the cause is.
	assert.deepEqual(lines.slice(1, 14), [
		'┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓',
		'┃Output · rebuild model-001/app1 · failed after 0s · lines 34-42 of 42         ┃',
		...[34, 35, 36, 37, 38, 39].map(n => `${`┃#${n} step ${n}`.padEnd(79)}┃`),
		'┃#40 step 40 cache miss                                                        ┃',
		`┃#41 ERROR: ${'x'.repeat(66)}…┃`,
		'┃✗ rebuild model-001/app1 failed: failed to solve: executor failed running [/b…┃',
		'┃42 lines                                                                      ┃',
		'┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛',
	]);
	assert.equal(lines.at(-1), '/ search  n next  w wrap  esc close');
	await app.press('g');
	assert.equal(app.frame().split('\n')[3], '┃#1 step 1                                                                     ┃');
	await app.press('/', 'c', 'a', 'c', 'h', 'e');
	assert.match(app.frame(), /┃\/cache▏ +┃/);
	await app.press(KEYS.enter);
	frame = app.frame();
	assert.match(frame, /┃\/cache: match 1 of 4 \(n \/ N\) +┃/);
	assert.match(frame, /┃#10 step 10 cache miss +┃/);
	await app.press('n', 'n');
	assert.match(app.frame(), /match 3 of 4/);
	assert.match(app.frame(), /┃#30 step 30 cache miss +┃/);
	await app.press('N');
	assert.match(app.frame(), /match 2 of 4/);
	await app.press('G', 'w');
	lines = app.frame().split('\n');
	assert.deepEqual(lines.slice(2, 14), [
		box('Output · rebuild model-001/app1 · failed after 0s · lines 37-45 of 45', 80),
		box('#37 step 37', 80),
		box('#38 step 38', 80),
		box('#39 step 39', 80),
		box('#40 step 40 cache miss', 80),
		box('#41 ERROR:', 80),
		box(`  ${'x'.repeat(76)}`, 80),
		box(`  ${'x'.repeat(14)} the end`, 80),
		box('✗ rebuild model-001/app1 failed: failed to solve: executor failed running', 80),
		box('  [/bin/sh -c make]: exit code: 2', 80),
		box('/cache: match 2 of 4 (n / N) · wrap', 80),
		`┗${'━'.repeat(78)}┛`,
	]);
	await app.press(KEYS.escape);
	assert.doesNotMatch(app.frame(), /Output ·/);
	assert.match(app.frame(), /Apps · model-001/);
	app.unmount();
});

test("a bulk action lists every failed app with its cause; a shows that summary (under an app's own output); failed apps stay marked", async () => {
	const services = fakeServices(fakeWorkspace(1, 5));
	services.runAction = async (action, app, {onLine}) => {
		services.calls.push({action, app: app.id});
		if (app.number === 1 || app.number === 3) {
			onLine(`Bind for 127.0.0.1:${5000 + app.number} failed: port is already allocated`);
			throw new Error('compose up failed');
		}
	};
	const app = renderApp(services, {size: {columns: 100, rows: 24}});
	await app.waitFor('model-001');
	await app.press('l', ' ', ' ', ' ', ' ');
	await app.waitFor('(4 marked)');
	await app.press('u');
	const frame = await app.waitFor('2 of 4 failed');
	assert.equal(footer(frame), '2 of 4 failed: model-001/app1: Bind for 127.0.0.1:5001 failed: port is already allocated; model-001…');
	assert.match(frame, /Apps · model-001 \(2 marked\)/);
	assert.match(row(frame, 1), /\* app1 /);
	assert.match(row(frame, 3), /\* app3 /);
	assert.match(row(frame, 2), /^│ +│┃ {3}app2 /);
	// app5 had no action: a opens the last bulk summary.
	await app.press('j', 'j', 'j', 'j', 'a');
	const summary = (await app.waitFor('Output · start of 4 apps')).split('\n');
	assert.deepEqual(summary.slice(2, 9), [
		box('Output · start of 4 apps · 2 of 4 failed', 100),
		box('✗ model-001/app1: Bind for 127.0.0.1:5001 failed: port is already allocated', 100),
		box('✗ model-001/app3: Bind for 127.0.0.1:5003 failed: port is already allocated', 100),
		box('  model-001/app2: done', 100),
		box('  model-001/app4: done', 100),
		box('', 100),
		box('a on an app of this run: its whole output', 100),
	]);
	await app.press('q');
	// app3 was in the run: a shows its own output, then (where the overlay opens) the run's summary.
	await app.press('k', 'k', 'a');
	const own = (await app.waitFor('Output · start model-001/app3')).split('\n');
	assert.deepEqual(own.slice(2, 12), [
		box('Output · start model-001/app3 · failed after 0s', 100),
		box('Bind for 127.0.0.1:5003 failed: port is already allocated', 100),
		box('✗ start model-001/app3 failed: Bind for 127.0.0.1:5003 failed: port is already allocated', 100),
		box('', 100),
		box('── start of 4 apps · 2 of 4 failed ──', 100),
		box('✗ model-001/app1: Bind for 127.0.0.1:5001 failed: port is already allocated', 100),
		box('✗ model-001/app3: Bind for 127.0.0.1:5003 failed: port is already allocated', 100),
		box('  model-001/app2: done', 100),
		box('  model-001/app4: done', 100),
		box('', 100),
	]);
	await app.press('q', 'j', 'j');
	// u again retries exactly the failed ones.
	services.calls.length = 0;
	await app.press('u');
	await app.waitFor('2 of 2 failed');
	assert.deepEqual(services.calls.map(c => c.app).sort(), ['model-001/app1', 'model-001/app3']);
	app.unmount();
});

test('marks follow one rule whatever their number: one marked app is unmarked when done; a busy one skipped stays marked', async () => {
	const services = fakeServices(fakeWorkspace(1, 3));
	const gate = gated(services);
	const app = renderApp(services, {size: {columns: 100, rows: 24}});
	await app.waitFor('model-001');
	// One marked app (app2), the selection elsewhere (app3): r acts on the mark, and unmarks it when it is done.
	await app.press('l', 'j', ' ');
	await app.waitFor('(1 marked)');
	await app.press('r');
	await app.waitFor('restart model-001/app2…');
	assert.deepEqual(services.calls, [{action: 'restart', app: 'model-001/app2'}]);
	gate.release('model-001/app2');
	let frame = await app.waitFor('model-001/app2 restarted');
	assert.doesNotMatch(frame, /marked\)/);
	assert.match(row(frame, 2), /^│ +│┃ {3}app2 /);
	// app1 busy (stopping), then app1 and app2 marked: r runs on app2 alone, app1 is skipped and stays marked.
	await app.press('g', 's');
	await app.waitFor('stopping 0s');
	await app.press(' ', ' ');
	await app.waitFor('(2 marked)');
	await app.press('r');
	await app.waitFor('restart model-001/app2…');
	gate.release('model-001/app2');
	frame = await app.waitFor('restarted (1 skipped');
	assert.match(frame, /Apps · model-001 \(1 marked\)/);
	assert.match(row(frame, 1), /\* app1 stopping/);
	assert.match(row(frame, 2), /^│ +│┃ {3}app2 /);
	gate.release('model-001/app1');
	await app.waitFor('model-001/app1 stopped');
	app.unmount();
});
