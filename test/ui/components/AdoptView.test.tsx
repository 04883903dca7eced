import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {adoptable, fakeServices, fakeWorkspace, fixedPort} from '../fake-services.ts';
import {KEYS, renderApp, tick} from '../render-app.tsx';

// A failed assertion must not leave Ink mounted (its timers would keep the file running).
afterEach(() => cleanup());

const HAZARD =
	'service "web" mounts /srv/shared, outside the app folder: every copy of the app reads and writes the same files. Point the mount into the app folder (e.g. ./data) to give each copy its own.';

/** One model of three apps: app1 a flavour app, app2 publishing 8080 and 5432/udp, app3 publishing 80. */
function fleet() {
	const services = fakeServices(fakeWorkspace(1, 3));
	adoptable(services, 'model-001/app2', [fixedPort('web', 8080), fixedPort('db', 5432, ['udp'])], {containerNames: ['web'], hazards: [HAZARD]});
	adoptable(services, 'model-001/app3', [fixedPort('proxy', 80)], {allocated: 20_100});
	return services;
}

/** The apps pane's row of app `n` (the frame's line that shows it). */
const row = (frame: string, n: number) => frame.split('\n').find(line => new RegExp(`[ >·*] app${n} `).test(line)) ?? '';

test('apps that publish fixed host ports are badged; flavour apps are not', async () => {
	const app = renderApp(fleet());
	await app.waitFor('fixed 8080+1');
	const frame = app.frame();
	assert.match(row(frame, 2), /app2 +not-created +fixed 8080\+1 /);
	assert.match(row(frame, 3), /app3 +not-created +fixed 80 /);
	assert.doesNotMatch(row(frame, 1), /fixed/);
	assert.match(row(frame, 1), /5001,8001/);
	app.unmount();
});

test('the badge does not hold up the first frame: the status is asked once the workspace is on screen', async () => {
	const services = fleet();
	let answer: () => void = () => {};
	const statuses = services.adoptionStatus.bind(services);
	services.adoptionStatus = apps => new Promise(resolve => (answer = () => resolve(statuses(apps))));
	const app = renderApp(services);
	await app.waitFor('app3');
	assert.doesNotMatch(app.frame(), /fixed/);
	answer();
	await app.waitFor('fixed 80');
	app.unmount();
});

test('A previews the remapping of the selected app; y adopts it, the badge goes and the status pane shows original -> allocated', async () => {
	const services = fleet();
	const app = renderApp(services, {size: {columns: 120, rows: 30}});
	await app.waitFor('fixed 8080+1');
	await app.press(KEYS.enter, 'j');
	await app.waitFor('Status · model-001/app2');
	assert.match(app.frame(), /A adopts fixed 8080, 5432\/udp, container_name/);
	await app.press('A');
	const preview = await app.waitFor('Adopt? [y]es [n]o');
	assert.match(preview, /Adopt model-001\/app2/);
	assert.match(preview, /model-001\/app2: would be adopted/);
	assert.match(preview, / {2}web 8080\/tcp: 8080 -> 20000/);
	assert.match(preview, / {2}db 5432\/udp: 5432 -> 20001/);
	assert.match(preview, / {2}web container_name: web -> model-001-app2-web/);
	assert.match(preview, / {2}cannot be made safe: service "web" mounts \/srv\/shared, outside the app folder/);
	assert.deepEqual(
		services.adoptionCalls.filter(c => c.call !== 'status'),
		[{call: 'plan', apps: ['model-001/app2']}],
		'nothing is adopted before the yes',
	);
	await app.press('y');
	await app.waitFor('adopted model-001/app2: 2 port(s) remapped');
	assert.deepEqual(
		services.adoptionCalls.findLast(c => c.call === 'adopt'),
		{call: 'adopt', apps: ['model-001/app2']},
	);
	const frame = await app.waitFor('web-8080 8080 -> 20000');
	assert.match(frame, /│adopted · original -> allocated:/);
	assert.match(frame, /db-5432-udp 5432 -> 20001/);
	assert.doesNotMatch(row(frame, 2), /fixed/);
	assert.match(row(frame, 2), /app2 +not-created +20000,20001 +adopted/);
	assert.match(row(frame, 3), /fixed 80 /, 'the other app is still badged');
	app.unmount();
});

test('Esc or n cancels the preview: nothing is adopted', async () => {
	const services = fleet();
	const app = renderApp(services);
	await app.waitFor('fixed 8080+1');
	await app.press(KEYS.enter, 'j', 'A');
	await app.waitFor('Adopt? [y]es [n]o');
	await app.press(KEYS.escape);
	await app.waitFor('adoption cancelled: nothing was changed');
	assert.match(row(app.frame(), 2), /fixed 8080\+1/);
	await app.press('A');
	await app.waitFor('Adopt? [y]es [n]o');
	await app.press('n');
	await app.waitFor('adoption cancelled: nothing was changed');
	assert.equal(services.adoptionCalls.filter(c => c.call === 'adopt').length, 0);
	app.unmount();
});

