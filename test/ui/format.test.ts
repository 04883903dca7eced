import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	adoptionBadge,
	adoptionPreviewLines,
	fixedPortText,
	wrapText,
	appBadge,
	appColumns,
	appRowCells,
	appsPaneWidths,
	cut,
	fitCells,
	modelsPaneWidths,
	serviceTable,
	textWidth,
	fit,
	formatPorts,
	formatPublished,
	formatUptime,
	openUrlOf,
	markPlacement,
	modelRowCells,
	modelRowText,
	serviceBadge,
	visibleWindow,
} from '../../source/ui/format.ts';
import {fakeApp, runningService} from './fake-services.ts';

test('formatUptime', () => {
	assert.equal(formatUptime(null, 1000), '-');
	assert.equal(formatUptime(0, 12_000), '12s');
	assert.equal(formatUptime(0, 4 * 60_000 + 5000), '4m');
	assert.equal(formatUptime(0, (3 * 60 + 5) * 60_000), '3h 05m');
	assert.equal(formatUptime(0, (2 * 24 + 4) * 3_600_000), '2d 4h');
	assert.equal(formatUptime(5000, 1000), '-', 'a start in the future (clock skew) is unknown');
});

test('ports cells', () => {
	assert.equal(formatPorts({backend: 5001, frontend: 8001}), '5001,8001');
	assert.equal(formatPorts(null), '-');
	assert.equal(formatPublished([{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 80, protocol: 'tcp'}]), '5001->80');
	assert.equal(formatPublished([]), '-');
});

test("badges show core's state word, coloured by the UI", () => {
	assert.deepEqual(appBadge(undefined), {text: 'unknown', tone: 'muted'}, 'no answer yet');
	assert.deepEqual(appBadge('no-compose'), {text: 'no-compose', tone: 'muted'});
	assert.deepEqual(appBadge('not-created'), {text: 'not-created', tone: 'muted'});
	assert.deepEqual(appBadge('healthy'), {text: 'healthy', tone: 'ok'});
	assert.deepEqual(appBadge('unhealthy'), {text: 'unhealthy', tone: 'error'});
	assert.deepEqual(appBadge('crash-loop'), {text: 'crash-loop', tone: 'error'});
	assert.deepEqual(appBadge('starting'), {text: 'starting', tone: 'warn'});
	assert.deepEqual(appBadge('partial'), {text: 'partial', tone: 'warn'});
	assert.deepEqual(appBadge('stopped'), {text: 'stopped', tone: 'muted'});
	assert.deepEqual(serviceBadge(runningService('web', {state: 'exited', exitCode: 0})), {text: 'exited (0)', tone: 'muted'});
	assert.deepEqual(serviceBadge(runningService('web', {state: 'exited', exitCode: 137})), {text: 'exited (137)', tone: 'muted'});
	assert.deepEqual(serviceBadge(runningService('web', {health: 'healthy'})), {text: 'healthy', tone: 'ok'});
	assert.deepEqual(serviceBadge(runningService('web', {state: 'restarting'})), {text: 'restarting', tone: 'error'});
	// A crash loop says how the container last exited, as docker's "Restarting (3) 2 seconds ago" does.
	assert.deepEqual(serviceBadge(runningService('web', {state: 'restarting', exitCode: 3})), {text: 'restarting (3)', tone: 'error'});
});

const plain = (cells: readonly {text: string}[]) => cells.map(c => c.text).join('');

test('rows fit their width, measured in terminal cells: wide characters take two, never half of one', () => {
	assert.equal(fit('react-flask', 6), 'react…');
	assert.equal(fit('ab', 4), 'ab  ');
	assert.equal(textWidth('模型'), 4);
	assert.equal(textWidth('🚀x'), 3);
	assert.equal(fit('模型-一号', 5), '模型…', 'a wide character is not cut in half: one cell of padding');
	assert.equal(textWidth(fit('模型-一号', 5)), 5);
	assert.equal(fit('模型-一号', 6), '模型-…');
	assert.equal(cut('🚀🚀🚀', 4), '🚀…');
	assert.equal(modelRowText({id: 'anthropic_claude-3.7-sonnet', apps: 30, running: 2}, 20), 'anthropic_clau… 2/30');
	assert.equal(modelRowText({id: 'm', apps: 3, running: 0}, 10), 'm      0/3');
	assert.equal(modelRowText({id: '模型-claude', apps: 3, running: 0}, 12), '模型-cl… 0/3');
});

