import {test} from 'node:test';
import assert from 'node:assert/strict';
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {createComposeClient} from '../../../source/core/compose/client.ts';
import {composeCall, commandLine} from '../../../source/core/compose/args.ts';
import {ComposeError} from '../../../source/core/compose/errors.ts';
import {EngineUnreachableError} from '../../../source/core/docker/engine.ts';
import type {ComposeBinary} from '../../../source/core/compose/detect.ts';
import type {ComposeTarget, OutputLine} from '../../../source/core/compose/types.ts';
import {tempDir} from '../../helpers/temp.ts';

/**
 * A stand-in compose on disk: a shell script that records its arguments (one a line) in `argv`, then
 * runs `body`. Real files and a real child process: only compose itself is replaced, so a test needs no
 * Engine and compose answers at once.
 */
async function stubCompose(body: string): Promise<{dir: string; script: string; argv: string; target: ComposeTarget}> {
	const dir = await tempDir('berth-client-');
	const app = path.join(dir, 'm', 'app1');
	await mkdir(app, {recursive: true});
	await writeFile(path.join(app, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
	const argv = path.join(dir, 'argv');
	const script = path.join(dir, 'compose-stub');
	await writeFile(script, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${argv}'\n${body}\n`);
	await chmod(script, 0o755);
	const target: ComposeTarget = {id: 'm/app1', projectName: 'm-app1', path: app, composeFile: path.join(app, 'compose.yaml'), ports: null};
	return {dir, script, argv, target};
}

const v1 = (script: string): ComposeBinary => ({flavour: 'v1', version: '1.29.2', command: [script]});
const v2 = (script: string): ComposeBinary => ({flavour: 'v2', version: '2.26.1', command: [script, 'compose']});

// A behaviour test with a time bound, on purpose: the defect was a fixed 500 ms timer between compose's
// exit and the action's end (the docker-compose package resolves on a setTimeout(500) after 'exit').
// The stub exits at once. With the timer no run could end below 500 ms; without it the fastest of a few
// runs ends far below 400 ms even on a loaded 2-core machine (the fastest, so one slow moment of the
// machine does not fail the test).
test('an action ends as soon as compose exits, not on a timer, with every line streamed', async () => {
	const {script, argv, target} = await stubCompose('echo "Container m-app1-web-1  Stopping"\necho "Container m-app1-web-1  Stopped" >&2\nexit 0');
	const client = await createComposeClient({binary: v1(script), env: process.env});
	const fastest = async (what: string, act: () => Promise<unknown>) => {
		const times: number[] = [];
		for (let run = 0; run < 3; run++) {
			const started = performance.now();
			await act();
			times.push(performance.now() - started);
		}
		const best = Math.min(...times);
		assert.ok(best < 400, `${what} took ${times.map(t => t.toFixed(0)).join(', ')} ms after a compose that exits at once`);
	};
	for (const action of ['stop', 'restart', 'down'] as const) {
		await fastest(action, async () => {
			const lines: OutputLine[] = [];
			const result = await client[action](target, {onLine: line => lines.push(line)});
			assert.equal(result.exitCode, 0);
			assert.deepEqual(lines, [
				{stream: 'stdout', text: 'Container m-app1-web-1  Stopping'},
				{stream: 'stderr', text: 'Container m-app1-web-1  Stopped'},
			]);
			assert.deepEqual(result.command, [script, ...(await readFile(argv, 'utf8')).split('\n').filter(Boolean)], 'the command line reported is the one run');
		});
	}
	await fastest('up', () => client.up(target, {skipPreflight: true}));
});

test('a failing compose is a ComposeError with its exit code and the line of stderr that explains it', async () => {
	const {script, target} = await stubCompose('echo "Creating m-app1_web_1 ..." >&2\necho "ERROR: No such service: nosuch" >&2\nexit 3');
	const client = await createComposeClient({binary: v1(script), env: process.env});
	const lines: OutputLine[] = [];
	const error = await client.up(target, {skipPreflight: true, onLine: line => lines.push(line)}).catch((e: unknown) => e);
	assert.ok(error instanceof ComposeError, String(error));
	assert.equal(error.message, `${script} up of m/app1 failed (exit code 3): No such service: nosuch`);
	assert.equal(error.cause.exitCode, 3);
	assert.match(error.cause.stderr, /Creating m-app1_web_1 ...\nERROR: No such service: nosuch/);
	assert.equal(lines.length, 2, 'the lines were streamed before the failure');
});

test('a compose ended by a signal is a failure that says "killed"', async () => {
	const {script, target} = await stubCompose('kill -TERM $$');
	const client = await createComposeClient({binary: v1(script), env: process.env});
	await assert.rejects(client.stop(target), (error: unknown) => error instanceof ComposeError && /^.* stop of m\/app1 failed \(killed\)$/.test(error.message));
});

test('compose that cannot reach the Engine is an EngineUnreachableError, not a compose failure', async () => {
	const {script, target} = await stubCompose(
		'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2\nexit 1',
	);
	const client = await createComposeClient({binary: v2(script), env: process.env});
	await assert.rejects(client.restart(target), EngineUnreachableError);
});

test('a compose binary that is not there is named, with where to look', async () => {
	const {dir, target} = await stubCompose('exit 0');
	const client = await createComposeClient({binary: v1(path.join(dir, 'no-such-compose')), env: process.env});
	await assert.rejects(
		client.down(target),
		(error: unknown) => error instanceof ComposeError && error.message.includes('no-such-compose was not found on PATH') && /berth doctor/.test(error.message),
	);
});

test('v2: docker compose gets the same arguments, the app folder as working directory and BERTH_PORT_* in its environment', async () => {
	const {script, argv, target} = await stubCompose('pwd\necho "port=$BERTH_PORT_BACKEND"');
	const client = await createComposeClient({binary: v2(script), env: {PATH: process.env['PATH']}});
	const lines: string[] = [];
	await client.stop({...target, ports: {backend: 5005}}, {timeoutSeconds: 1, services: ['web'], onLine: line => lines.push(line.text)});
	assert.deepEqual((await readFile(argv, 'utf8')).split('\n').filter(Boolean), [
		'compose',
		...['--ansi', 'never', '-p', 'm-app1', '--project-directory', target.path, '-f', target.composeFile!],
		...['stop', '-t', '1', 'web'],
	]);
	assert.deepEqual(lines, [target.path, 'port=5005']);
});

test('a chatty compose: every line reaches onLine, in order, however much it prints', async () => {
	// 100,000 lines, about 1.2 MB: far more than any buffer the child's output could be kept in.
	const {script, target} = await stubCompose('i=0; while [ $i -lt 100000 ]; do echo "line $i"; i=$((i+1)); done | cat\necho \'done\' >&2');
	const client = await createComposeClient({binary: v1(script), env: process.env});
	let count = 0;
	let ordered = true;
	const stderr: string[] = [];
	await client.up(target, {
		skipPreflight: true,
		onLine(line) {
			if (line.stream === 'stderr') return void stderr.push(line.text);
			if (line.text !== `line ${count}`) ordered = false;
			count++;
		},
	});
	assert.equal(count, 100_000);
	assert.ok(ordered, 'stdout lines came in order');
	assert.deepEqual(stderr, ['done']);
});

test('the command line berth runs is the one the docker-compose package builds for the same call', async () => {
	// args.ts builds calls in the package's shape; berth runs them itself (the package's execCompose ends on
	// a 500 ms timer). The package stays the reference for the argument order.
	const {script, argv, target} = await stubCompose('exit 0');
	const {execCompose} = await import('docker-compose');
	for (const binary of [v1(script), v2(script)]) {
		const call = composeCall(binary, {...target, composeFiles: [target.composeFile!]}, 'down', {volumes: true, timeoutSeconds: 0}, {PATH: process.env['PATH']});
		await execCompose(call.command, call.args, call.options);
		assert.deepEqual([script, ...(await readFile(argv, 'utf8')).split('\n').filter(Boolean)], commandLine(call), binary.flavour);
	}
});
