import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ComposeError, composeError, explainingLine} from '../../../source/core/compose/errors.ts';
import {BerthError} from '../../../source/core/errors.ts';

const V1_BIND = `Creating network "shop-app1_default" with the default driver
Creating shop-app1_worker_1 ...
Creating shop-app1_web_1    ...
Creating shop-app1_worker_1 ... done
Creating shop-app1_web_1    ... error

ERROR: for shop-app1_web_1  Cannot start service web: driver failed programming external connectivity on endpoint shop-app1_web_1 (3f2a): Bind for 127.0.0.1:5001 failed: port is already allocated

ERROR: for web  Cannot start service web: driver failed programming external connectivity on endpoint shop-app1_web_1 (3f2a): Bind for 127.0.0.1:5001 failed: port is already allocated
ERROR: Encountered errors while bringing up the project.`;

const V2_BIND = ` Network shop-app1_default  Creating
 Network shop-app1_default  Created
 Container shop-app1-web-1  Creating
 Container shop-app1-web-1  Created
 Container shop-app1-web-1  Starting
Error response from daemon: driver failed programming external connectivity on endpoint shop-app1-web-1 (9c1d): Bind for 127.0.0.1:5001 failed: port is already allocated`;

test('the explaining line of a v1 failure is the specific error, not the summary', () => {
	// "Encountered errors" explains nothing; the line before it names the port.
	const line = explainingLine(V1_BIND);
	assert.equal(line, 'Bind for 127.0.0.1:5001 failed: port is already allocated');
});

test('the explaining line of a v2 failure', () => {
	// The endpoint id and the daemon's preamble are noise: the cause is the bind.
	assert.equal(explainingLine(V2_BIND), 'Bind for 127.0.0.1:5001 failed: port is already allocated');
});

test('a missing compose file, an image that does not exist', () => {
	assert.equal(
		explainingLine("ERROR: .FileNotFoundError: [Errno 2] No such file or directory: './nope.yml'\n"),
		".FileNotFoundError: [Errno 2] No such file or directory: './nope.yml'",
	);
	assert.equal(
		explainingLine('Pulling web (nosuch/image:latest)...\nERROR: pull access denied for nosuch/image, repository does not exist\n'),
		'pull access denied for nosuch/image, repository does not exist',
	);
	assert.equal(explainingLine('\u001B[31mno such service: wbe\u001B[0m\n'), 'no such service: wbe');
	assert.equal(explainingLine(''), null);
});

test("the package's plain-object rejection becomes a ComposeError with command, exit code and stderr as cause", () => {
	const command = ['docker-compose', '-p', 'shop-app1', 'up', '-d'];
	const error = composeError('docker-compose up of shop/app1', command, {exitCode: 1, err: V2_BIND, out: ''});
	assert.ok(error instanceof ComposeError);
	assert.ok(error instanceof BerthError);
	assert.ok(error instanceof Error);
	assert.equal(error.code, 'compose');
	assert.equal(error.exitCode, 1);
	assert.deepEqual(error.cause, {command, exitCode: 1, stderr: V2_BIND});
	assert.match(error.message, /^docker-compose up of shop\/app1 failed \(exit code 1\): Bind for 127\.0\.0\.1:5001 failed: port is already allocated$/);
});

test('the streamed stderr tail wins over the package buffer, and a missing binary says what to install', () => {
	const fromTail = composeError(
		'docker compose stop of a/app1',
		['docker', 'compose', 'stop'],
		{exitCode: 14, err: 'truncated'},
		'no configuration file provided: not found',
	);
	assert.equal(fromTail.message, 'docker compose stop of a/app1 failed (exit code 14): no configuration file provided: not found');
	const enoent = Object.assign(new Error('spawn docker-compose ENOENT'), {code: 'ENOENT'});
	const missing = composeError('up of a/app1', ['docker-compose', 'up'], enoent);
	assert.match(missing.message, /docker-compose was not found on PATH\. Install compose/);
	assert.equal(missing.cause.exitCode, null);
});

test("the CLI's message names the cause, as the TUI does: a v1 build failure, a v1 port clash (real outputs)", async () => {
	const {readFile} = await import('node:fs/promises');
	const fixture = (name: string) => readFile(new URL(`../../fixtures/compose-failures/${name}`, import.meta.url), 'utf8');
	// Before: "Service 'web' failed to build : Build failed" and "Encountered errors while bringing up the project."
	const build = composeError('docker-compose up of a/app1', ['docker-compose', 'up'], {exitCode: 1, err: await fixture('build-v1.txt')});
	assert.match(build.message, /failed \(exit code 1\): The command '\/bin\/sh -c echo compiling && false' returned a non-zero code: 1$/);
	const clash = composeError('docker-compose up of a/app1', ['docker-compose', 'up'], {exitCode: 1, err: await fixture('clash-v1.txt')});
	assert.match(clash.message, /failed \(exit code 1\): Bind for 127\.0\.0\.1:29431 failed: port is already allocated$/);
});