test('cells are cut to the width as one row: an ellipsis where the cut falls, in the colour of the cell it cuts', () => {
	const cells = [{text: 'ab '}, {text: 'error', tone: 'error' as const}, {text: ' tail'}];
	assert.deepEqual(fitCells(cells, 14), [...cells, {text: ' '}]);
	assert.deepEqual(fitCells(cells, 13), cells);
	assert.deepEqual(fitCells(cells, 6), [{text: 'ab '}, {text: 'er…', tone: 'error'}]);
	assert.deepEqual(fitCells(cells, 7), [{text: 'ab '}, {text: 'err…', tone: 'error'}]);
	assert.deepEqual(fitCells(cells, 8), [{text: 'ab '}, {text: 'error', tone: 'error'}], 'a cut between cells: the row ends at the edge');
	assert.deepEqual(fitCells(cells, 9), [{text: 'ab '}, {text: 'error', tone: 'error'}, {text: ' '}], 'a cut before the tail shows: no ellipsis');
	assert.deepEqual(fitCells([{text: 'ab   '}, {text: 'x'}], 4), [{text: 'ab  '}], 'a cut in padding: no ellipsis');
	assert.deepEqual(fitCells([{text: 'a模型'}], 3), [{text: 'a…'}, {text: ' '}], 'half a wide character is padding');
	assert.deepEqual(fitCells(cells, 0), []);
});

test('apps rows: columns as wide as the fleet needs them, a space between any two, 5-digit ports whole', () => {
	const apps = [fakeApp('m', 1), fakeApp('m', 12, {ports: {backend: 35802, frontend: 18001}}), fakeApp('m', 3, {flavour: null, berthOverride: '/o.yaml'})];
	const columns = appColumns(apps);
	assert.deepEqual(columns, {number: 5, ports: 11, note: 0, flavour: 11});
	assert.deepEqual(appsPaneWidths(columns), {min: 2 + 3 + 5 + 1 + 11 + 1 + 11, want: 34 + 1 + 11});
	const badge = {text: 'restarting', tone: 'error' as const};
	const row = (app: (typeof apps)[number], width: number) => plain(appRowCells(app, false, width, badge, columns));
	assert.equal(row(apps[1]!, 43), '  app12 restarting  35802,18001 react-flask');
	assert.equal(row(apps[0]!, 43), '  app1  restarting  5001,8001   react-flask');
	assert.equal(row(apps[2]!, 43), '  app3  restarting  5005,8005   adopted    ');
	assert.equal(row(apps[1]!, 36), '  app12 restarting  35802,18001 rea…', 'the flavour is cut, the ports never run into it');
	assert.equal(textWidth(row(apps[1]!, 36)), 36);
	// A busy badge fills the state column; one space still parts it from the ports.
	assert.equal(plain(appRowCells(apps[0]!, true, 30, {text: 'stopping 3s', tone: 'info'}, columns)), '* app1  stopping 3s 5001,8001 ');
	// The adoption badge gets a column of its own after the state (blank on rows without one).
	const fixed = {text: 'fixed 8080+1', tone: 'warn' as const};
	const noted = appColumns(apps, app => (app.number === 3 ? fixed : null));
	assert.equal(noted.note, 12);
	assert.equal(plain(appRowCells(apps[2]!, false, 60, badge, noted, fixed)), '  app3  restarting  fixed 8080+1 5005,8005   adopted'.padEnd(60));
	assert.equal(plain(appRowCells(apps[0]!, false, 60, badge, noted)), '  app1  restarting               5001,8001   react-flask'.padEnd(60));
	// The badge is not part of the least width: narrow, it is cut, then left out, never the ports.
	assert.deepEqual(appsPaneWidths(noted), {min: 34, want: 34 + 13 + 12});
	assert.equal(plain(appRowCells(apps[2]!, false, 38, badge, noted, fixed)), '  app3  restarting  fixed… 5005,8005  ');
	assert.equal(plain(appRowCells(apps[2]!, false, 35, badge, noted, fixed)), '  app3  restarting  5005,8005   ad…');
});

