import assert from 'node:assert/strict';
import {chmod, mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {absent, traced} from '../helpers/module-trace.ts';
import {tempDir} from '../helpers/temp.ts';

// Issue 12, item 3: `berth stop|restart|down|up <app>` adds almost nothing to the compose command it
// runs. Once compose's version and the app's model are remembered beside the store, an action loads
// neither the process runner (execa: ~140 modules), YAML, the docker-compose package nor the UI.

/** A workspace with one app and a stand-in compose v2 (a `docker` script, a plugin file) that logs each run. */
async function stage() {
	const dir = await tempDir('berth-action-modules-');
	const bin = path.join(dir, 'bin');
	const config = path.join(dir, 'docker-config');
	const app = path.join(dir, 'apps', 'm', 'app1');
	await mkdir(bin, {recursive: true});
	await mkdir(path.join(config, 'cli-plugins'), {recursive: true});
	await mkdir(app, {recursive: true});
	await writeFile(path.join(config, 'cli-plugins', 'docker-compose'), 'a stand-in plugin file');
	await writeFile(path.join(app, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
	// `compose version`, `compose ... config --format json` (the model) and any action, as compose v2 answers them.
	await writeFile(
		path.join(bin, 'docker'),
		`#!/bin/sh
case "$*" in
  "compose version --short") echo v2.26.1 ;;
  *" config --format json") echo '{"name":"m-app1","services":{"web":{"image":"busybox"}}}' ;;
  compose*) echo "Container m-app1-web-1  Done" >&2 ;;
  *) exit 1 ;;
esac
`,
	);
	await chmod(path.join(bin, 'docker'), 0o755);
	return {
		// The stand-in answers as compose v2: a pass forcing v1 (BERTH_COMPOSE=v1) would run the real one.
		BERTH_COMPOSE: 'v2',
		PATH: `${bin}${path.delimiter}${process.env['PATH']}`,
		DOCKER_CONFIG: config,
		BERTH_ROOT: path.join(dir, 'apps'),
		BERTH_STORE: path.join(dir, 'ports.json'),
	};
}

test('an action on a known app loads no process runner, YAML, compose package or UI', async () => {
	const env = await stage();
	// The first runs ask compose for its version (stop) and read the app's model (up): remembered.
	for (const action of ['stop', 'up']) {
		const first = await traced([action, 'm/app1'], env);
		assert.equal(first.exitCode, 0, first.stderr);
	}
	for (const action of ['stop', 'restart', 'down', 'up']) {
		const run = await traced([action, 'm/app1'], env);
		assert.equal(run.exitCode, 0, run.stderr);
		assert.match(run.stdout, /Container m-app1-web-1 {2}Done/);
		assert.deepEqual(absent(run.packages, ['execa', 'yaml', 'docker-compose', 'ink', 'react']), [], `berth ${action}`);
	}
});
