import {test} from 'node:test';
import assert from 'node:assert/strict';
import {EngineUnreachableError, isEngineUnreachable, listContainers, SocketRouteError, socketFailure} from '../../../source/core/docker/engine.ts';
import {BerthError} from '../../../source/core/errors.ts';

test('one rule decides "the Engine is unreachable": socket codes and the CLI\'s words, not other failures', () => {
	const errno = (code: string) => Object.assign(new Error(`connect ${code} /var/run/docker.sock`), {code});
	for (const code of ['ECONNREFUSED', 'ENOENT', 'EACCES']) assert.equal(isEngineUnreachable(errno(code)), true, code);
	assert.equal(isEngineUnreachable(new BerthError('wrapped', {cause: errno('ECONNREFUSED')})), true, 'through a cause');
	assert.equal(isEngineUnreachable('Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?'), true);
	assert.equal(isEngineUnreachable("ERROR: Couldn't connect to Docker daemon at http+docker://localhost - is it running?"), true, 'compose v1');
	assert.equal(isEngineUnreachable({stderr: 'error during connect: Get "http://...": dial tcp 10.0.0.5:2375: connect: connection refused', exitCode: 1}), true);
	assert.equal(isEngineUnreachable(new EngineUnreachableError('x')), true);
	assert.equal(isEngineUnreachable(errno('EPROTONOSUPPORT')), false);
	assert.equal(isEngineUnreachable(new Error('Error response from daemon: No such container: x')), false);
	assert.equal(isEngineUnreachable(null), false);
	assert.ok(socketFailure('/s', errno('ECONNREFUSED')) instanceof EngineUnreachableError);
	assert.ok(socketFailure('/s', errno('ENOTSUP')) instanceof SocketRouteError, 'another socket failure falls back to the CLI');
});

test('a socket nobody listens on is an unreachable Engine, with no fallback to the CLI', async () => {
	await assert.rejects(listContainers({}, {DOCKER_HOST: 'unix:///tmp/berth-test-nosuch.sock', PATH: ''}), (error: unknown) => {
		assert.ok(error instanceof EngineUnreachableError);
		assert.match(error.message, /^the Docker Engine is not reachable \(\/tmp\/berth-test-nosuch\.sock: connect ENOENT/);
		return true;
	});
});
