// What one `berth up|stop|restart|down <app>` runs: the compose command itself and nothing else once
// berth has seen this compose and this app (issue 12: an action adds almost nothing to compose's own
// time). Every run of the docker CLI and of docker-compose is logged by a stand-in first on PATH that
// then runs the real one, with the real Engine and compose behind it.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {execa} from 'execa';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {randomBase, removeProject, workspace} from './stack.ts';

const docker = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

/** `docker` and `docker-compose` first on PATH, each logging its arguments before running the real one. */
async function loggingShims(dir: string): Promise<{path: string; calls(): Promise<string[]>; clear(): Promise<void>}> {
	const log = path.join(dir, 'calls.log');
	await mkdir(dir, {recursive: true});
	await writeFile(log, '');
	for (const name of ['docker', 'docker-compose']) {
		const real = (await execa('sh', ['-c', `command -v ${name} || true`])).stdout.trim();
		if (!real) continue;
		await writeFile(path.join(dir, name), `#!/bin/sh\necho "${name} $*" >> '${log}'\nexec '${real}' "$@"\n`);
		await chmod(path.join(dir, name), 0o755);
	}
	return {
		path: `${dir}${path.delimiter}${process.env['PATH']}`,
		calls: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean),
		clear: () => writeFile(log, ''),
	};
}

const compose = (port: number) =>
	`services:\n  web:\n    image: ${TEST_IMAGE}\n    init: true\n    command: ["httpd", "-f", "-p", "8080"]\n    ports:\n      - "127.0.0.1:${port}:8080"\n`;

test('once compose and the app are known, each action runs compose once: no version, no config', {...docker, timeout: 240_000}, async () => {
	const dir = await tempDir('berth-calls-');
	const ws = workspace(dir);
	const shims = await loggingShims(path.join(dir, 'shims'));
	const cli = (args: string[]) => runCli(args, {env: {...ws.env, PATH: shims.path}});
	const allocated = await cli(['ports', 'allocate', 'calls/app1', '--slot', `backend=${randomBase()}:2`, '--json']);
	const {ports, projectName} = parseJson<{ports: {backend: number}; projectName: string}>(allocated);
	projects.push(projectName);
	const app = path.join(ws.root, 'calls', 'app1');
	await mkdir(app, {recursive: true});
	await writeFile(path.join(app, 'docker-compose.yml'), compose(ports.backend));

	// The first action asks compose for its version and up reads the app's model (compose config).
	const first = await cli(['up', 'calls/app1']);
	assert.equal(first.exitCode, 0, first.stderr);
	await cli(['stop', 'calls/app1']);
	for (const action of ['up', 'restart', 'stop', 'down']) {
		await shims.clear();
		const result = await cli([action, 'calls/app1', '--json']);
		assert.equal(result.exitCode, 0, result.stderr);
		const {command} = parseJson<{command: string[]}>(result);
		const ran = (await shims.calls()).filter(line => /compose/.test(line));
		assert.deepEqual(ran, [`${path.basename(command[0]!)} ${command.slice(1).join(' ')}`], `berth ${action} ran compose once`);
	}
});

test('up reads an app whose compose file changed afresh: a port it now publishes is checked', {...docker, timeout: 240_000}, async () => {
	const dir = await tempDir('berth-calls-');
	const ws = workspace(dir);
	const allocated = await ws.cli(['ports', 'allocate', 'calls/app2', '--slot', `backend=${randomBase()}:2`, '--json']);
	const {ports, projectName} = parseJson<{ports: {backend: number}; projectName: string}>(allocated);
	projects.push(projectName);
	const app = path.join(ws.root, 'calls', 'app2');
	await mkdir(app, {recursive: true});
	await writeFile(path.join(app, 'docker-compose.yml'), compose(ports.backend));
	const up = await ws.cli(['up', 'calls/app2']);
	assert.equal(up.exitCode, 0, up.stderr);
	assert.equal((await ws.cli(['down', 'calls/app2'])).exitCode, 0);

	// A program holds another port; the compose file is edited to publish it.
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const held = (server.address() as net.AddressInfo).port;
	try {
		await writeFile(path.join(app, 'docker-compose.yml'), compose(held));
		const refused = await ws.cli(['up', 'calls/app2']);
		assert.notEqual(refused.exitCode, 0);
		assert.match(refused.stderr, new RegExp(`port ${held} \\(service web, 127\\.0\\.0\\.1/tcp\\) is in use by`));
		assert.match(refused.stderr, /Nothing was started/);
	} finally {
		server.close();
	}
});
