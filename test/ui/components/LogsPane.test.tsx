import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {cleanup} from 'ink-testing-library';
import {LogsPane} from '../../../source/ui/components/LogsPane.tsx';
import {useLogStream} from '../../../source/ui/hooks/use-log-stream.ts';
import type {WorkspaceApp} from '../../../source/ui/services.ts';
import {fakeServices, fakeWorkspace} from '../fake-services.ts';
import {KEYS, renderApp, renderWithProviders, tick} from '../render-app.tsx';

afterEach(() => cleanup());

/** The log pane as the App wires it: the stream hook feeding the pane. */
function Logs({app, service = null, width = 50, height = 7}: {app: WorkspaceApp; service?: string | null; width?: number; height?: number}) {
	const logs = useLogStream(app, {flushMs: 10, service});
	return <LogsPane appId={app.id} service={service} buffer={logs.buffer} status={logs.status} filter="" focused={false} width={width} height={height} />;
}

async function waitFor(frame: () => string, text: string) {
	const until = Date.now() + 5000;
	while (Date.now() < until && !frame().includes(text)) await tick(10);
	assert.ok(frame().includes(text), `frame never showed ${text}:\n${frame()}`);
}

test("one service's logs alone: only its lines, the title names it", async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	const app = services.workspace.models[0]!.apps[0]!;
	const feed = services.feed(app.id);
	feed.push({service: 'worker', text: 'worker line 1'}, {service: 'web', text: 'GET / 200'}, {service: 'worker', text: 'worker line 2'});
	const view = renderWithProviders(<Logs app={app} service="worker" />, services);
	const frame = () => view.lastFrame() ?? '';
	await waitFor(frame, 'worker line 2');
	assert.deepEqual(services.followed, [{app: 'model-001/app1', services: ['worker']}]);
	assert.equal(
		frame(),
		[
			'┌────────────────────────────────────────────────┐',
			'│Logs · model-001/app1 · worker (following)      │',
			'│── following model-001/app1 · worker ──         │',
			'│worker | worker line 1                          │',
			'│worker | worker line 2                          │',
			'│                                                │',
			'└────────────────────────────────────────────────┘',
		].join('\n'),
	);
	view.unmount();
});

/** The log pane's rows in an App frame: from its title row down, cut at the pane's left border. */
function logsRows(frame: string): string[] {
	const rows = frame.split('\n');
	const title = rows.findIndex(row => /[┃│]Logs/.test(row));
	assert.ok(title > 0, `no log pane in:\n${frame}`);
	const column = rows[title]!.search(/[┃│]Logs/);
	return rows
		.slice(title - 1, title + 30)
		.map(row => row.slice(column))
		.filter(row => /^[┏┃┗┌│└]/.test(row));
}

const numbered = (from: number, to: number) => Array.from({length: to - from}, (_, i) => ({service: 'worker', text: `worker line ${from + i}`}));

/** The pane's rows of lines `from` .. `to` (inclusive) of `numbered`, 42 cells wide between borders. */
const rowsOf = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => `┃${`worker | worker line ${from + i}`.padEnd(42)}┃`);
const titled = (title: string) => `┃${title.padEnd(42)}┃`;
const TOP = `┏${'━'.repeat(42)}┓`;
const BOTTOM = `┗${'━'.repeat(42)}┛`;

async function following(lines: number) {
	const services = fakeServices(fakeWorkspace(1, 1));
	// 16 + 43 columns for the lists leave the right column 44.
	const app = renderApp(services, {size: {columns: 103, rows: 24}});
	await app.waitFor('model-001');
	await app.press('l', 'l');
	const feed = services.feed('model-001/app1');
	feed.push(...numbered(1, lines + 1));
	await app.waitFor(`worker line ${lines}`);
	return {app, feed, services};
}

test('scrolled back, the log pane stands still while lines pour in, and its title counts them; G follows again', async () => {
	const {app, feed} = await following(30);
	assert.deepEqual(logsRows(app.frame()), [TOP, titled('Logs · model-001/app1 (following)'), ...rowsOf(19, 30), BOTTOM]);
	await app.press('k', 'k', 'k');
	const still = [TOP, titled('Logs · model-001/app1 (+0 new · G follows)'), ...rowsOf(16, 27), BOTTOM];
	assert.deepEqual(logsRows(app.frame()), still);
	// 2,500 lines later (the buffer holds 2,000): the same rows; the title counts what came.
	for (let i = 31; i < 2531; i += 500) feed.push(...numbered(i, i + 500));
	await app.waitFor('+2,500 new');
	// 500 of them are gone already (the view keeps its own lines): the app's name gives way in the title.
	assert.deepEqual(logsRows(app.frame()), [TOP, titled('Logs (+2,500 new, 500 dropped · G follows)'), ...rowsOf(16, 27), BOTTOM]);
	await app.press('G');
	assert.deepEqual(logsRows(app.frame()), [TOP, titled('Logs · model-001/app1 (following)'), ...rowsOf(2519, 2530), BOTTOM]);
	app.unmount();
});