test('A on marked apps previews them all and adopts them together; the marks are cleared', async () => {
	const services = fleet();
	const app = renderApp(services, {size: {columns: 120, rows: 30}});
	await app.waitFor('fixed 8080+1');
	await app.press(KEYS.enter, 'j', ' ', ' ');
	await app.waitFor('(2 marked)');
	await app.press('A');
	const preview = await app.waitFor('Adopt? [y]es [n]o');
	assert.match(preview, /Adopt 2 apps/);
	assert.match(preview, /model-001\/app2: would be adopted/);
	assert.match(preview, /model-001\/app3: would be adopted/);
	assert.match(preview, / {2}proxy 80\/tcp: 80 -> 20100/);
	await app.press(KEYS.enter);
	await app.waitFor('adopted 2 apps');
	assert.deepEqual(
		services.adoptionCalls.findLast(c => c.call === 'adopt'),
		{call: 'adopt', apps: ['model-001/app2', 'model-001/app3']},
	);
	const frame = await app.waitFor(/app3 +not-created +20100 +adopted/);
	assert.doesNotMatch(frame, /marked/);
	app.unmount();
});

test('the palette adopts too, and an app with nothing to adopt says why', async () => {
	const services = fleet();
	const app = renderApp(services);
	await app.waitFor('fixed 8080+1');
	await app.press(KEYS.enter);
	await app.press(':', ...'adopt', KEYS.enter);
	const preview = await app.waitFor('Adopt? [y]es [n]o');
	assert.match(preview, /model-001\/app1: scaffolded from flavour react-flask: its ports are allocated by berth/);
	await app.press('y');
	await app.waitFor('nothing to adopt: scaffolded from flavour react-flask');
	assert.equal(services.adoptionCalls.filter(c => c.call === 'adopt').length, 0);
	app.unmount();
});

test('a compose that cannot adopt is a message in the footer, not a preview', async () => {
	const services = fleet();
	services.adoptionProblem = 'berth adopt needs compose v2 2.24.4 or newer ("docker compose"); this is compose v1 1.29.2';
	const app = renderApp(services);
	await app.waitFor('fixed 8080+1');
	await app.press(KEYS.enter, 'j', 'A');
	await app.waitFor('adopt: berth adopt needs compose v2 2.24.4 or newer');
	assert.match(app.frame(), /Models 1/, 'the panes are back');
	app.unmount();
});

test('a 60x15 terminal keeps the preview readable: lines wrap within the frame and scroll', async () => {
	const services = fleet();
	const ENV =
		'service "web": PUBLIC_URL=http://localhost:8080/ mentions published port 8080: once berth remaps the port, the app may still advertise or call 8080.';
	adoptable(services, 'model-001/app2', [fixedPort('web', 8080), fixedPort('db', 5432, ['udp'])], {containerNames: ['web'], hazards: [HAZARD, ENV]});
	const app = renderApp(services, {size: {columns: 60, rows: 15}});
	// 60 columns show one pane at a time: enter opens the apps.
	await app.waitFor('Models 1');
	await app.press(KEYS.enter);
	await app.waitFor(/app3 +not-created +fi/);
	await app.press('j', 'A');
	const first = await app.waitFor('Adopt? [y]es [n]o');
	const lines = first.split('\n');
	assert.equal(lines.length, 15);
	for (const line of lines) assert.ok(line.length <= 60, `wider than the terminal: ${line}`);
	assert.match(first, /┃ {2}web 8080\/tcp: 8080 -> 20000 +┃/);
	assert.match(first, /lines 1-8 of \d+ \(↑↓\)/);
	// Scroll to the end: the whole warning is there, word by word, none cut off.
	let text = first;
	for (let i = 0; i < 10; i++) {
		await app.press('j');
		text += `\n${app.frame()}`;
	}
	const seen = text
		.split('\n')
		.map(line => line.replace(/^┃|┃$/g, '').trim())
		.filter(line => line.length > 0);
	const words = `cannot be made safe: ${HAZARD} cannot be made safe: ${ENV}`.split(' ');
	const joined = [...new Set(seen)].join(' ');
	for (const word of words) assert.ok(joined.includes(word), `the preview lost "${word}"`);
	await app.press(KEYS.enter);
	await app.waitFor('adopted model-001/app2');
	await tick();
	app.unmount();
});
