import {test} from 'node:test';
import assert from 'node:assert/strict';
import {preflight, type PreflightProbe} from '../../../source/core/compose/preflight.ts';
import {BerthError, PortConflictError} from '../../../source/core/errors.ts';
import type {AppModel} from '../../../source/core/compose/model.ts';
import type {ContainerSummary} from '../../../source/core/docker/engine.ts';

const target = {
	id: 'shop/app1',
	projectName: 'shop-app1',
	path: '/apps/shop/app1',
	composeFile: '/apps/shop/app1/compose.yaml',
	ports: {backend: 5001, frontend: 8001},
};

function published(port: number, project: string): [number, ContainerSummary] {
	return [
		port,
		{id: 'x', name: `${project}_web_1`, image: 'i', state: 'running', status: 'Up', labels: {'com.docker.compose.project': project}, ports: [], createdAt: 0},
	];
}

function probe(map: Map<number, ContainerSummary>, bound: Record<number, string>): PreflightProbe {
	return {
		publishedPorts: async () => map,
		isBound: async port => port in bound || map.has(port),
		describe: async (port, pub) => {
			const c = (pub ?? map).get(port);
			if (c) return {port, kind: 'container', description: `container ${c.name} (compose project ${c.labels['com.docker.compose.project']})`};
			return {port, kind: 'process', description: bound[port]!};
		},
	};
}

test('free ports, or ports published by the app itself, pass', async () => {
	await preflight(target, probe(new Map(), {}));
	await preflight(target, probe(new Map([published(5001, 'shop-app1'), published(8001, 'shop-app1')]), {}));
	await preflight({...target, ports: null}, probe(new Map(), {5001: 'x'}));
});

test('a port held by a process or by another project is refused, naming port, slot and holder', async () => {
	await assert.rejects(preflight(target, probe(new Map([published(8001, 'other-app2')]), {5001: 'process 4121 (node)'})), (error: unknown) => {
		assert.ok(error instanceof PortConflictError);
		assert.equal(error.exitCode, 1);
		assert.deepEqual(error.conflicts, [
			{port: 5001, holder: 'process 4121 (node)'},
			{port: 8001, holder: 'container other-app2_web_1 (compose project other-app2)'},
		]);
		assert.match(
			error.message,
			/^cannot start shop\/app1: port 5001 \(backend\) is in use by process 4121 \(node\); port 8001 \(frontend\) is in use by container other-app2_web_1 \(compose project other-app2\)\. Nothing was started\./,
		);
		return true;
	});
});

test("the compose model's ports are checked on their own address and protocol; an allocated port once; a refused model stops up", async () => {
	const port = (service: string, hostPort: number, hostIp: string | null, protocol: 'tcp' | 'udp') => ({
		service,
		target: 80,
		hostPort,
		hostRange: null,
		hostIp,
		protocol,
	});
	const model: AppModel = {
		declaredName: null,
		files: ['/apps/shop/app1/compose.yaml', '/apps/shop/app1/compose.override.yaml'],
		source: 'compose v2 2.26.1',
		config: null,
		error: null,
		warnings: [],
		services: [
			{
				name: 'web',
				ports: [port('web', 5001, '127.0.0.1', 'tcp'), port('web', 5353, '127.0.0.1', 'udp')],
				networkMode: null,
				containerName: null,
				profiles: [],
				active: true,
			},
			// Not started by a plain up: not checked.
			{name: 'debug', ports: [port('debug', 9229, null, 'tcp')], networkMode: null, containerName: null, profiles: ['debug'], active: false},
		],
	};
	const asked: string[] = [];
	const base = probe(new Map(), {5353: 'process 7 (dnsmasq)'});
	const withModel: PreflightProbe = {
		...base,
		isBound: async (p, hostIp, protocol) => {
			asked.push(`${hostIp ?? '*'}:${p}/${protocol ?? 'tcp'}`);
			return p in {5353: 1};
		},
		model: async () => model,
	};
	await assert.rejects(preflight(target, withModel), (error: unknown) => {
		assert.ok(error instanceof PortConflictError);
		assert.match(error.message, /port 5353 \(service web, 127\.0\.0\.1\/udp\) is in use by process 7 \(dnsmasq\)/);
		assert.match(error.message, /change the host port in \/apps\/shop\/app1\/compose\.yaml or \/apps\/shop\/app1\/compose\.override\.yaml/);
		return true;
	});
	assert.deepEqual(asked, ['*:5001/tcp', '*:8001/tcp', '127.0.0.1:5353/udp']);

	const refused: AppModel = {...model, services: [], error: '/apps/shop/app1/compose.yaml: compose refused it: invalid hostPort'};
	await assert.rejects(preflight(target, {...base, model: async () => refused}), (error: unknown) => {
		assert.ok(error instanceof BerthError && !(error instanceof PortConflictError));
		assert.equal(error.code, 'compose-file');
		assert.match(error.message, /^cannot start shop\/app1: \/apps\/shop\/app1\/compose\.yaml: compose refused it: invalid hostPort\. Nothing was started\.$/);
		return true;
	});
});

test("a port the app's own container publishes is never blamed on another container that publishes the same number", async () => {
	// Several containers may publish one port number (another address, another protocol): the map of
	// published ports keeps one of them, and it may not be the app's.
	const container = (project: string, protocol: string, hostIp: string): ContainerSummary => ({
		id: project,
		name: `${project}-web-1`,
		image: 'i',
		state: 'running',
		status: 'Up',
		labels: {'com.docker.compose.project': project},
		ports: [{hostIp, hostPort: 5001, containerPort: 8080, protocol}],
		createdAt: 0,
	});
	const own = container('shop-app1', 'tcp', '127.0.0.1');
	const other = container('other-app2', 'udp', '0.0.0.0');
	const map = new Map([[5001, other]]);
	const withBoth: PreflightProbe = {...probe(map, {5001: 'process 77 (docker-proxy)'}), containers: async () => [own, other]};
	await preflight({...target, ports: {backend: 5001}}, withBoth);
	// The other container publishing the same number over the same protocol is a conflict, named.
	const tcpOther = container('other-app2', 'tcp', '127.0.0.2');
	const clash: PreflightProbe = {...probe(new Map([[5001, tcpOther]]), {}), containers: async () => [tcpOther]};
	await assert.rejects(preflight({...target, ports: {backend: 5001}}, clash), /port 5001 \(backend\) is in use by container other-app2-web-1/);
});
