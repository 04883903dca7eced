/** Every terminal size draws a whole screen: no wrapped row, no column running into the next (issue 11, item 5). */
import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {cleanup} from 'ink-testing-library';
import {textWidth} from '../../../source/ui/format.ts';
import {brokenRows} from '../../helpers/tmux.ts';
import {adoptable, fakeApp, fakeServices, fakeWorkspace, fixedPort, runningService, type FakeServices} from '../fake-services.ts';
import {KEYS, renderApp} from '../render-app.tsx';

afterEach(() => cleanup());

const port = (hostPort: number, containerPort: number) => ({hostIp: '127.0.0.1', hostPort, containerPort, protocol: 'tcp'});

/** Three models of three apps; app1 of the first runs a web service and a restarting database with 5-digit host ports. */
function fleet(): FakeServices {
	return fakeServices(fakeWorkspace(3, 3));
}

function liven(services: FakeServices) {
	services.setStates({
		'model-001-app1': [
			runningService('web', {container: 'w1', ports: [port(35802, 80809)]}),
			runningService('database-long', {state: 'restarting', container: 'd1', ports: [port(15005, 8080)], restarts: 12}),
		],
	});
}

/** What a user would see as broken: a line wider than the terminal, a frame of the wrong height, a border row cut short. */
function assertWhole(frame: string, columns: number, rows: number) {
	const lines = frame.split('\n');
	assert.equal(lines.length, rows, `the frame is ${rows} rows:\n${frame}`);
	for (const line of lines) assert.ok(textWidth(line) <= columns, `a line wider than ${columns} columns: ${JSON.stringify(line)}`);
	assert.deepEqual(brokenRows(frame), [], `border rows end with a border:\n${frame}`);
}

async function screen(services: FakeServices, columns: number, rows: number) {
	const app = renderApp(services, {size: {columns, rows}});
	await app.waitFor(/model-001|Models|larger/);
	liven(services);
	await app.waitFor(/web|larger|Models/);
	return app;
}

test('an empty workspace at 40x10: the hints are cut, never wrapped', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(0, 0)), {size: {columns: 40, rows: 10}});
	const frame = await app.waitFor('Models 0');
	assertWhole(frame, 40, 10);
	assert.match(frame, /┃no models yet: press n {16}┃/);
	app.unmount();
});

test('80x24: three columns, every app column readable, 5-digit ports whole', async () => {
	const app = await screen(fleet(), 80, 24);
	await app.waitFor('restarting');
	const frame = app.frame();
	assertWhole(frame, 80, 24);
	assert.deepEqual(frame.split('\n').slice(0, 8), [
		'berth  engine ok  models 3  apps 9  running 1  unhealthy 0  error 1',
		'┏━━━━━━━━━━━━━━┓┌──────────────────────────────┐┌──────────────────────────────┐',
		'┃Models 3      ┃│Apps · model-001              ││Status · model-001/app1       │',
		'┃>model-001!1/3┃│·  app1 crash-loop  5001,8001 ││react-flask · backend 5001 · …│',
		'┃ model-002 0/3┃│   app2 not-created 5003,8003 ││ SERVICE  STATE      PORTS    │',
		'┃ model-003 0/3┃│   app3 not-created 5005,8005 ││ web      running    35802->8…│',
		'┃              ┃│                              ││ databas… restarting 15005->8…│',
		'┃              ┃│                              │└──────────────────────────────┘',
	]);
	app.unmount();
});

const blank = (count: number, row: string) => Array.from({length: count}, () => row);

