import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {findComposeFiles} from '../../../source/core/workspace/discover.ts';

/** A fresh app folder holding exactly these (empty) files. */
async function appWith(...names: string[]): Promise<string> {
	const dir = path.join(await tempDir(), 'app1');
	await mkdir(dir);
	for (const name of names) await writeFile(path.join(dir, name), 'services: {}\n');
	return dir;
}

async function filesOf(...names: string[]): Promise<string[]> {
	const dir = await appWith(...names);
	return (await findComposeFiles(dir)).map(file => path.relative(dir, file));
}

test('compose.yaml and compose.yml come with compose.override.yaml / .yml, base first', async () => {
	assert.deepEqual(await filesOf('compose.yaml', 'compose.override.yaml'), ['compose.yaml', 'compose.override.yaml']);
	assert.deepEqual(await filesOf('compose.yaml', 'compose.override.yml'), ['compose.yaml', 'compose.override.yml']);
	assert.deepEqual(await filesOf('compose.yml', 'compose.override.yaml'), ['compose.yml', 'compose.override.yaml']);
	assert.deepEqual(await filesOf('compose.yml', 'compose.override.yml'), ['compose.yml', 'compose.override.yml']);
});

test('docker-compose.yml and .yaml come with docker-compose.override.yml / .yaml, base first', async () => {
	assert.deepEqual(await filesOf('docker-compose.yml', 'docker-compose.override.yml'), ['docker-compose.yml', 'docker-compose.override.yml']);
	assert.deepEqual(await filesOf('docker-compose.yml', 'docker-compose.override.yaml'), ['docker-compose.yml', 'docker-compose.override.yaml']);
	assert.deepEqual(await filesOf('docker-compose.yaml', 'docker-compose.override.yml'), ['docker-compose.yaml', 'docker-compose.override.yml']);
	assert.deepEqual(await filesOf('docker-compose.yaml', 'docker-compose.override.yaml'), ['docker-compose.yaml', 'docker-compose.override.yaml']);
});

test('an override of the other naming is read too, as compose v2 and v1 read it', async () => {
	// Verified with compose 2.26.1 and docker-compose 1.29.2: with no -f, either reads the first override
	// it finds, whatever the base file is called.
	assert.deepEqual(await filesOf('compose.yaml', 'docker-compose.override.yml'), ['compose.yaml', 'docker-compose.override.yml']);
	assert.deepEqual(await filesOf('docker-compose.yml', 'compose.override.yaml'), ['docker-compose.yml', 'compose.override.yaml']);
});

test('several overrides: the one compose v2 picks (compose.override.yml, .yaml, docker-compose.override.yml, .yaml)', async () => {
	const all = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];
	assert.deepEqual(await filesOf('compose.yaml', ...all), ['compose.yaml', 'compose.override.yml']);
	assert.deepEqual(await filesOf('compose.yaml', ...all.slice(1)), ['compose.yaml', 'compose.override.yaml']);
	assert.deepEqual(await filesOf('compose.yaml', ...all.slice(2)), ['compose.yaml', 'docker-compose.override.yml']);
});

test('no override: the compose file alone; no compose file: no files, even with an override', async () => {
	assert.deepEqual(await filesOf('docker-compose.yml'), ['docker-compose.yml']);
	assert.deepEqual(await filesOf('compose.yaml', 'docker-compose.yml'), ['compose.yaml'], 'one base file: compose.yaml wins');
	assert.deepEqual(await filesOf(), []);
	assert.deepEqual(await filesOf('docker-compose.override.yml'), [], 'an override alone is no compose app');
});
