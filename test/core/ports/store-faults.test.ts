import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {lstat, mkdir, readdir, readFile, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {openStore} from '../../../source/core/ports/store.ts';
import {getOrAllocate, releaseAllocation} from '../../../source/core/ports/service.ts';
import {StoreError} from '../../../source/core/errors.ts';
import {documentProblems, type StoreDocument} from '../../../source/core/ports/allocator.ts';
import {tempDir} from '../../helpers/temp.ts';
import {runtimeCommand} from '../../helpers/runtime.ts';

const HOLD = 'test/fixtures/hold-lock.ts';
const WORKER = 'test/fixtures/allocate-worker.ts';
const slots = [{name: 'web', base: 43_001, step: 2}];

function assertSound(doc: StoreDocument): void {
	assert.deepEqual(documentProblems(doc), []);
	const ports = doc.allocations.flatMap(a => Object.values(a.ports));
	assert.equal(new Set(ports).size, ports.length, `a port is given twice: ${JSON.stringify(doc.allocations.map(a => a.ports))}`);
}

/** Starts the lock-holding fixture and resolves once it is inside the lock. */
async function holder(file: string, model: string, holdMs: number) {
	const [cmd, prefix] = runtimeCommand(HOLD);
	const run = execa(cmd, [...prefix, file, model, String(holdMs)], {reject: false, buffer: false});
	let out = '';
	run.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const started = Date.now();
	while (!out.includes('inside') && Date.now() - started < 60_000) await new Promise(r => setTimeout(r, 5));
	assert.ok(out.includes('inside'), 'the holder never got inside the lock');
	return {run, pid: run.pid!, output: () => out};
}

function reports(output: string): {model: string; app: number; ports: Record<string, number>}[] {
	return output
		.split('\n')
		.filter(l => l.endsWith('}'))
		.map(l => JSON.parse(l));
}

test('a lock holder paused for 3.5 s keeps its lock: the waiter waits, and both allocations are kept with distinct ports', {timeout: 120_000}, async () => {
	const file = path.join(await tempDir(), 'ports.json');
	const held = await holder(file, 'paused', 300);
	process.kill(held.pid, 'SIGSTOP');
	const [cmd, prefix] = runtimeCommand(WORKER);
	const waiter = execa(cmd, [...prefix, file, 'waiter', '1', '1'], {reject: false});
	await new Promise(r => setTimeout(r, 3500));
	process.kill(held.pid, 'SIGCONT');
	const [w] = await Promise.all([waiter, held.run]);
	assert.equal(w.exitCode, 0, w.stderr);
	const told = [...reports(held.output()), ...reports(w.stdout)];
	assert.equal(told.length, 2);
	const doc = JSON.parse(await readFile(file, 'utf8')) as StoreDocument;
	assertSound(doc);
	for (const t of told) assert.deepEqual(doc.allocations.find(a => a.model === t.model)?.ports, t.ports, `${t.model} was reported but lost`);
	assert.notDeepEqual(told[0]!.ports, told[1]!.ports);
});

test('a lock holder killed with four waiters: one waiter takes the lock over, every reported allocation is kept', {timeout: 180_000}, async () => {
	for (let round = 0; round < 3; round++) {
		const file = path.join(await tempDir(), 'ports.json');
		const held = await holder(file, 'victim', 60_000);
		const [cmd, prefix] = runtimeCommand(WORKER);
		const waiters = Array.from({length: 4}, (_, i) => execa(cmd, [...prefix, file, `waiter-${i}`, '1', '3'], {reject: false}));
		await new Promise(r => setTimeout(r, 300));
		process.kill(held.pid, 'SIGKILL');
		await held.run;
		const done = await Promise.all(waiters);
		for (const w of done) assert.equal(w.exitCode, 0, w.stderr);
		const told = done.flatMap(w => reports(w.stdout));
		assert.equal(told.length, 12);
		const doc = JSON.parse(await readFile(file, 'utf8')) as StoreDocument;
		assertSound(doc);
		assert.equal(doc.allocations.length, 12);
		for (const t of told) assert.deepEqual(doc.allocations.find(a => a.model === t.model && a.app === t.app)?.ports, t.ports);
		// Nothing of the takeover is left behind: no lock, no staging or stale lock folders, no temp files.
		assert.deepEqual((await readdir(path.dirname(file))).sort(), ['ports.json']);
	}
});

test('a store reached through a symlink stays one store: writes go where the link points, both paths share ports and lock', {timeout: 60_000}, async () => {
	const dir = await tempDir();
	const shared = path.join(dir, 'shared', 'ports.json');
	await mkdir(path.dirname(shared));
	const link = path.join(dir, 'mine', 'ports.json');
	await mkdir(path.dirname(link));
	await symlink(shared, link); // dangling until the first write
	const a = await getOrAllocate(openStore(link), {model: 'a', number: 1}, {appPath: '/x', slots});
	const b = await getOrAllocate(openStore(shared), {model: 'b', number: 1}, {appPath: '/y', slots});
	const c = await getOrAllocate(openStore(link), {model: 'c', number: 1}, {appPath: '/z', slots});
	assert.ok((await lstat(link)).isSymbolicLink(), 'the symlink was replaced by a private copy');
	assert.deepEqual(
		[a, b, c].map(r => r.allocation.ports.web),
		[43_001, 43_003, 43_005],
	);
	assert.equal((JSON.parse(await readFile(shared, 'utf8')) as StoreDocument).allocations.length, 3);
	// Concurrent writers through both paths: one lock (on the real file), no port twice.
	const [cmd, prefix] = runtimeCommand(WORKER);
	const runs = await Promise.all([link, shared, link, shared].map((f, i) => execa(cmd, [...prefix, f, `p${i}`, '1', '10'], {reject: false})));
	for (const r of runs) assert.equal(r.exitCode, 0, r.stderr);
	const doc = JSON.parse(await readFile(shared, 'utf8')) as StoreDocument;
	assert.equal(doc.allocations.length, 43);
	assertSound(doc);
	assert.ok((await lstat(link)).isSymbolicLink());
});

/** Makes `dir` refuse new entries even for root: immutable (chattr +i) where possible, else mode 0555. */
function freeze(dir: string, on: boolean): string {
	if (process.getuid?.() === 0) {
		const result = spawnSync('chattr', [on ? '+i' : '-i', dir]);
		if (result.status === 0) return 'immutable';
	}
	spawnSync('chmod', [on ? '0555' : '0755', dir]);
	return 'mode 0555';
}

test('an unwritable store folder fails at once with what to do, not after 30 s as a lock held by somebody', {timeout: 60_000}, async t => {
	const dir = path.join(await tempDir(), 'data');
	await mkdir(dir);
	const file = path.join(dir, 'ports.json');
	await getOrAllocate(openStore(file), {model: 'a', number: 1}, {appPath: '/x', slots});
	const before = await readFile(file, 'utf8');
	const how = freeze(dir, true);
	t.after(() => freeze(dir, false));
	const started = Date.now();
	await assert.rejects(getOrAllocate(openStore(file), {model: 'b', number: 1}, {appPath: '/y', slots}), (error: unknown) => {
		assert.ok(error instanceof StoreError, String(error));
		assert.match(error.message, /cannot write in the folder of the port store/);
		assert.ok(error.message.includes(file));
		assert.doesNotMatch(error.message, /locked by|remove that folder/);
		return true;
	});
	assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms (${how})`);
	freeze(dir, false);
	assert.equal(await readFile(file, 'utf8'), before);
	assert.deepEqual(await readdir(dir), ['ports.json']);
});

test('a read-only mount holding the store fails at once with what to do', {timeout: 60_000}, async t => {
	if (process.getuid?.() !== 0) return t.skip('needs root to mount a read-only file system');
	const dir = path.join(await tempDir(), 'ro');
	await mkdir(dir);
	assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]).status, 0, 'cannot mount a tmpfs');
	try {
		const file = path.join(dir, 'ports.json');
		await getOrAllocate(openStore(file), {model: 'a', number: 1}, {appPath: '/x', slots});
		assert.equal(spawnSync('mount', ['-o', 'remount,ro', dir]).status, 0);
		const started = Date.now();
		await assert.rejects(
			getOrAllocate(openStore(file), {model: 'b', number: 1}, {appPath: '/y', slots}),
			/cannot write in the folder of the port store .*read-only file system/i,
		);
		assert.ok(Date.now() - started < 5000);
		assert.equal((JSON.parse(await readFile(file, 'utf8')) as StoreDocument).allocations.length, 1);
	} finally {
		spawnSync('umount', [dir]);
	}
});

test('a failed final rename leaves no temp file and the store as it was', {timeout: 60_000}, async t => {
	if (process.getuid?.() !== 0) return t.skip('needs root for an immutable file');
	const dir = await tempDir();
	const file = path.join(dir, 'ports.json');
	await getOrAllocate(openStore(file), {model: 'a', number: 1}, {appPath: '/x', slots});
	const before = await readFile(file, 'utf8');
	assert.equal(spawnSync('chattr', ['+i', file]).status, 0, 'chattr +i failed');
	t.after(() => void spawnSync('chattr', ['-i', file]));
	await assert.rejects(
		releaseAllocation(openStore(file), {model: 'a', number: 1}),
		(error: unknown) => error instanceof StoreError && /cannot write the port store/.test(error.message),
	);
	spawnSync('chattr', ['-i', file]);
	assert.equal(await readFile(file, 'utf8'), before);
	assert.deepEqual(await readdir(dir), ['ports.json']);
});

test('the fencing check: a document written by somebody else while berth held the lock is not overwritten', async () => {
	const file = path.join(await tempDir(), 'ports.json');
	const store = openStore(file);
	await getOrAllocate(store, {model: 'a', number: 1}, {appPath: '/x', slots});
	const intruder = JSON.stringify({version: 1, allocations: []});
	await assert.rejects(
		store.update(async doc => {
			await writeFile(file + '.other', intruder);
			spawnSync('mv', [file + '.other', file]); // another program replaces the file inside our lock
			doc.allocations.length = 0;
			return {value: null, write: true};
		}),
		/changed by another program while berth held its lock; nothing was written/,
	);
	assert.equal(await readFile(file, 'utf8'), intruder);
});

test('waiting for a lock ends at once when the command is interrupted, and nothing is written', {timeout: 60_000}, async () => {
	const file = path.join(await tempDir(), 'ports.json');
	const held = await holder(file, 'slow', 60_000);
	try {
		const controller = new AbortController();
		const waiting = getOrAllocate(openStore(file, {signal: controller.signal}), {model: 'b', number: 1}, {appPath: '/y', slots});
		await new Promise(r => setTimeout(r, 300));
		const started = Date.now();
		controller.abort();
		await assert.rejects(waiting, /interrupted while waiting for the lock .*nothing was written/);
		assert.ok(Date.now() - started < 500);
	} finally {
		held.run.kill('SIGKILL');
		await held.run;
	}
});
