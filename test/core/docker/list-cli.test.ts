import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseCliContainer, parseCliTime, parseLabelsColumn, parsePortsColumn} from '../../../source/core/docker/list-cli.ts';

test('the Ports column: IPv4, IPv6 in both CLI spellings, ranges; exposed-only ports left out', () => {
	assert.deepEqual(parsePortsColumn('127.0.0.1:5001->8080/tcp'), [{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 8080, protocol: 'tcp'}]);
	// docker 20.10 writes ":::8001", newer CLIs "[::]:8001"; the Engine API says "::" for both.
	assert.deepEqual(parsePortsColumn('0.0.0.0:8001->80/tcp, :::8001->80/tcp, [::]:8002->81/udp'), [
		{hostIp: '0.0.0.0', hostPort: 8001, containerPort: 80, protocol: 'tcp'},
		{hostIp: '::', hostPort: 8001, containerPort: 80, protocol: 'tcp'},
		{hostIp: '::', hostPort: 8002, containerPort: 81, protocol: 'udp'},
	]);
	// A compacted range is one entry per port, as the Engine API lists them.
	assert.deepEqual(parsePortsColumn('127.0.0.1:5000-5001->6000-6001/tcp'), [
		{hostIp: '127.0.0.1', hostPort: 5000, containerPort: 6000, protocol: 'tcp'},
		{hostIp: '127.0.0.1', hostPort: 5001, containerPort: 6001, protocol: 'tcp'},
	]);
	assert.deepEqual(parsePortsColumn('80/tcp, 443/tcp'), []);
	assert.deepEqual(parsePortsColumn(''), []);
});

test('the Labels column: values holding commas stay whole', () => {
	assert.deepEqual(parseLabelsColumn('com.docker.compose.project.config_files=/a/x.yml,/b/y.yml,com.docker.compose.project=shop-app1,empty='), {
		'com.docker.compose.project.config_files': '/a/x.yml,/b/y.yml',
		'com.docker.compose.project': 'shop-app1',
		empty: '',
	});
	assert.deepEqual(parseLabelsColumn(''), {});
});

test('CreatedAt in any zone; unreadable is 0', () => {
	assert.equal(parseCliTime('2026-11-23 16:30:48 +0000 UTC'), Date.parse('2026-11-23T16:30:48Z'));
	// Date.parse alone returns NaN for this one (the zone abbreviation).
	assert.equal(parseCliTime('2026-11-23 17:30:48 +0100 CET'), Date.parse('2026-11-23T16:30:48Z'));
	assert.equal(parseCliTime('2026-11-23 12:00:00.5 -0430 -0430'), Date.parse('2026-11-23T16:30:00Z'));
	assert.equal(parseCliTime('yesterday'), 0);
});

test('a docker ps --format json line is the summary the Engine API list gives', () => {
	const line =
		'{"Command":"\\"sleep 30\\"","CreatedAt":"2026-11-23 16:30:48 +0000 UTC","ID":"92fe0367e433","Image":"berth-test/busybox:latest","Labels":"com.docker.compose.service=web,com.docker.compose.project=shop-app1","LocalVolumes":"0","Mounts":"","Names":"shop-app1_web_1,other/alias","Networks":"bridge","Platform":null,"Ports":"127.0.0.1:32769->8080/tcp","RunningFor":"1 second ago","Size":"0B","State":"running","Status":"Up Less than a second (health: starting)"}';
	assert.deepEqual(parseCliContainer(line), {
		id: '92fe0367e433',
		name: 'shop-app1_web_1',
		image: 'berth-test/busybox:latest',
		state: 'running',
		status: 'Up Less than a second (health: starting)',
		labels: {'com.docker.compose.service': 'web', 'com.docker.compose.project': 'shop-app1'},
		ports: [{hostIp: '127.0.0.1', hostPort: 32769, containerPort: 8080, protocol: 'tcp'}],
		createdAt: Date.parse('2026-11-23T16:30:48Z'),
	});
});
