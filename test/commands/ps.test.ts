import {test} from 'node:test';
import assert from 'node:assert/strict';
import {changeLine, formatAge, formatServiceState, statusRows, uptimeFromStatus} from '../../source/commands/ps.ts';
import {table} from '../../source/commands/output.ts';
import type {AppStatus, ListedServiceStatus, ServiceStatus} from '../../source/core/compose/types.ts';

const now = Date.parse('2026-01-01T12:00:00.000Z');
const web: ServiceStatus = {
	service: 'web',
	container: 'a-app1_web_1',
	containerId: 'w',
	state: 'running',
	status: 'healthy',
	health: 'healthy',
	exitCode: null,
	ports: [{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 8080, protocol: 'tcp'}],
	startedAt: '2026-01-01T11:58:30.000Z',
	restartCount: 1,
	error: null,
};
const worker: ServiceStatus = {
	...web,
	service: 'worker',
	container: 'a-app1_worker_1',
	state: 'exited',
	status: 'exited',
	health: null,
	exitCode: 137,
	ports: [],
	restartCount: 0,
};

test('service state, age', () => {
	assert.equal(formatServiceState(web), 'healthy');
	assert.equal(formatServiceState(worker), 'exited (137)');
	assert.equal(formatServiceState({...worker, state: 'created', status: 'created', exitCode: null}), 'created');
	assert.equal(formatAge('2026-01-01T11:59:55.000Z', now), '5s');
	assert.equal(formatAge('2026-01-01T11:58:30.000Z', now), '1m');
	assert.equal(formatAge('2026-01-01T09:00:00.000Z', now), '3h');
	assert.equal(formatAge(null, now), '-');
});

test('the ps table: an app row, its services below', () => {
	const apps: AppStatus[] = [
		{id: 'a/app1', projectName: 'a-app1', state: 'partial', services: [web, worker]},
		{id: 'b/app2', projectName: 'b-app2', state: 'not-created', services: []},
	];
	assert.deepEqual(table(statusRows(apps, now)), [
		'APP     STATE        SERVICE  CONTAINER STATE  PORTS                 UP  RESTARTS',
		'a/app1  partial      web      healthy          127.0.0.1:5001->8080  1m  1',
		'                     worker   exited (137)     -                     -   0',
		'b/app2  not-created  -',
	]);
	assert.equal(changeLine(apps[0]!, '2026-01-01T12:00:01.000Z'), '12:00:01 a/app1 partial (web healthy, worker exited (137))');
});

test('uptime in the Engine words, shortened', () => {
	assert.equal(uptimeFromStatus('Up Less than a second'), '0s');
	assert.equal(uptimeFromStatus('Up 1 second'), '1s');
	assert.equal(uptimeFromStatus('Up 42 seconds (health: starting)'), '42s');
	assert.equal(uptimeFromStatus('Up About a minute (healthy)'), '1m');
	assert.equal(uptimeFromStatus('Up 5 minutes (Paused)'), '5m');
	assert.equal(uptimeFromStatus('Up About an hour'), '1h');
	assert.equal(uptimeFromStatus('Up 30 hours'), '1d');
	assert.equal(uptimeFromStatus('Up 3 days'), '3d');
	assert.equal(uptimeFromStatus('Up 2 weeks'), '2w');
	assert.equal(uptimeFromStatus('Up 4 months (healthy)'), '4mo');
	assert.equal(uptimeFromStatus('Up 2 years'), '2y');
	assert.equal(uptimeFromStatus('Exited (0) 2 minutes ago'), '-');
	assert.equal(uptimeFromStatus(undefined), '-');
});

test('the ps table of a fleet from the list alone: the Engine uptime, no restart count', () => {
	const listedWeb: ListedServiceStatus = {...web, startedAt: null, restartCount: null, statusText: 'Up 2 hours (healthy)'};
	const listedWorker: ListedServiceStatus = {...worker, startedAt: null, restartCount: null, statusText: 'Exited (137) 5 seconds ago'};
	assert.deepEqual(table(statusRows([{id: 'a/app1', projectName: 'a-app1', state: 'partial', services: [listedWeb, listedWorker]}], now)), [
		'APP     STATE    SERVICE  CONTAINER STATE  PORTS                 UP  RESTARTS',
		'a/app1  partial  web      healthy          127.0.0.1:5001->8080  2h  -',
		'                 worker   exited (137)     -                     -   -',
	]);
});
