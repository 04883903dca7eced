import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	adoptionBadge,
	adoptionPreviewLines,
	fixedPortText,
	wrapText,
	appBadge,
	appRowText,
	fit,
	formatPorts,
	formatPublished,
	formatUptime,
	openUrlOf,
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
});

test('rows fit their width', () => {
	assert.equal(fit('react-flask', 6), 'react…');
	assert.equal(fit('ab', 4), 'ab  ');
	const row = appRowText(fakeApp('m', 12), true, 40);
	assert.equal(row.head, '* app12 ');
	assert.equal(row.tail, ' 5023,8023  react-fl…');
	assert.equal(row.head.length + 11 + row.tail.length, 40);
	assert.equal(modelRowText({id: 'anthropic_claude-3.7-sonnet', apps: 30, running: 2}, 20), 'anthropic_clau… 2/30');
	assert.equal(modelRowText({id: 'm', apps: 3, running: 0}, 10), 'm      0/3');
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
