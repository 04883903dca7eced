import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {writeFile} from 'node:fs/promises';
import {execa} from 'execa';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';

// Ports published by containers are as taken as ports bound by processes: the allocator skips them and
// `ports check` names the container and its compose project.
const options = await dockerTestOptions();
const name = `berth-test-intruder-${process.pid}`;

before(async () => {
	if (options.skip) return;
	await execa('docker', ['rm', '-f', name], {reject: false});
	await execa('docker', [
		'run',
		'-d',
		'--name',
		name,
		'--label',
		'com.docker.compose.project=intruder',
		'-p',
		'127.0.0.1:46201:8080',
		TEST_IMAGE,
		'sleep',
		'300',
	]);
});

after(async () => {
	if (!options.skip) await execa('docker', ['rm', '-f', name], {reject: false});
});

test('a port published by a running container is never allocated', options, async () => {
	const store = path.join(await tempDir(), 'ports.json');
	const result = await runCli(['ports', 'allocate', 'm/app1', '--slot', 'web=46201:2', '--json', '--store', store]);
	assert.equal(result.exitCode, 0, result.stderr);
	assert.deepEqual(parseJson<{ports: Record<string, number>}>(result).ports, {web: 46_203});
});

test('ports check names a container of another compose project publishing an allocated port', options, async () => {
	const dir = await tempDir();
	const store = path.join(dir, 'ports.json');
	await writeFile(
		store,
		JSON.stringify({
			version: 1,
			allocations: [{model: 'm', app: 1, ports: {backend: 46_201}, projectName: 'm-app1', appPath: path.join(dir, 'm/app1'), createdAt: ''}],
		}),
	);
	const result = await runCli(['ports', 'check', '--json', '--store', store, '--root', dir]);
	assert.equal(result.exitCode, 1);
	const conflicts = parseJson<{conflicts: {kind: string; port: number; message: string}[]}>(result).conflicts;
	assert.equal(conflicts.length, 1);
	assert.equal(conflicts[0]!.kind, 'published-by-other-project');
	assert.match(conflicts[0]!.message, new RegExp(`port 46201 \\(m/app1 backend\\) is published by container ${name} of compose project intruder`));
});