test('60x15: one pane at a time under a line naming them; tab, l and h move between them', async () => {
	const app = await screen(fleet(), 60, 15);
	// The whole first picture: the engine answered, the states came (the model's `!`, the counts).
	const frame = await app.waitFor(/engine ok[^\n]*error 1[\s\S]*1\/3 !/);
	const box = (title: string, lines: string[]) => [
		'┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓',
		`┃${title.padEnd(58)}┃`,
		...lines.map(line => `┃${line.padEnd(58)}┃`),
		...blank(12 - 3 - lines.length - 1, `┃${' '.repeat(58)}┃`),
		'┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛',
	];
	const header = ['berth  engine ok  running 1  unhealthy 0  error 1', ' Models  Apps  Status  Logs  tab: next pane'];
	assert.equal(
		frame,
		[
			...header,
			...box('Models 3', [
				'>model-001                                           1/3 !',
				' model-002                                           0/3  ',
				' model-003                                           0/3  ',
			]),
			'',
			'⏎ apps  q quit  ? help  / filter  n new  p ports',
		].join('\n'),
	);
	await app.press('l');
	assertWhole(app.frame(), 60, 15);
	assert.deepEqual(
		app.frame().split('\n').slice(2, 7),
		box('Apps · model-001', [
			'>  app1 crash-loop  5001,8001 react-flask',
			'   app2 not-created 5003,8003 react-flask',
			'   app3 not-created 5005,8005 react-flask',
		]).slice(0, 5),
	);
	await app.press(KEYS.tab);
	assertWhole(app.frame(), 60, 15);
	assert.deepEqual(
		app.frame().split('\n').slice(2, 8),
		box('Status · model-001/app1', [
			'react-flask · backend 5001 · frontend 8001',
			' SERVICE       STATE      PORTS        UP RST',
			'>web           running    35802->80809 1m 0',
			' database-long restarting 15005->8080  -  12',
		]).slice(0, 6),
	);
	await app.press(KEYS.tab);
	assertWhole(app.frame(), 60, 15);
	assert.match(app.frame(), /┃Logs {54}┃\n┃select an app and press l to follow its logs {14}┃/);
	await app.press('h');
	assert.match(app.frame(), /┃Apps · model-001 +┃/, 'h goes back to the apps');
	app.unmount();
});

test('100x10: the right column shows the status (or the logs while they have the focus), never empty boxes', async () => {
	const app = await screen(fleet(), 100, 10);
	await app.press('l');
	const frame = app.frame();
	assertWhole(frame, 100, 10);
	assert.deepEqual(frame.split('\n'), [
		'berth  engine ok  compose 1.29.2 (v1)  models 3  apps 9  running 1  unhealthy 0  error 1',
		'┌────────────────┐┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓┌─────────────────────────────────────┐',
		'│Models 3        │┃Apps · model-001                         ┃│Status · model-001/app1              │',
		'│·model-001 1/3 !│┃>  app1 crash-loop  5001,8001 react-flask┃│react-flask · backend 5001 · fronten…│',
		'│ model-002 0/3  │┃   app2 not-created 5003,8003 react-flask┃│ SERVICE   STATE      PORTS        UP│',
		'│ model-003 0/3  │┃   app3 not-created 5005,8005 react-flask┃│ web       running    35802->80809 1m│',
		'│                │┃                                         ┃│ database… restarting 15005->8080  - │',
		'└────────────────┘┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛└─────────────────────────────────────┘',
		'',
		'u up  s stop  r restart  d down  b build  l logs  space mark  o open  a output  A adopt  q quit  ? …',
	]);
	await app.press(KEYS.tab, KEYS.tab);
	assertWhole(app.frame(), 100, 10);
	assert.match(app.frame().split('\n')[2]!, /┃Logs {33}┃$/);
	app.unmount();
});

test('200x50: the apps pane as wide as its rows, the rest to the right column', async () => {
	const app = await screen(fleet(), 200, 50);
	const frame = await app.waitFor('restarting');
	assertWhole(frame, 200, 50);
	const lines = frame.split('\n');
	assert.equal(lines[1], `┏━━━━━━━━━━━━━━━━┓┌${'─'.repeat(41)}┐┌${'─'.repeat(137)}┐`);
	assert.equal(lines[3], `┃>model-001 1/3 !┃│·  app1 crash-loop  5001,8001 react-flask││${'react-flask · backend 5001 · frontend 8001'.padEnd(137)}│`);
	assert.equal(lines[5]!.slice(61), `│${' web           running    35802->80809 1m 0'.padEnd(137)}│`);
	app.unmount();
});

test('smaller than 40x10: a screen saying what size berth needs', async () => {
	const app = renderApp(fleet(), {size: {columns: 30, rows: 8}});
	const frame = await app.waitFor('larger');
	assert.equal(frame, ['berth needs a terminal of at', 'least 40x10; this one is 30x8.', 'Make it larger, or press q to', 'quit.', '', '', '', ''].join('\n'));
	app.unmount();
});

