import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdir, readdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import net from 'node:net';
import {test} from 'node:test';
import {execa} from 'execa';
import {isDeno, ROOT, runtimeCommand} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

/** Starts `berth <args>` as users do (Node: the bin; Deno: the source), without waiting for it. */
function start(args: string[], env: Record<string, string> = {}) {
	const [file, prefix] = isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];
	return execa(file, [...prefix, ...args], {reject: false, stdin: 'ignore', env: {NO_COLOR: '1', ...env}});
}

/** The status a shell reports: the exit code, or 128 + the signal that ended the process. */
function shellStatus(result: {exitCode?: number | undefined; signal?: string | undefined}): number | undefined {
	if (result.exitCode !== undefined && result.exitCode !== null) return result.exitCode;
	return result.signal === 'SIGINT' ? 130 : result.signal === 'SIGTERM' ? 143 : undefined;
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

for (const [signal, status] of [
	['SIGINT', 130],
	['SIGTERM', 143],
] as const) {
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
			assert.equal(shellStatus(result), status, result.stderr);
			assert.ok(took < 1500, `took ${took} ms`);
			assert.match(result.stderr, /interrupted/);
			// The holder's allocation is not there yet (it still holds the lock), and neither is ours.
			assert.deepEqual(
				(await readdir(path.dirname(store))).filter(f => !f.startsWith('ports.json.lock')),
				[],
			);
		} finally {
			holder.kill('SIGKILL');
			await holder;
		}
	});
}

test('a command stuck where it does not watch the signal (a Docker Engine that never answers) still ends within a second of SIGTERM', {
	timeout: 60_000,
}, async () => {
	const dir = await tempDir();
	const socket = path.join(dir, 'silent.sock');
	const held: net.Socket[] = [];
	const server = net.createServer(connection => void held.push(connection)); // accepts, never answers
	await new Promise<void>(resolve => server.listen(socket, resolve));
	try {
		const run = start(['ports', 'allocate', 'm/app1', '--store', path.join(dir, 'ports.json')], {DOCKER_HOST: `unix://${socket}`});
		await new Promise(r => setTimeout(r, isDeno ? 2000 : 1500));
		const sent = Date.now();
		process.kill(run.pid!, 'SIGTERM');
		const result = await run;
		assert.equal(shellStatus(result), 143, `allocate was not stuck on the engine: ${result.stdout}${result.stderr}`);
		assert.ok(Date.now() - sent < 1500, `took ${Date.now() - sent} ms`);
	} finally {
		for (const c of held) c.destroy();
		server.close();
	}
});

test('a compose file or .berth.json that is a FIFO is named as unreadable, never waited on', {timeout: 60_000}, async () => {
	const root = await tempDir();
	await mkdir(path.join(root, 'm', 'app1'), {recursive: true});
	await mkdir(path.join(root, 'm', 'app2'), {recursive: true});
	assert.equal(spawnSync('mkfifo', [path.join(root, 'm', 'app1', 'docker-compose.yml')]).status, 0);
	assert.equal(spawnSync('mkfifo', [path.join(root, 'm', 'app2', '.berth.json')]).status, 0);
	for (const args of [['ports', 'check'], ['ls']]) {
		const run = start([...args, '--root', root, '--store', path.join(root, 'ports.json')]);
		const timer = setTimeout(() => run.kill('SIGKILL'), 20_000);
		const result = await run;
		clearTimeout(timer);
		assert.notEqual(result.signal, 'SIGKILL', `berth ${args.join(' ')} hung on a FIFO`);
		assert.match(result.stdout + result.stderr, /app1[/\\]docker-compose\.yml.*not a regular file/, `berth ${args.join(' ')}`);
	}
	// ls names every app file it cannot use, instead of passing over it.
	await mkdir(path.join(root, 'm', 'app3'));
	await writeFile(path.join(root, 'm', 'app3', '.berth.json'), '{"schema": 1, "flavour":');
	const ls = await start(['ls', '--root', root, '--store', path.join(root, 'ports.json')]);
	assert.match(ls.stdout + ls.stderr, /app2[/\\]\.berth\.json: it is not a regular file/);
	assert.match(ls.stdout + ls.stderr, /app3[/\\]\.berth\.json is not JSON/);
});