test('the models pane wants its longest id and counts, up to 36 cells', () => {
	assert.deepEqual(modelsPaneWidths([{id: 'model-001', apps: 3, running: 1}]), {min: 16, want: 16});
	assert.deepEqual(modelsPaneWidths([{id: 'anthropic_claude-3.7-sonnet', apps: 24, running: 12}]), {min: 16, want: 3 + 27 + 6});
	assert.equal(modelsPaneWidths([{id: 'x'.repeat(128), apps: 1, running: 0}]).want, 36);
	assert.deepEqual(modelsPaneWidths([{id: 'model-001', apps: 3, running: 1, attention: 1}]), {min: 16, want: 18}, 'room for the mark');
});

test('the models mark: a column when the ids fit beside it, else the space before the counts; none when all is well', () => {
	const rows = [
		{id: 'model-001', apps: 3, running: 1, attention: 1},
		{id: 'model-002', apps: 3, running: 0, attention: 0},
	];
	assert.equal(markPlacement(rows, 15), 'column');
	assert.equal(markPlacement(rows, 14), 'tight');
	assert.equal(markPlacement([rows[1]!], 10), 'none');
	assert.deepEqual(modelRowCells(rows[0]!, 15, 'column'), [{text: 'model-001 1/3'}, {text: ' !', tone: 'error'}]);
	assert.deepEqual(modelRowCells(rows[1]!, 15, 'column'), [{text: 'model-002 0/3  '}]);
	assert.deepEqual(modelRowCells(rows[0]!, 13, 'tight'), [{text: 'model-001'}, {text: '!', tone: 'error'}, {text: '1/3'}]);
	assert.deepEqual(modelRowCells(rows[1]!, 13, 'tight'), [{text: 'model-002'}, {text: ' '}, {text: '0/3'}]);
	assert.deepEqual(modelRowCells(rows[1]!, 13, 'none'), [{text: 'model-002 0/3'}]);
});

test('the service table: columns sized to their content, dropped from the right when the pane is narrow', () => {
	const port = (hostPort: number, containerPort: number) => ({hostIp: '127.0.0.1', hostPort, containerPort, protocol: 'tcp'});
	const services = [
		runningService('web', {ports: [port(35802, 80809)], startedAt: 0, restarts: 0}),
		runningService('database-long', {state: 'restarting', ports: [port(15005, 8080)], restarts: 12}),
	];
	const lines = (width: number) => {
		const table = serviceTable(services, 60_000, width);
		return [plain(table.header), ...table.rows.map(plain)];
	};
	assert.deepEqual(lines(60), [
		'SERVICE       STATE      PORTS        UP RST                ',
		'web           running    35802->80809 1m 0                  ',
		'database-long restarting 15005->8080  -  12                 ',
	]);
	assert.deepEqual(lines(37), ['SERVICE    STATE      PORTS        UP', 'web        running    35802->80809 1m', 'database-… restarting 15005->8080  - ']);
	// The last column shown is cut rather than left out while 5 of its cells show.
	assert.deepEqual(lines(30), ['SERVICE  STATE      PORTS     ', 'web      running    35802->80…', 'databas… restarting 15005->80…']);
	assert.deepEqual(lines(22), ['SERVICE     STATE     ', 'web         running   ', 'database-l… restarting'], 'name and state always show');
	const table = serviceTable(services, 60_000, 30);
	assert.deepEqual(table.rows[1]![1], {text: 'restarting ', tone: 'error'}, 'the state keeps its colour');
});

test('o opens what a running container publishes: the frontend slot, else the first port, else nothing', () => {
	const app = fakeApp('m', 1);
	const port = (hostPort: number, containerPort = 80, hostIp = '127.0.0.1', protocol = 'tcp') => ({hostIp, hostPort, containerPort, protocol});
	assert.equal(openUrlOf(app, []), null, 'allocated but not published: nothing to open');
	assert.equal(openUrlOf(app, [runningService('api', {ports: [port(5001)]}), runningService('web', {ports: [port(8001)]})]), 'http://127.0.0.1:8001/');
	assert.equal(openUrlOf(app, [runningService('api', {ports: [port(5353, 53, '0.0.0.0', 'udp'), port(5001, 80, '0.0.0.0')]})]), 'http://127.0.0.1:5001/');
	assert.equal(openUrlOf(app, [runningService('web', {state: 'exited', exitCode: 0, ports: [port(8001)]})]), null, 'a stopped container publishes nothing');
});

