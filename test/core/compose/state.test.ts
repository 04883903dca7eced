import {test} from 'node:test';
import assert from 'node:assert/strict';
import {appStateOf, fleetTotals, serviceStateOf, mapAppStates, mapListedAppStates, parseStatusText, serviceStatus} from '../../../source/core/compose/state.ts';
import type {ContainerSummary} from '../../../source/core/docker/engine.ts';
import type {ContainerDetails} from '../../../source/core/docker/inspect.ts';
import type {ServiceStatus} from '../../../source/core/compose/types.ts';

function container(project: string, service: string, state: string, status: string, extra: Partial<ContainerSummary> = {}): ContainerSummary {
	return {
		id: `${project}-${service}-id`,
		name: `${project}_${service}_1`,
		image: 'berth-test/busybox:latest',
		state,
		status,
		labels: {'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.container-number': '1'},
		ports: [],
		createdAt: 0,
		...extra,
	};
}

function svc(state: string, extra: Partial<Omit<ServiceStatus, 'status'>> = {}): ServiceStatus {
	const row = {
		service: 's',
		container: 'c',
		containerId: 'id',
		state,
		health: null,
		exitCode: null,
		ports: [],
		startedAt: null,
		restartCount: 0,
		error: null,
		...extra,
	};
	return {...row, status: serviceStateOf(row)};
}

test('health and exit code from the Engine status text', () => {
	assert.deepEqual(parseStatusText('Up 5 seconds (healthy)'), {health: 'healthy', exitCode: null});
	assert.deepEqual(parseStatusText('Up 2 minutes (unhealthy)'), {health: 'unhealthy', exitCode: null});
	assert.deepEqual(parseStatusText('Up 1 second (health: starting)'), {health: 'starting', exitCode: null});
	assert.deepEqual(parseStatusText('Exited (137) 3 seconds ago'), {health: null, exitCode: 137});
	assert.deepEqual(parseStatusText('Restarting (3) 2 seconds ago'), {health: null, exitCode: 3});
	assert.deepEqual(parseStatusText('Created'), {health: null, exitCode: null});
});

test('app states', () => {
	assert.equal(appStateOf([], true), 'not-created');
	assert.equal(appStateOf([], false), 'no-compose');
	assert.equal(appStateOf([svc('running'), svc('running')], true), 'running');
	assert.equal(appStateOf([svc('running'), svc('running', {health: 'healthy'})], true), 'healthy');
	assert.equal(appStateOf([svc('running', {health: 'starting'}), svc('running', {health: 'healthy'})], true), 'starting');
	assert.equal(appStateOf([svc('running', {health: 'unhealthy'}), svc('running', {health: 'starting'})], true), 'unhealthy');
	assert.equal(appStateOf([svc('running'), svc('exited', {exitCode: 137})], true), 'partial');
	assert.equal(appStateOf([svc('running'), svc('paused')], true), 'partial');
	assert.equal(appStateOf([svc('paused'), svc('paused')], true), 'paused');
	assert.equal(appStateOf([svc('exited', {exitCode: 0}), svc('exited', {exitCode: 143}), svc('created')], true), 'stopped');
	assert.equal(appStateOf([svc('exited', {exitCode: 1}), svc('exited', {exitCode: 0})], true), 'error');
	assert.equal(appStateOf([svc('running'), svc('restarting')], true), 'crash-loop');
	assert.equal(appStateOf([svc('restarting'), svc('dead')], true), 'error', 'a dead container outranks a crash loop');
	assert.equal(appStateOf([svc('running'), svc('dead')], true), 'error');
	assert.equal(appStateOf([svc('created', {error: 'Bind for 127.0.0.1:5001 failed: port is already allocated'}), svc('running')], true), 'error');
	// Containers left behind by an app whose compose file is gone still have a state.
	assert.equal(appStateOf([svc('running')], false), 'running');
});

test('service state words: the health of a running container, error for one that failed to start', () => {
	assert.equal(svc('running').status, 'running');
	assert.equal(svc('running', {health: 'healthy'}).status, 'healthy');
	assert.equal(svc('running', {health: 'unhealthy'}).status, 'unhealthy');
	assert.equal(svc('running', {health: 'starting'}).status, 'starting');
	assert.equal(svc('exited', {exitCode: 1}).status, 'exited');
	assert.equal(svc('restarting').status, 'restarting');
	assert.equal(svc('paused').status, 'paused');
	assert.equal(svc('created', {error: 'port is already allocated'}).status, 'error');
	assert.equal(serviceStateOf({state: 'something-new', health: null}), 'exited');
});

