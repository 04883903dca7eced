import {test} from 'node:test';
import assert from 'node:assert/strict';
import {portMappings} from '../../../source/core/compose/model.ts';

test('portMappings: an IPv6 host address as compose v1 prints it (no brackets)', () => {
	// `docker-compose config` (1.29.2) prints "[::1]:8050:80" as "::1:8050:80/tcp".
	assert.deepEqual(portMappings('web', '::1:8050:80/tcp'), [{service: 'web', target: 80, hostPort: 8050, hostRange: null, hostIp: '::1', protocol: 'tcp'}]);
	assert.deepEqual(portMappings('web', 'fd00::2:8051-8052:81-82/udp'), [
		{service: 'web', target: 81, hostPort: 8051, hostRange: null, hostIp: 'fd00::2', protocol: 'udp'},
		{service: 'web', target: 82, hostPort: 8052, hostRange: null, hostIp: 'fd00::2', protocol: 'udp'},
	]);
	assert.deepEqual(portMappings('web', '[::1]:8050:80'), [{service: 'web', target: 80, hostPort: 8050, hostRange: null, hostIp: '::1', protocol: 'tcp'}]);
	assert.match(String(portMappings('web', '1:2:3')), /is not \[HOST_IP:\]/);
});
