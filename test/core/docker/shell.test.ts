import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {checkShellTarget, shellArgs} from '../../../source/core/docker/shell.ts';
import {dockerTestOptions} from '../../helpers/docker.ts';
import {tempDir} from '../../helpers/temp.ts';

test('the shell is docker exec -it: bash when the image has it, else sh', () => {
	assert.deepEqual(shellArgs('m-app1-web-1'), ['exec', '-it', 'm-app1-web-1', 'sh', '-c', 'command -v bash >/dev/null 2>&1 && exec bash || exec sh']);
});

test('an Engine that does not answer refuses the shell with its own advice', async () => {
	const socket = path.join(await tempDir('berth-shell-'), 'no-engine.sock');
	await assert.rejects(
		checkShellTarget({app: 'm/app1', service: 'web', container: 'm-app1-web-1'}, {...process.env, DOCKER_HOST: `unix://${socket}`}),
		/the Docker Engine is not reachable .*Start it/,
	);
});

test('a container that is gone refuses the shell with what to do', await dockerTestOptions(), async () => {
	await assert.rejects(
		checkShellTarget({app: 'm/app1', service: 'web', container: `berth-no-such-container-${process.pid}`}),
		/^BerthError: web has no container any more: start it with u$/,
	);
});
