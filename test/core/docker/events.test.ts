import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseEvent} from '../../../source/core/docker/events.ts';

test('an Engine API event and a docker events --format json line parse alike', () => {
	const api =
		'{"status":"die","id":"4f2c","from":"berth-test/busybox:latest","Type":"container","Action":"die","Actor":{"ID":"4f2c","Attributes":{"com.docker.compose.project":"shop-app1","exitCode":"137","name":"shop-app1_worker_1"}},"scope":"local","time":1763779549,"timeNano":1763779549123456789}';
	// timeNano as JSON.parse reads it: a double, exact to 256 ns at this size.
	assert.deepEqual(parseEvent(api), {
		type: 'container',
		action: 'die',
		id: '4f2c',
		attributes: {'com.docker.compose.project': 'shop-app1', exitCode: '137', name: 'shop-app1_worker_1'},
		timeNano: Number('1763779549123456789'),
	});
	const health = parseEvent('{"Type":"container","Action":"health_status: healthy","Actor":{"ID":"9a","Attributes":{}},"time":1763779549}');
	assert.equal(health?.action, 'health_status: healthy');
	assert.equal(health?.timeNano, 1763779549e9);
	assert.equal(parseEvent('not json'), null);
});