test('wide characters and 5-digit ports: measured in cells, cut with an ellipsis, never into the next column', async () => {
	const model = '模型-claude-🚀';
	const workspace = fakeWorkspace(0, 0);
	workspace.models = [{id: model, apps: [fakeApp(model, 1, {ports: {backend: 35802, frontend: 18001}, flavour: '烧瓶-react'}), fakeApp(model, 12)]}];
	const app = renderApp(fakeServices(workspace), {size: {columns: 80, rows: 12}});
	const frame = await app.waitFor('Models 1');
	assertWhole(frame, 80, 12);
	assert.deepEqual(frame.split('\n').slice(1, 5), [
		'┏━━━━━━━━━━━━━━┓┌────────────────────────────────┐┌────────────────────────────┐',
		'┃Models 1      ┃│Apps · 模型-claude-🚀           ││Status · 模型-claude-🚀/app1│',
		'┃>模型-cla… 0/2┃│·  app1  not-created 35802,18001││烧瓶-react · backend 35802 …│',
		'┃              ┃│   app12 not-created 5023,8023  ││not started (press u)       │',
	]);
	// Wider, the flavour shows whole after its own space.
	app.unmount();
	const wide = renderApp(fakeServices(workspace), {size: {columns: 120, rows: 12}});
	const rows = (await wide.waitFor('Models 1')).split('\n');
	assertWhole(rows.join('\n'), 120, 12);
	assert.match(rows[3]!, /│· {2}app1 {2}not-created 35802,18001 烧瓶-react │/);
	wide.unmount();
});

test("action output that is not berth's is drawn as measured: disputed emoji parts, carriage returns and escapes dropped", async () => {
	const services = fleet();
	// A build's output: npm's ⚠️ (1 cell in tmux, 2 to string-width), a skin tone, a progress bar's \r and cursor moves.
	services.actionOutput = ['npm warn ⚠️ deprecated 👍🏽 ok', 'progress 10%\r\u001B[2Kprogress 100%'];
	const app = renderApp(services, {size: {columns: 100, rows: 24}});
	await app.waitFor('model-001');
	await app.press('l', 'u');
	await app.waitFor('model-001/app1 started');
	const frame = await app.waitFor('npm warn');
	assertWhole(frame, 100, 24);
	assert.match(frame, /│npm warn ⚠ deprecated 👍 ok +│/);
	assert.match(frame, /│progress 10%progress 100% +│/);
	await app.press('a');
	assert.match(await app.waitFor('Output · '), /┃npm warn ⚠ deprecated 👍 ok +┃/);
	app.unmount();
});

test('80x24 with an app to adopt (badged fixed): three columns still; the badge is cut, then left out, before a port', async () => {
	const services = fleet();
	adoptable(services, 'model-001/app2', [fixedPort('web', 8080), fixedPort('db', 5432, ['udp'])]);
	// Wide enough, the badge shows whole before the flavour does.
	const wide = renderApp(services, {size: {columns: 92, rows: 24}});
	await wide.waitFor('fixed');
	assert.match(wide.frame(), /│ {3}app2 not-created fixed 8080\+1 - {8}│/);
	wide.unmount();
	const wider = renderApp(services, {size: {columns: 86, rows: 24}});
	await wider.waitFor('fixed');
	let frame = wider.frame();
	assertWhole(frame, 86, 24);
	assert.match(frame, /│ {3}app2 not-created fixed… - +│/);
	wider.unmount();
	const narrow = renderApp(services, {size: {columns: 80, rows: 24}});
	await narrow.waitFor('Status · model-001/app1');
	await narrow.press('l', 'j');
	frame = await narrow.waitFor('A adopts');
	assertWhole(frame, 80, 24);
	assert.deepEqual(frame.split('\n').slice(2, 6), [
		'│Models 3      │┃Apps · model-001              ┃│Status · model-001/app2       │',
		'│·model-001 0/3│┃   app1 not-created 5001,8001 ┃│no flavour · no ports         │',
		'│ model-002 0/3│┃>  app2 not-created -         ┃│A adopts fixed 8080, 5432/udp │',
		'│ model-003 0/3│┃   app3 not-created 5005,8005 ┃│not started (press u)         │',
	]);
	narrow.unmount();
});
