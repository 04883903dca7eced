/**
 * Logs on the real engine: the backlog in time order across containers and across stdout and stderr;
 * following an app through stop, start and down says what happened, once each.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {execa} from 'execa';
import {comparableTimestamp, streamLogs} from '../../source/core/compose/logs.ts';
import type {LogLine} from '../../source/core/compose/types.ts';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {isDeno} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {removeProject, scaffoldApp, spawnBerth, waitFor, workspace} from './stack.ts';

const docker = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

/** A container of compose project `project` (by label, as compose would make it) running `script`. */
async function labelledContainer(project: string, service: string, script: string, options: string[] = []): Promise<void> {
	const labels = [`com.docker.compose.project=${project}`, `com.docker.compose.service=${service}`, 'com.docker.compose.container-number=1'];
	await execa('docker', ['run', '-d', '--name', `${project}-${service}-1`, ...options, ...labels.flatMap(l => ['--label', l]), TEST_IMAGE, 'sh', '-c', script]);
}

async function collect(lines: AsyncIterable<LogLine>, until: (line: LogLine) => boolean = () => false): Promise<LogLine[]> {
	const seen: LogLine[] = [];
	for await (const line of lines) {
		seen.push(line);
		if (until(line)) break;
	}
	return seen;
}

test('the backlog is in time order across containers and across stdout and stderr (docker logs -t)', docker, async () => {
	const project = `berth-logs-order-${process.pid}-${Date.now() % 100_000}`;
	projects.push(project);
	// Each writes a line to stdout, then one to stderr, five times; b starts while a is writing.
	const script = (name: string) => `for i in 1 2 3 4 5; do echo "${name} out $i"; sleep 0.1; echo "${name} err $i" >&2; sleep 0.1; done`;
	await labelledContainer(project, 'a', script('a'));
	await new Promise(resolve => setTimeout(resolve, 300));
	await labelledContainer(project, 'b', script('b'));
	await execa('docker', ['wait', `${project}-a-1`, `${project}-b-1`]);

	const lines = await collect(streamLogs(project, {tail: 100}));
	const texts = lines.map(l => l.text);
	assert.equal(lines.length, 20, texts.join('\n'));
	const times = lines.map(l => comparableTimestamp(l.timestamp!));
	assert.deepEqual(times, [...times].sort(), 'in time order');
	const of = (name: string) => texts.filter(t => t.startsWith(name));
	assert.deepEqual(of('a'), ['a out 1', 'a err 1', 'a out 2', 'a err 2', 'a out 3', 'a err 3', 'a out 4', 'a err 4', 'a out 5', 'a err 5']);
	assert.deepEqual(
		lines.filter(l => l.service === 'b').map(l => l.stream),
		['stdout', 'stderr', 'stdout', 'stderr', 'stdout', 'stderr', 'stdout', 'stderr', 'stdout', 'stderr'],
	);
	assert.ok(texts.indexOf('b out 1') < texts.indexOf('a err 5'), `the containers interleave:\n${texts.join('\n')}`);

	// Following: the same backlog in the same order, then where the app is: stopped.
	const followed = await collect(streamLogs(project, {tail: 100, follow: true}), line => line.stream === 'berth');
	assert.deepEqual(
		followed.map(l => l.text),
		[...texts, 'stopped'],
	);
	assert.equal(followed.at(-1)!.event, 'stopped');
});

test("a running container whose log docker cannot read is said once, not re-attached every second as 'restarted'", docker, async () => {
	const project = `berth-logs-none-${process.pid}-${Date.now() % 100_000}`;
	projects.push(project);
	await labelledContainer(project, 'quiet', 'sleep 600', ['--log-driver', 'none']);
	const controller = new AbortController();
	const seen: LogLine[] = [];
	const reading = (async () => {
		for await (const line of streamLogs(project, {tail: 10, follow: true, signal: controller.signal})) seen.push(line);
	})();
	// Several looks (one a second).
	await new Promise(resolve => setTimeout(resolve, 5000));
	controller.abort();
	await reading;
	const said = seen.map(l => l.text);
	assert.equal(said.length, 1, said.join('\n'));
	assert.match(said[0]!, new RegExp(`^docker logs ${project}-quiet-1: .*logging driver`), said.join('\n'));
});

test('following an app: stop, start, down are each said once; no false re-attach, no raw docker error', docker, async () => {
	const ws = workspace(await tempDir());
	const app = await scaffoldApp(ws, 'logs/app1');
	projects.push(app.projectName);
	assert.equal((await ws.cli(['up', 'logs/app1', '--wait'], {timeout: 120_000})).exitCode, 0);
	const logs = spawnBerth(ws, ['logs', 'logs/app1', '--follow', '--tail', '5', '--json']);
	const parsed = () => logs.lines.filter(Boolean).map(line => JSON.parse(line) as LogLine);
	const markers = () => parsed().filter(l => l.stream === 'berth');
	try {
		await logs.waitLine(line => /worker line \d+/.test(line), 20_000);
		assert.equal((await ws.cli(['stop', 'logs/app1'])).exitCode, 0);
		await logs.waitLine(line => line.includes('"event":"stopped"') && line.includes('"service":""'), 15_000);
		await new Promise(resolve => setTimeout(resolve, 3000));
		assert.deepEqual(
			markers().filter(l => l.service === ''),
			[{service: '', container: '', stream: 'berth', text: 'stopped', timestamp: null, event: 'stopped'}],
		);

		const linesBefore = parsed().filter(l => l.stream !== 'berth').length;
		assert.equal((await ws.cli(['up', 'logs/app1', '--wait'], {timeout: 120_000})).exitCode, 0);
		await logs.waitLine(line => line.includes('"event":"restarted"'), 15_000);
		await logs.waitLine(line => parsed().findIndex(l => l.event === 'restarted') < logs.lines.indexOf(line) && /worker line 2"/.test(line), 20_000);
		const after = parsed().filter(l => l.stream !== 'berth');
		const keys = after.map(l => `${l.container} ${l.timestamp} ${l.text}`);
		assert.equal(new Set(keys).size, keys.length, 'no line twice');
		assert.ok(after.length > linesBefore);

		assert.equal((await ws.cli(['down', 'logs/app1', '-t', '0'])).exitCode, 0);
		await logs.waitLine(line => line.includes('"event":"removed"') && line.includes('"service":""'), 15_000);
		await waitFor(ws, 'logs/app1', status => status.state === 'not-created');
		await new Promise(resolve => setTimeout(resolve, 3000));
		const said = markers().map(l => l.text);
		// A down stops the containers, then removes them: a look that falls between the two rightly says
		// "stopped" first (seen under load on Deno). Each is said once, in that order, and nothing else.
		const app = said.filter(text => !/^(web|worker) /.test(text));
		assert.ok(
			JSON.stringify(app) === JSON.stringify(['stopped', 'restarted', 'removed']) ||
				JSON.stringify(app) === JSON.stringify(['stopped', 'restarted', 'stopped', 'removed']),
			said.join('\n'),
		);
		assert.ok(!said.some(text => /No such container|re-attached/i.test(text)), said.join('\n'));
	} finally {
		logs.child.kill('SIGTERM');
		const result = await logs.child;
		if (!isDeno) assert.equal(result.exitCode, 0);
	}
});
