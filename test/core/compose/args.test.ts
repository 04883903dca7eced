import {test} from 'node:test';
import assert from 'node:assert/strict';
import {composeCall, commandLine, executableOption, portEnv} from '../../../source/core/compose/args.ts';
import type {ComposeBinary} from '../../../source/core/compose/detect.ts';

const v1: ComposeBinary = {flavour: 'v1', version: '1.29.2', command: ['docker-compose']};
const v2: ComposeBinary = {flavour: 'v2', version: '2.29.1', command: ['docker', 'compose']};
const target = {
	id: 'openai_gpt-4o/app3',
	projectName: 'openai-gpt-4o-app3',
	path: '/apps/openai_gpt-4o/app3',
	composeFile: '/apps/openai_gpt-4o/app3/compose.yaml',
	composeFiles: ['/apps/openai_gpt-4o/app3/compose.yaml'],
	ports: {backend: 5005, frontend: 8005},
};
const head = ['--ansi', 'never', '-p', 'openai-gpt-4o-app3', '--project-directory', '/apps/openai_gpt-4o/app3', '-f', '/apps/openai_gpt-4o/app3/compose.yaml'];

test('v1 runs the standalone docker-compose, v2 the docker compose plugin', () => {
	assert.deepEqual(executableOption(v1), {standalone: true, executablePath: 'docker-compose'});
	assert.deepEqual(executableOption(v2), {executablePath: 'docker', options: []});
	assert.deepEqual(commandLine(composeCall(v1, target, 'up', {}, {})), ['docker-compose', ...head, 'up', '-d']);
	assert.deepEqual(commandLine(composeCall(v2, target, 'up', {}, {})), ['docker', 'compose', ...head, 'up', '-d']);
});

test('a docker context before "compose" is kept for v2', () => {
	const withContext: ComposeBinary = {flavour: 'v2', version: '2.29.1', command: ['docker', '--context', 'remote', 'compose']};
	assert.deepEqual(commandLine(composeCall(withContext, target, 'stop', {}, {})).slice(0, 4), ['docker', '--context', 'remote', 'compose']);
});

test('every call names project, project directory and compose file, and runs in the app folder', () => {
	for (const binary of [v1, v2]) {
		for (const action of ['up', 'start', 'stop', 'restart', 'down', 'build'] as const) {
			const call = composeCall(binary, target, action, {}, {});
			assert.equal(call.options.cwd, target.path);
			const line = commandLine(call);
			assert.equal(line[line.indexOf('-p') + 1], 'openai-gpt-4o-app3', `${binary.flavour} ${action}`);
			assert.equal(line[line.indexOf('--project-directory') + 1], target.path);
			assert.equal(line[line.indexOf('-f') + 1], target.composeFile);
			assert.equal(call.options.log, undefined, 'never log: true (the child would write to the terminal)');
		}
	}
});

test("every compose file gets its -f, in order: the compose file, then the user's override", () => {
	const files = ['/apps/openai_gpt-4o/app3/docker-compose.yml', '/apps/openai_gpt-4o/app3/docker-compose.override.yml'];
	for (const binary of [v1, v2]) {
		for (const action of ['up', 'start', 'stop', 'restart', 'down', 'build'] as const) {
			const line = commandLine(composeCall(binary, {...target, composeFiles: files}, action, {}, {}));
			assert.deepEqual(
				line.flatMap((arg, i) => (line[i - 1] === '-f' ? [arg] : [])),
				files,
				`${binary.flavour} ${action}`,
			);
		}
	}
});

test('action arguments: services, timeouts, build, volumes', () => {
	const tail = (action: Parameters<typeof composeCall>[2], options: Parameters<typeof composeCall>[3]) =>
		commandLine(composeCall(v2, target, action, options, {})).slice(2 + head.length);
	assert.deepEqual(tail('up', {build: true, services: ['web']}), ['up', '-d', '--build', 'web']);
	assert.deepEqual(tail('start', {services: ['web', 'worker']}), ['start', 'web', 'worker']);
	assert.deepEqual(tail('stop', {timeoutSeconds: 1}), ['stop', '-t', '1']);
	assert.deepEqual(tail('restart', {timeoutSeconds: 0, services: ['worker']}), ['restart', '-t', '0', 'worker']);
	assert.deepEqual(tail('down', {}), ['down'], 'volumes are kept by default');
	assert.deepEqual(tail('down', {volumes: true, timeoutSeconds: 0}), ['down', '--volumes', '-t', '0']);
	assert.deepEqual(tail('down', {services: ['worker']}), ['rm', '-s', '-f', 'worker'], 'down of one service is rm --stop --force');
	assert.deepEqual(tail('build', {services: ['web']}), ['build', 'web']);
});

test('allocated ports reach compose as BERTH_PORT_<SLOT> on top of the environment', () => {
	assert.deepEqual(portEnv({backend: 5005, 'admin-ui': 9001}), {BERTH_PORT_BACKEND: '5005', BERTH_PORT_ADMIN_UI: '9001'});
	const call = composeCall(v1, target, 'up', {}, {PATH: '/bin', BERTH_PORT_BACKEND: 'stale'});
	assert.equal(call.options.env?.['PATH'], '/bin');
	assert.equal(call.options.env?.['BERTH_PORT_BACKEND'], '5005');
	assert.equal(call.options.env?.['BERTH_PORT_FRONTEND'], '8005');
});
