import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {contextHost, dockerTransport, engineSocket} from '../../../source/core/docker/transport.ts';
import {BerthError} from '../../../source/core/errors.ts';
import {tempDir} from '../../helpers/temp.ts';

/** A docker CLI config folder with `contexts` (name -> docker host) and `current` as currentContext. */
async function dockerConfig(contexts: Record<string, string>, current?: string): Promise<string> {
	const dir = await tempDir();
	if (current) await writeFile(path.join(dir, 'config.json'), JSON.stringify({auths: {}, currentContext: current}));
	for (const [name, host] of Object.entries(contexts)) {
		const meta = path.join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
		await mkdir(meta, {recursive: true});
		await writeFile(path.join(meta, 'meta.json'), JSON.stringify({Name: name, Metadata: {}, Endpoints: {docker: {Host: host, SkipTLSVerify: false}}}));
	}
	return dir;
}

test('the unix socket by default, DOCKER_HOST when it is one, the CLI for anything else', async () => {
	const empty = await dockerConfig({});
	assert.equal(engineSocket({DOCKER_CONFIG: empty}), '/var/run/docker.sock');
	assert.equal(engineSocket({DOCKER_CONFIG: empty, DOCKER_HOST: 'unix:///run/user/1000/docker.sock'}), '/run/user/1000/docker.sock');
	assert.equal(engineSocket({DOCKER_CONFIG: empty, DOCKER_HOST: 'tcp://127.0.0.1:2375'}), null);
	assert.equal(engineSocket({DOCKER_CONFIG: empty, DOCKER_HOST: 'ssh://me@127.0.0.1'}), null);
});

test('BERTH_DOCKER_TRANSPORT=cli forces the CLI; a value berth does not know is an error naming the choices', async () => {
	const empty = await dockerConfig({});
	assert.equal(engineSocket({DOCKER_CONFIG: empty, BERTH_DOCKER_TRANSPORT: 'cli'}), null);
	assert.equal(engineSocket({DOCKER_CONFIG: empty, BERTH_DOCKER_TRANSPORT: 'auto'}), '/var/run/docker.sock');
	assert.equal(dockerTransport({BERTH_DOCKER_TRANSPORT: ' CLI '}), 'cli');
	assert.throws(
		() => engineSocket({BERTH_DOCKER_TRANSPORT: 'ssh'}),
		(error: unknown) => {
			assert.ok(error instanceof BerthError);
			assert.equal(error.code, 'bad-transport');
			assert.equal(
				error.message,
				'BERTH_DOCKER_TRANSPORT="ssh" is not a transport berth knows: use "cli" (always the docker CLI) or "auto" (the Engine\'s unix socket when there is one), or unset it.',
			);
			return true;
		},
	);
});

test('docker contexts: the active one decides, as for the docker CLI; DOCKER_HOST wins over them', async () => {
	const config = await dockerConfig({desktop: 'unix:///home/me/.docker/desktop/docker.sock', remote: 'ssh://me@127.0.0.1'}, 'remote');
	assert.equal(contextHost({DOCKER_CONFIG: config}), 'ssh://me@127.0.0.1');
	assert.equal(engineSocket({DOCKER_CONFIG: config}), null, 'an ssh context goes through the CLI');
	assert.equal(engineSocket({DOCKER_CONFIG: config, DOCKER_CONTEXT: 'desktop'}), '/home/me/.docker/desktop/docker.sock');
	assert.equal(engineSocket({DOCKER_CONFIG: config, DOCKER_CONTEXT: 'default'}), '/var/run/docker.sock');
	assert.equal(engineSocket({DOCKER_CONFIG: config, DOCKER_HOST: 'unix:///tmp/engine.sock'}), '/tmp/engine.sock');
	// A context whose metadata is missing: not the default socket, so the CLI (which will say what is wrong).
	assert.equal(engineSocket({DOCKER_CONFIG: config, DOCKER_CONTEXT: 'gone'}), null);
	assert.equal(contextHost({DOCKER_CONFIG: config, DOCKER_CONTEXT: 'gone'}), 'context:gone');
});