test('fleet totals: apps with a running container, with an unhealthy one, in error or a crash loop', () => {
	const apps = [
		{state: appStateOf([svc('running', {health: 'unhealthy'})], true), services: [svc('running', {health: 'unhealthy'})]},
		{state: appStateOf([svc('running'), svc('exited', {exitCode: 0})], true), services: [svc('running'), svc('exited', {exitCode: 0})]},
		{state: appStateOf([svc('restarting')], true), services: [svc('restarting')]},
		{state: appStateOf([svc('exited', {exitCode: 1})], true), services: [svc('exited', {exitCode: 1})]},
		{state: appStateOf([], true), services: []},
	];
	assert.deepEqual(fleetTotals(apps), {running: 2, unhealthy: 1, error: 2});
});

test('one container list maps to every app, in the order asked, other projects ignored', () => {
	const containers = [
		container('b-app1', 'worker', 'running', 'Up 3 seconds'),
		container('a-app1', 'web', 'running', 'Up 3 seconds (healthy)', {ports: [{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 8080, protocol: 'tcp'}]}),
		container('a-app1', 'worker', 'exited', 'Exited (137) 1 second ago'),
		container('foreign', 'db', 'running', 'Up 1 hour'),
		container('b-app1', 'migrate', 'exited', 'Exited (0) 1 minute ago', {
			labels: {'com.docker.compose.project': 'b-app1', 'com.docker.compose.service': 'migrate', 'com.docker.compose.oneoff': 'True'},
		}),
	];
	const apps = mapAppStates(
		[
			{id: 'm/app3', projectName: 'm-app3', hasCompose: false},
			{id: 'a/app1', projectName: 'a-app1', hasCompose: true},
			{id: 'b/app1', projectName: 'b-app1', hasCompose: true},
			{id: 'c/app1', projectName: 'c-app1', hasCompose: true},
		],
		containers,
	);
	assert.deepEqual(
		apps.map(a => [a.id, a.state, a.services.map(s => s.service)]),
		[
			['m/app3', 'no-compose', []],
			['a/app1', 'partial', ['web', 'worker']],
			['b/app1', 'running', ['worker']], // the one-off `run` container is not part of the stack
			['c/app1', 'not-created', []],
		],
	);
	const web = apps[1]!.services[0]!;
	assert.equal(web.health, 'healthy');
	assert.deepEqual(web.ports, [{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 8080, protocol: 'tcp'}]);
	assert.equal(apps[1]!.services[1]!.exitCode, 137);
});

test('v2 container names (project-service-1) map the same way: by labels', () => {
	const c = container('shop-app1', 'web', 'running', 'Up 1 second (health: starting)', {name: 'shop-app1-web-1'});
	const [app] = mapAppStates([{id: 'shop/app1', projectName: 'shop-app1', hasCompose: true}], [c]);
	assert.equal(app!.state, 'starting');
	assert.equal(app!.services[0]!.container, 'shop-app1-web-1');
	assert.equal(app!.services[0]!.service, 'web');
});

test('inspect details win over a list row the Engine has not updated yet', () => {
	const row = container('a-app1', 'worker', 'running', 'Up 9 seconds', {ports: [{hostIp: '127.0.0.1', hostPort: 5003, containerPort: 80, protocol: 'tcp'}]});
	const details: ContainerDetails = {
		id: row.id,
		state: 'exited',
		restartCount: 2,
		startedAt: '2026-01-01T10:00:00.000Z',
		exitCode: 137,
		health: null,
		error: '',
	};
	const status = serviceStatus(row, details);
	assert.equal(status.state, 'exited');
	assert.equal(status.exitCode, 137);
	assert.equal(status.restartCount, 2);
	assert.equal(status.startedAt, '2026-01-01T10:00:00.000Z');
	assert.deepEqual(status.ports, [], 'a stopped container publishes nothing');
	const [app] = mapAppStates([{id: 'a/app1', projectName: 'a-app1', hasCompose: true}], [row], new Map([[row.id, details]]));
	assert.equal(app!.state, 'stopped');
});

