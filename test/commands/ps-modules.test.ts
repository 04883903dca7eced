import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {nodeTraced} from '../helpers/module-trace.ts';
import {tempDir} from '../helpers/temp.ts';

// Issue 12: `berth ps --json` costs little more than `docker ps -a`. It reads the store and the apps
// root and asks the Engine once over its socket; node:crypto (~7 ms of CPU to load, not in Node's
// start-up snapshot) is for writing the store, taking its lock and naming colliding projects, none of
// which ps of a plain fleet does.

test('berth ps --json of a plain fleet does not load node:crypto', async () => {
	const dir = await tempDir('berth-ps-modules-');
	const run = await nodeTraced(['ps', '--json', '--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json')], {
		DOCKER_CONTEXT: '',
	});
	assert.equal(run.exitCode, 0, run.stderr);
	assert.deepEqual((JSON.parse(run.stdout) as {apps: unknown[]}).apps, []);
	assert.ok(run.loaded.includes('dist/cmd/cli.cjs'), run.loaded.join('\n'));
	assert.deepEqual(
		run.builtins.filter(name => name === 'node:crypto'),
		[],
	);
});