const row = (text: string, width = 42) => `┃${text.padEnd(width)}┃`;
const empty = (count: number, width = 42) => Array.from({length: count}, () => row('', width));

test('w wraps long lines (rows count in scrolling), t shows timestamps, f makes the logs full-screen; esc and f return', async () => {
	const {app, feed} = await following(3);
	feed.push({service: 'web', text: 'GET /api/items?page=2&size=50 200 in 12 ms from 127.0.0.1 (curl)', timestamp: '2026-11-26T21:46:58.153823921Z'});
	await app.waitFor('web | GET');
	const head = [TOP, row('Logs · model-001/app1 (following)'), row('── following model-001/app1 ──'), ...rowsOf(1, 3)];
	assert.deepEqual(logsRows(app.frame()), [...head, row('web | GET /api/items?page=2&size=50 200 i…'), ...empty(7), BOTTOM]);
	await app.press('w');
	assert.deepEqual(logsRows(app.frame()), [
		TOP,
		row('Logs · model-001/app1 (following · wrap)'),
		...head.slice(2),
		row('web | GET /api/items?page=2&size=50 200 in'),
		row(' 12 ms from 127.0.0.1 (curl)'),
		...empty(6),
		BOTTOM,
	]);
	await app.press('t');
	assert.deepEqual(logsRows(app.frame()).slice(2, 9), [
		row('             ── following model-001/app1 ─'),
		row('─'),
		row('             worker | worker line 1'),
		row('             worker | worker line 2'),
		row('             worker | worker line 3'),
		row('21:46:58.153 web | GET /api/items?page=2&s'),
		row('ize=50 200 in 12 ms from 127.0.0.1 (curl)'),
	]);
	await app.press('f');
	const full = app.frame().split('\n');
	assert.equal(full[1], `┏${'━'.repeat(101)}┓`, 'the log pane takes the whole main area');
	assert.deepEqual(full.slice(2, 8), [
		row('Logs · model-001/app1 (following · wrap)', 101),
		row('             ── following model-001/app1 ──', 101),
		row('             worker | worker line 1', 101),
		row('             worker | worker line 2', 101),
		row('             worker | worker line 3', 101),
		row('21:46:58.153 web | GET /api/items?page=2&size=50 200 in 12 ms from 127.0.0.1 (curl)', 101),
	]);
	assert.doesNotMatch(app.frame(), /Models 1/);
	await app.press(KEYS.escape);
	assert.match(app.frame(), /Models 1/, 'esc: back to the panes');
	await app.press('f', 'f');
	assert.match(app.frame(), /Models 1/, 'f again: back to the panes');
	await app.press('f', KEYS.tab);
	assert.match(app.frame(), /Models 1/, 'the focus leaving the log pane ends full-screen');
	app.unmount();
});

test('markers say what happened and the title follows: stopped, restarted, engine lost, removed', async () => {
	const {app, feed} = await following(2);
	const title = () => logsRows(app.frame())[1];
	feed.push({service: '', text: 'stopped', berth: true, event: 'stopped'});
	await app.waitFor('── stopped ──');
	assert.deepEqual(logsRows(app.frame()).slice(1, 6), [
		row('Logs · model-001/app1 (stopped)'),
		row('── following model-001/app1 ──'),
		...rowsOf(1, 2),
		row('── stopped ──'),
	]);
	// A service's own marker (the app runs on) leaves the title as it is.
	feed.push(
		{service: '', text: 'restarted', berth: true, event: 'restarted'},
		{service: 'worker', text: 'worker line 1'},
		{service: 'worker', text: 'worker stopped', berth: true, event: 'stopped'},
	);
	await app.waitFor('── worker stopped ──');
	assert.deepEqual(logsRows(app.frame()).slice(5, 9), [row('── stopped ──'), row('── restarted ──'), ...rowsOf(1, 1), row('── worker stopped ──')]);
	assert.equal(title(), row('Logs · model-001/app1 (following)'));
	feed.push({service: '', text: 'engine lost (connect ENOENT /var/run/docker.sock): waiting for it to come back', berth: true, event: 'engine-lost'});
	await app.waitFor('── engine lost ──');
	assert.equal(title(), row('Logs · model-001… (waiting for the engine)'));
	feed.push({service: '', text: 'engine back', berth: true, event: 'engine-back'}, {service: '', text: 'removed', berth: true, event: 'removed'});
	await app.waitFor('── removed ──');
	assert.deepEqual(logsRows(app.frame()).slice(9, 12), [row('── engine lost ──'), row('── engine back ──'), row('── removed ──')]);
	assert.equal(title(), row('Logs · model-001/app1 (removed)'));
	app.unmount();
});
