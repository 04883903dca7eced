/**
 * Several engines in a real terminal (tmux), under the runtime running the tests: apps on the local
 * engine and on the two test engines show their engine, the header lists the engines, `engine=` filters;
 * an engine whose context stops answering is named unreachable (its app unknown) and comes back by
 * itself. No daemon is stopped: the test's own Docker context is pointed at a closed loopback port and back.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {execa} from 'execa';
import {dockerTestOptions} from '../helpers/docker.ts';
import {enginesTestOptions, makeContexts, TEST_ENGINES} from '../helpers/engines.ts';
import {parseJson, runCli} from '../helpers/cli.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {launchBerth, noTmux, openTerminal} from '../helpers/tmux.ts';
import {randomBase, writeTestCompose} from '../integration/stack.ts';

const [E1, E2] = TEST_ENGINES;
const options = {...(await dockerTestOptions()), ...(await enginesTestOptions())};
/** A loopback port nothing listens on: the context pointed there does not answer. */
const CLOSED = 'tcp://127.0.0.1:9';

test(`apps on several engines: badges, the engines in the header, engine= filter, an engine lost and back (${runtimeName})`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 240_000,
}, async () => {
	const dir = await tempDir('berth-e2e-engines-');
	const dockerConfig = path.join(dir, 'docker-config');
	// berth-e3 is the second test engine under a name of this test's own: it can be pointed away and back.
	await makeContexts(dockerConfig, {[E1.name]: E1.host, 'berth-e3': E2.host});
	const env = {BERTH_ROOT: path.join(dir, 'apps'), BERTH_STORE: path.join(dir, 'ports.json'), DOCKER_CONFIG: dockerConfig};
	const cli = (args: string[]) => runCli(args, {env});
	const model = `eng-${runtimeName}-${process.pid}`;
	const base = randomBase();
	const placed: {app: string; projectName: string}[] = [];
	for (const [number, engine] of [
		[1, null],
		[2, E1.name],
		[3, 'berth-e3'],
	] as const) {
		const app = `${model}/app${number}`;
		const allocated = await cli(['ports', 'allocate', app, ...(engine ? ['--engine', engine] : []), '--slot', `backend=${base + 2 * number}:2`, '--json']);
		assert.equal(allocated.exitCode, 0, allocated.stderr);
		const {ports, projectName} = parseJson<{ports: {backend: number}; projectName: string}>(allocated);
		await writeTestCompose(path.join(env.BERTH_ROOT, model, `app${number}`), ports.backend);
		placed.push({app, projectName});
	}
	const onE1 = placed[1]!;
	try {
		const up = await cli(['up', onE1.app]);
		assert.equal(up.exitCode, 0, up.stderr);

		const terminal = await openTerminal(`berth-engines-${process.pid}`, {columns: 120, rows: 24}, [`DOCKER_CONFIG=${dockerConfig}`]);
		await launchBerth(terminal, ['--root', env.BERTH_ROOT, '--store', env.BERTH_STORE]);
		let screen = await terminal.waitFor(/engines default ok · berth-e1 ok · berth-e3 ok/, 60_000, 'the engines in the header');
		screen = await terminal.waitFor(/app2 +(running|starting|healthy) +berth-e1 /, 30_000, 'the app on berth-e1, running there');
		assert.match(screen, /app1 +not-created +default +/);
		assert.match(screen, /app3 +not-created +berth-e3 +/);

		// The filter: the apps on berth-e1 alone.
		await terminal.keys('l', '/');
		await terminal.type('engine=berth-e1');
		await terminal.keys('Enter');
		screen = await terminal.waitFor(/Apps · \S+ \/engine=berth/, 10_000, 'the engine filter');
		assert.match(screen, /app2 +\S+ +berth-e1/);
		assert.doesNotMatch(screen, /app1 +not-created|app3 +not-created/);
		await terminal.keys('/', 'Escape');

		// berth-e3's context stops answering: its app turns unknown, the others keep theirs.
		await execa('docker', ['context', 'update', 'berth-e3', '--docker', `host=${CLOSED}`], {env: {DOCKER_CONFIG: dockerConfig}});
		// The watch's event stream still runs on the engine itself (no daemon dies here): the next time the
		// watch asks (R reloads the apps and asks every engine again), the context does not answer.
		await terminal.keys('R');
		screen = await terminal.waitFor(/berth-e3 unreachable/, 60_000, 'berth-e3 named unreachable');
		assert.match(screen, /engines default ok · berth-e1 ok · berth-e3 unreachable/);
		assert.match(screen, /app3 +unknown +berth-e3/);
		assert.match(screen, /app2 +(running|starting|healthy) +berth-e1/);

		// Pointed back: the engine and its app are back by themselves, no key, no event on that engine.
		await execa('docker', ['context', 'update', 'berth-e3', '--docker', `host=${E2.host}`], {env: {DOCKER_CONFIG: dockerConfig}});
		screen = await terminal.waitFor(/engines default ok · berth-e1 ok · berth-e3 ok/, 30_000, 'berth-e3 back');
		screen = await terminal.waitFor(/app3 +not-created +berth-e3/, 30_000, "berth-e3's app known again");
		assert.match(screen, /app2 +(running|starting|healthy) +berth-e1/);

		await terminal.keys('q');
		await terminal.waitFor(/berth exited 0/, 20_000, 'q quits');
	} finally {
		await execa('docker', ['--host', E1.host, 'compose', '-p', onE1.projectName, 'down', '-t', '0'], {
			reject: false,
			cwd: path.join(env.BERTH_ROOT, onE1.app),
		});
	}
});