test('a container that never started has no exit code; an Engine start error makes the app an error', () => {
	const row = container('a-app1', 'web', 'created', 'Created');
	const details: ContainerDetails = {
		id: row.id,
		state: 'created',
		restartCount: 0,
		startedAt: null,
		exitCode: 128,
		health: null,
		error: 'driver failed programming external connectivity: Bind for 127.0.0.1:5001 failed: port is already allocated',
	};
	const status = serviceStatus(row, details);
	assert.equal(status.exitCode, null);
	assert.match(status.error ?? '', /port is already allocated/);
	assert.equal(mapAppStates([{id: 'a/app1', projectName: 'a-app1', hasCompose: true}], [row], new Map([[row.id, details]]))[0]!.state, 'error');
});

test('from the list alone: the same states, the Engine status text, no restart count or start time unless inspected', () => {
	const apps = [
		{id: 'a/app1', projectName: 'a-app1', hasCompose: true},
		{id: 'b/app1', projectName: 'b-app1', hasCompose: true},
	];
	const containers = [
		container('a-app1', 'web', 'running', 'Up 5 minutes (unhealthy)', {ports: [{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 8080, protocol: 'tcp'}]}),
		container('a-app1', 'worker', 'exited', 'Exited (1) 2 minutes ago'),
		container('b-app1', 'web', 'created', 'Created'),
	];
	const failed: ContainerDetails = {
		id: containers[2]!.id,
		state: 'created',
		restartCount: 0,
		startedAt: null,
		exitCode: 128,
		health: null,
		error: 'Bind for 127.0.0.1:5001 failed: port is already allocated',
	};
	const listed = mapListedAppStates(apps, containers, new Map([[failed.id, failed]]));
	assert.deepEqual(
		listed.map(a => a.state),
		['partial', 'error'],
	);
	assert.deepEqual(listed[0]!.services, [
		{
			service: 'web',
			container: 'a-app1_web_1',
			containerId: 'a-app1-web-id',
			state: 'running',
			status: 'unhealthy',
			health: 'unhealthy',
			exitCode: null,
			ports: containers[0]!.ports,
			startedAt: null,
			restartCount: null,
			error: null,
			statusText: 'Up 5 minutes (unhealthy)',
		},
		{
			service: 'worker',
			container: 'a-app1_worker_1',
			containerId: 'a-app1-worker-id',
			state: 'exited',
			status: 'exited',
			health: null,
			exitCode: 1,
			ports: [],
			startedAt: null,
			restartCount: null,
			error: null,
			statusText: 'Exited (1) 2 minutes ago',
		},
	]);
	assert.deepEqual(listed[1]!.services[0], {
		service: 'web',
		container: 'b-app1_web_1',
		containerId: 'b-app1-web-id',
		state: 'created',
		status: 'error',
		health: null,
		exitCode: null,
		ports: [],
		startedAt: null,
		restartCount: 0,
		error: failed.error,
		statusText: 'Created',
	});
	// Inspecting everything gives the same app states.
	assert.deepEqual(
		mapAppStates(apps, containers, new Map([[failed.id, failed]])).map(a => a.state),
		listed.map(a => a.state),
	);
});

test('a die or health event is applied before the query confirms it', async () => {
	const {applyEvent} = await import('../../../source/core/compose/state.ts');
	const web = svc('running', {
		service: 'web',
		containerId: 'w',
		health: 'healthy',
		ports: [{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 8080, protocol: 'tcp'}],
	});
	const worker = svc('running', {service: 'worker', containerId: 'k'});
	const apps = [{id: 'a/app1', projectName: 'a-app1', state: 'running' as const, services: [web, worker]}];
	const died = applyEvent(apps, {type: 'container', action: 'die', id: 'k', attributes: {exitCode: '137'}, timeNano: 0});
	assert.equal(died?.[0]?.state, 'partial');
	assert.deepEqual(died?.[0]?.services[1], {...worker, state: 'exited', status: 'exited', exitCode: 137});
	const sick = applyEvent(apps, {type: 'container', action: 'health_status: unhealthy', id: 'w', attributes: {}, timeNano: 0});
	assert.equal(sick?.[0]?.state, 'unhealthy');
	assert.equal(sick?.[0]?.services[0]?.status, 'unhealthy', 'the service word follows the event too');
	assert.equal(applyEvent(apps, {type: 'container', action: 'start', id: 'k', attributes: {}, timeNano: 0}), null, 'start needs the query');
	assert.equal(applyEvent(apps, {type: 'container', action: 'die', id: 'other', attributes: {}, timeNano: 0}), null, 'not one of ours');
});
