import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {causeLine, failureCause} from '../../../source/core/compose/failure-cause.ts';
import {ComposeError} from '../../../source/core/compose/errors.ts';
import {PortConflictError} from '../../../source/core/errors.ts';
import {ROOT} from '../../helpers/runtime.ts';

/**
 * Real outputs of `up -d` (stdout and stderr as berth gets them), captured on this project's machines
 * with compose v2 2.26.1 and v1 1.29.2 on docker 20.10: a port held by another container, an image on a
 * registry that does not resolve (and one on Docker Hub, unreachable here), a RUN step that fails, a
 * dependency that exits non-zero.
 */
const output = (name: string) => readFileSync(path.join(ROOT, 'test', 'fixtures', 'compose-failures', `${name}.txt`), 'utf8').split('\n');

test('a port clash: the Bind line, not "Encountered errors while bringing up the project."', () => {
	assert.equal(causeLine(output('clash-v2')), 'Bind for 127.0.0.1:29431 failed: port is already allocated');
	assert.equal(causeLine(output('clash-v1')), 'Bind for 127.0.0.1:29431 failed: port is already allocated');
});

test('an image whose registry does not resolve: the "no such host" line, short enough for a footer', () => {
	// Docker's line ends with the telling words after ~120 characters of URL and resolver:
	// 'Get "https://registry.invalid.example/v2/": dial tcp: lookup registry.invalid.example on 10.255.255.53:53: no such host'.
	for (const name of ['missing-v1', 'missing-v2']) assert.equal(causeLine(output(name)), 'lookup registry.invalid.example: no such host', name);
	for (const name of ['hub-v1', 'hub-v2']) assert.equal(causeLine(output(name)), 'lookup registry-1.docker.io: no such host', name);
});

test('a failing build: the failed step, not "Service \'web\' failed to build : Build failed"', () => {
	assert.equal(causeLine(output('build-v1')), "The command '/bin/sh -c echo compiling && false' returned a non-zero code: 1");
	assert.equal(causeLine(output('build-v2')), 'failed to solve: executor failed running [/bin/sh -c echo compiling && false]: exit code: 1');
});

test('a dependency that exits non-zero', () => {
	assert.equal(causeLine(output('dep-v2')), 'service "db" didn\'t complete successfully: exit 3');
});

test('registry refusals that cannot be reproduced without a registry, in the words compose uses', () => {
	assert.equal(
		causeLine([' web Pulling ', "Error response from daemon: pull access denied for nope/app, repository does not exist or may require 'docker login'"]),
		"pull access denied for nope/app, repository does not exist or may require 'docker login'",
	);
	assert.equal(
		causeLine(['Pulling web (nope/app:9)...', 'ERROR: manifest for nope/app:9 not found: manifest unknown: manifest unknown']),
		'manifest for nope/app:9 not found: manifest unknown: manifest unknown',
	);
	assert.equal(causeLine(['Attaching to a_web_1', 'a_web_1 exited with code 137']), 'a_web_1 exited with code 137');
	assert.equal(causeLine(['Creating network "x" with the default driver', 'Encountered errors while bringing up the project.']), null);
});

test("berth's pre-flight names each port and its holder", () => {
	const error = new PortConflictError('cannot start m/app1: port 5001 (backend) is in use by process 4121 (python3). Nothing was started. …', [
		{port: 5001, holder: 'process 4121 (python3)'},
		{port: 8001, holder: 'container other-web-1 (compose project other)'},
	]);
	assert.equal(failureCause(error, []), 'port 5001 is in use by process 4121 (python3); port 8001 is in use by container other-web-1 (compose project other)');
});

test('without output: the stderr the compose error kept, else the message', () => {
	const stderr = output('clash-v1').join('\n');
	const error = new ComposeError('docker-compose up of m/app1 failed (exit code 1): Encountered errors while bringing up the project.', {
		command: ['docker-compose', 'up'],
		exitCode: 1,
		stderr,
	});
	assert.equal(failureCause(error), 'Bind for 127.0.0.1:29431 failed: port is already allocated');
	assert.equal(failureCause(new Error('the Docker Engine is not reachable')), 'the Docker Engine is not reachable');
	assert.equal(
		failureCause(new Error('boom'), output('build-v2')),
		'failed to solve: executor failed running [/bin/sh -c echo compiling && false]: exit code: 1',
	);
});