test('visibleWindow keeps the selection in view and renders only what fits', () => {
	assert.deepEqual(visibleWindow(5, 0, 10), {start: 0, end: 5});
	assert.deepEqual(visibleWindow(500, 0, 10), {start: 0, end: 10});
	assert.deepEqual(visibleWindow(500, 250, 10), {start: 245, end: 255});
	assert.deepEqual(visibleWindow(500, 499, 10), {start: 490, end: 500});
	assert.deepEqual(visibleWindow(0, 0, 10), {start: 0, end: 0});
});

test('the adoption badge: the first fixed port and how many more, gone once adopted', () => {
	const slot = (original: number[], protocols: ('tcp' | 'udp')[]) => ({slot: 's', service: 'web', target: original[0]!, protocols, hostIps: [null], original});
	assert.equal(fixedPortText(slot([8080], ['tcp'])), '8080');
	assert.equal(fixedPortText(slot([53], ['tcp', 'udp'])), '53/tcp+udp');
	assert.equal(fixedPortText(slot([80, 8080], ['udp'])), '80,8080/udp');
	const status = {fixed: [slot([8080], ['tcp']), slot([5432], ['udp'])], containerNames: [], adopted: null, error: null};
	assert.deepEqual(adoptionBadge({berthOverride: null}, status), {text: 'fixed 8080+1', tone: 'warn'});
	assert.equal(adoptionBadge({berthOverride: '/o.yaml'}, status), null, 'adopted: no badge, even before the status is asked again');
	assert.deepEqual(adoptionBadge({berthOverride: null}, {...status, fixed: [], containerNames: ['web']}), {text: 'fixed name', tone: 'warn'});
	assert.equal(adoptionBadge({berthOverride: null}, {...status, fixed: []}), null);
	assert.equal(adoptionBadge({berthOverride: null}, {...status, error: 'compose refused it'}), null);
	assert.equal(adoptionBadge({berthOverride: null}, undefined), null);
});

test('wrapText cuts at spaces, indents what follows and never exceeds the width', () => {
	assert.deepEqual(wrapText('short', 20), ['short']);
	assert.deepEqual(wrapText('one two three four five', 10, '  '), ['one two', '  three', '  four', '  five']);
	const long = wrapText(`see ${'x'.repeat(30)} end`, 12, '  ');
	for (const line of long) assert.ok(line.length <= 12, line);
	assert.equal(long.join('').replace(/ /g, ''), `see${'x'.repeat(30)}end`);
	// Measured in cells: a CJK character takes two.
	assert.deepEqual(wrapText('端口 5001 已被 占用了 一个 很长的 句子', 10, '  '), ['端口 5001', '  已被', '  占用了', '  一个', '  很长的', '  句子']);
	const wide = wrapText('模型模型模型模型模型模型', 7);
	for (const line of wide) assert.ok(textWidth(line) <= 7, line);
	assert.equal(wide.join(''), '模型模型模型模型模型模型');
});

test('the adoption preview names every port as service target/proto: original -> allocated', () => {
	const lines = adoptionPreviewLines(
		[
			{
				app: 'm/app1',
				status: 'would-adopt',
				message: '',
				projectName: 'm-app1',
				ports: [{slot: 'dns-53', service: 'dns', target: 53, protocols: ['tcp', 'udp'], hostIps: ['127.0.0.1'], original: [53], allocated: 20001}],
				released: [{slot: 'old-9000', port: 20009}],
				containerNames: [],
				kept: [],
				override: null,
				hazards: [],
			},
			{
				app: 'm/app2',
				status: 'failed',
				message: 'compose cannot read it',
				projectName: 'm-app2',
				ports: [],
				released: [],
				containerNames: [],
				kept: [],
				override: null,
				hazards: [],
			},
		],
		80,
	);
	assert.deepEqual(
		lines.map(l => l.text),
		[
			'm/app1: would be adopted',
			'  dns 53/tcp+udp on 127.0.0.1: 53 -> 20001',
			'  released old-9000 (20009): no longer published',
			'm/app2: cannot adopt: compose cannot read it',
		],
	);
	assert.equal(lines.at(-1)?.tone, 'error');
});
