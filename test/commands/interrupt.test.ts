import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdir, readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {isDeno, ROOT, runtimeCommand} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

/** Starts `berth <args>` as users do (Node: the bin; Deno: the source), without waiting for it. */
function start(args: string[], env: Record<string, string> = {}) {
	const [file, prefix] = isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];
	return execa(file, [...prefix, ...args], {reject: false, stdin: 'ignore', env: {NO_COLOR: '1', ...env}});
}

/** A process that holds the store's lock until killed (the hold-lock fixture, stopped inside the lock). */
async function lockHeld(store: string) {
	const [cmd, prefix] = runtimeCommand('test/fixtures/hold-lock.ts');
	const run = execa(cmd, [...prefix, store, 'holder', '600000'], {reject: false, buffer: false});
	let out = '';
	run.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const started = Date.now();
	while (!out.includes('inside') && Date.now() - started < 60_000) await new Promise(r => setTimeout(r, 10));
	assert.ok(out.includes('inside'));
	return {run}; // not the subprocess itself: it is a promise, and awaiting this would wait for its end
}

for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
	test(`${signal} while "ports allocate" waits for the store lock: exit ${status} within a second, nothing written`, {timeout: 120_000}, async () => {
		const store = path.join(await tempDir(), 'ports.json');
		const {run: holder} = await lockHeld(store);
		try {
			const run = start(['ports', 'allocate', 'm/app1', '--store', store]);
			await new Promise(r => setTimeout(r, isDeno ? 1500 : 1000)); // started, and waiting for the lock
			const sent = Date.now();
			process.kill(run.pid!, signal);
			const result = await run;
			const took = Date.now() - sent;
			assert.equal(result.exitCode, status, result.stderr);
			assert.ok(took < 1500, `took ${took} ms`);
			assert.match(result.stderr, /interrupted/);
			// The holder's allocation is not there yet (it still holds the lock), and neither is ours.
			assert.deepEqual((await readdir(path.dirname(store))).filter(f => !f.startsWith('ports.json.lock')), []);
		} finally {
			holder.kill('SIGKILL');
			await holder;
		}
	});
}

test('a command stuck where it cannot watch the signal (a compose file that is a FIFO) still ends within a second of SIGTERM', {timeout: 60_000}, async () => {
	const root = await tempDir();
	await mkdir(path.join(root, 'm', 'app1'), {recursive: true});
	assert.equal(spawnSync('mkfifo', [path.join(root, 'm', 'app1', 'docker-compose.yml')]).status, 0);
	const run = start(['ls', '--root', root, '--store', path.join(root, 'ports.json')]);
	await new Promise(r => setTimeout(r, 2000));
	const sent = Date.now();
	process.kill(run.pid!, "SIGTERM");
	const result = await run;
	// Either ls refused the FIFO before the signal (exit 0/1 with a word about it), or the signal ended it.
	if (result.exitCode === 143) assert.ok(Date.now() - sent < 1500, `took ${Date.now() - sent} ms`);
	else assert.match(result.stdout + result.stderr, /docker-compose\.yml/);
	void readFile;
});
