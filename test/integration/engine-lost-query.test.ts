/**
 * An engine that stops answering queries while its event stream stays open (a context pointed
 * elsewhere, a list that failed on a loaded remote engine): the watch reports it unreachable, then asks
 * again by itself until it answers. Found with the TUI's engines header: such an idle engine stayed
 * `unreachable` (its apps `unknown`) until some container event on it woke the watch.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {execa} from 'execa';
import {watchState} from '../../source/core/compose/watch.ts';
import {sleep} from '../../source/core/sleep.ts';
import {enginesTestOptions, makeContexts, TEST_ENGINES} from '../helpers/engines.ts';
import {tempDir} from '../helpers/temp.ts';

const [E1] = TEST_ENGINES;
/** A loopback port nothing listens on. */
const CLOSED = 'tcp://127.0.0.1:9';

test('a query that finds the engine gone while its event stream runs: unreachable, then back by itself', {
	...(await enginesTestOptions()),
	timeout: 120_000,
}, async () => {
	const dockerConfig = path.join(await tempDir('berth-lost-query-'), 'docker-config');
	await makeContexts(dockerConfig, {'berth-lq': E1.host});
	const point = (host: string) => execa('docker', ['context', 'update', 'berth-lq', '--docker', `host=${host}`], {env: {DOCKER_CONFIG: dockerConfig}});
	const env = {...process.env, DOCKER_CONFIG: dockerConfig, DOCKER_CONTEXT: 'berth-lq', DOCKER_HOST: undefined};
	const apps = [{id: 'lq/app1', projectName: `berth-lq-${process.pid}-app1`, hasCompose: true}];
	const controller = new AbortController();
	const seen: boolean[] = [];
	const refreshers: (() => void)[] = [];
	const done = watchState({apps, signal: controller.signal, onChange: status => seen.push(status.engine.reachable), refreshWith: r => refreshers.push(r)}, env);
	const until = async (ok: () => boolean, what: string, ms = 20_000) => {
		const end = Date.now() + ms;
		while (!ok() && Date.now() < end) await sleep(50);
		assert.ok(ok(), `${what}: not within ${ms} ms (reachability reported: ${seen.join(', ')})`);
	};
	try {
		await until(() => seen.length >= 1, 'the first state');
		assert.equal(seen[0], true);
		// Let the event stream open before the context moves (it keeps running on the engine).
		await sleep(1500);
		await point(CLOSED);
		refreshers[0]!();
		await until(() => seen.at(-1) === false, 'the engine reported gone');
		await point(E1.host);
		// No event, no refresh asked for: the watch asks again by itself.
		await until(() => seen.at(-1) === true, 'the engine back by itself');
	} finally {
		controller.abort();
		await done;
		await point(E1.host).catch(() => undefined);
	}
});
