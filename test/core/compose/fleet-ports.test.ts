import assert from 'node:assert/strict';
import {test} from 'node:test';
import {addressesOverlap} from '../../../source/core/compose/fleet-ports.ts';
import {portMappings} from '../../../source/core/compose/model.ts';

test('host addresses overlap when one is every address, they are equal, or :: meets an IPv6 address', () => {
	const cases: [string | null, string | null, boolean][] = [
		[null, '127.0.0.1', true],
		[null, '::1', true],
		[null, null, true],
		['127.0.0.1', '127.0.0.1', true],
		['127.0.0.1', '127.0.0.2', false],
		['::', '::1', true],
		['[::]', '0:0:0:0:0:0:0:1', true],
		['::1', '0:0::1', true],
		['::1', '::2', false],
		// docker-proxy binds [::]:P IPv6-only: 127.0.0.1:P is published beside it (Docker 20.10).
		['::', '127.0.0.1', false],
		['fe80::1%eth0', 'FE80::1%ETH0', true],
	];
	for (const [a, b, overlap] of cases) {
		assert.equal(addressesOverlap(a, b), overlap, `${a} / ${b}`);
		assert.equal(addressesOverlap(b, a), overlap, `${b} / ${a}`);
	}
});

test("compose v1's config prints IPv6 host addresses without brackets: they are still addresses", () => {
	const read = (entry: string) => {
		const mapped = portMappings('web', entry);
		return typeof mapped === 'string' ? mapped : mapped.map(p => `${p.hostIp ?? '*'} ${p.hostPort}:${p.target}/${p.protocol}`);
	};
	assert.deepEqual(read(':::47500:80/tcp'), [':: 47500:80/tcp']);
	assert.deepEqual(read('::1:47501:80/udp'), ['::1 47501:80/udp']);
	assert.deepEqual(read('[::1]:47501:80'), ['::1 47501:80/tcp']);
	assert.deepEqual(read('127.0.0.1:8080:80'), ['127.0.0.1 8080:80/tcp']);
	assert.match(String(read('1:2:3')), /is not \[HOST_IP:\]/);
});
