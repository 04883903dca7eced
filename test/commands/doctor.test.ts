import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {isDeno} from '../helpers/runtime.ts';
import {dockerUnavailable} from '../helpers/docker.ts';

interface Doctor {
	ok: boolean;
	runtime: {name: string; version: string};
	checks: {name: string; ok: boolean; required: boolean; detail: string; fix?: string}[];
}

test('doctor reports runtime, docker, compose, store and root', async () => {
	const dir = await tempDir();
	const result = await runCli(['doctor', '--json', '--store', path.join(dir, 'p.json'), '--root', dir]);
	const report = parseJson<Doctor>(result);
	assert.equal(report.runtime.name, isDeno ? 'deno' : 'node');
	assert.deepEqual(
		report.checks.map(c => c.name),
		['runtime', 'docker CLI', 'engine', 'compose v2', 'compose v1', 'compose', 'store', 'apps root'],
	);
	const engine = report.checks.find(c => c.name === 'engine')!;
	if (!(await dockerUnavailable())) {
		assert.equal(engine.ok, true, engine.detail);
		assert.equal(report.ok, true);
		assert.equal(result.exitCode, 0);
	}
});

test('doctor fails with the fix when the engine is unreachable', async () => {
	const dir = await tempDir();
	const result = await runCli(['doctor', '--store', path.join(dir, 'p.json'), '--root', dir], {env: {DOCKER_HOST: `unix://${dir}/no.sock`}});
	assert.equal(result.exitCode, 1);
	assert.match(result.stdout, /FAIL engine +not reachable/);
	assert.match(result.stdout, /fix: start the Docker Engine/);
	assert.equal(result.stdout.match(/systemctl start docker/g)?.length, 1, 'the fix is said once');
});

test('doctor fails when the store cannot be written, and says how to fix it', async () => {
	const dir = await tempDir();
	// /proc takes no new folders, whoever asks (permission bits would not stop root).
	const result = await runCli(['doctor', '--json', '--store', '/proc/berth-test/ports.json', '--root', dir]);
	const store = parseJson<Doctor>(result).checks.find(c => c.name === 'store')!;
	assert.equal(store.ok, false, store.detail);
	// Deno refuses /proc to anything short of --allow-all (deno.json's tasks grant less): it says so.
	if (isDeno) assert.match(store.detail, /\/proc\/berth-test\/ports\.json: .*--allow-all/);
	else {
		assert.match(store.detail, /\/proc is not writable/);
		assert.match(store.fix ?? '', /--store FILE/);
	}
	assert.equal(result.exitCode, 1);
});
