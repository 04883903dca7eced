import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa, type ResultPromise} from 'execa';
import type {StoreDocument} from '../../../source/core/ports/allocator.ts';
import {documentProblems} from '../../../source/core/ports/allocator.ts';
import {tempDir} from '../../helpers/temp.ts';
import {runtimeCommand} from '../../helpers/runtime.ts';

/**
 * The store's guarantee (docs/reliability.md): an allocation berth reported is never lost and its ports
 * are never given to another app, whatever happens to other berth processes. Several processes allocate
 * and release on one store while the one holding the lock is paused (SIGSTOP for longer than any
 * stale time a lock ever had) or killed (SIGKILL) at random, for a bounded time; the store must then
 * hold exactly what the processes were told, and no port twice.
 */

const WORKER = 'test/fixtures/churn-worker.ts';
const DURATION_MS = Number(process.env['BERTH_TORTURE_MS'] ?? 14_000);

interface Line {
	model: string;
	op: 'alloc' | 'release';
	app: number;
	phase: 'begin' | 'done';
	ports?: Record<string, number>;
}

interface Worker {
	model: string;
	run: ResultPromise<{reject: false; buffer: false}>;
	out: string;
	pid: number;
	killed: boolean;
}

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Sends a signal to a process that may have ended meanwhile. */
function signal(pid: number, name: NodeJS.Signals): boolean {
	try {
		process.kill(pid, name);
		return true;
	} catch {
		return false;
	}
}

async function lockHolder(file: string): Promise<number | null> {
	try {
		return (JSON.parse(await readFile(`${file}.lock/owner.json`, 'utf8')) as {pid: number}).pid;
	} catch {
		return null;
	}
}

test('torture: processes paused and killed inside the lock never lose a reported allocation nor give a port twice', {timeout: 240_000}, async () => {
	const file = path.join(await tempDir(), 'ports.json');
	const [cmd, prefix] = runtimeCommand(WORKER);
	const deadline = Date.now() + DURATION_MS;
	const workers: Worker[] = [];
	const failures: string[] = [];
	let serial = 0;
	const start = () => {
		const model = `w${serial++}`;
		const run = execa(cmd, [...prefix, file, model, String(deadline)], {reject: false, buffer: false});
		const worker: Worker = {model, run, out: '', pid: run.pid!, killed: false};
		run.stdout!.on('data', (chunk: Buffer) => (worker.out += chunk.toString()));
		let err = '';
		run.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
		void run.then(result => {
			if (!worker.killed && result.exitCode !== 0)
				failures.push(`worker ${model} exited ${result.exitCode}: ${err.trim().split('\n').slice(0, 3).join(' / ')}`);
		});
		workers.push(worker);
	};
	for (let i = 0; i < 5; i++) start();
	await pause(1500); // every worker up and running

	let paused = 0;
	let pausedInside = 0;
	let killedInside = 0;
	const resumes: Promise<void>[] = [];
	while (Date.now() < deadline - 3000) {
		await pause(100 + Math.random() * 200);
		const holder = await lockHolder(file);
		const live = workers.filter(w => !w.killed);
		// A lock without an owner record (berth before lock.ts): any worker, inside the lock by chance.
		const victim = holder === null && process.env['BERTH_TORTURE_BLIND'] ? live[Math.floor(Math.random() * live.length)] : live.find(w => w.pid === holder);
		if (!victim) continue;
		if (Math.random() < 0.6) {
			// Paused inside the lock for 2.5 s: longer than the 2 s stale time of the old lock.
			if (!signal(victim.pid, 'SIGSTOP')) continue;
			paused++;
			if ((await lockHolder(file)) === victim.pid) pausedInside++;
			resumes.push(pause(2500).then(() => void signal(victim.pid, 'SIGCONT')));
		} else {
			victim.killed = true;
			if (!signal(victim.pid, 'SIGKILL')) continue;
			killedInside++;
			start();
		}
	}
	await Promise.all(resumes);
	await Promise.all(workers.map(w => w.run));

	// What each app's last operation told its process, and the one it was in when killed (if any).
	const last = new Map<string, {done?: Line; pending?: Line}>();
	let reported = 0;
	for (const worker of workers) {
		for (const raw of worker.out.split('\n')) {
			if (!raw.endsWith('}')) continue;
			const line = JSON.parse(raw) as Line;
			const key = `${line.model}/app${line.app}`;
			const entry = last.get(key) ?? {};
			if (line.phase === 'begin') entry.pending = line;
			else {
				entry.done = line;
				entry.pending = undefined;
				reported++;
			}
			last.set(key, entry);
		}
	}
	const doc = JSON.parse(await readFile(file, 'utf8')) as StoreDocument;
	assert.deepEqual(documentProblems(doc), []);
	const owners = new Map<number, string>();
	for (const a of doc.allocations) {
		for (const port of Object.values(a.ports)) {
			assert.ok(!owners.has(port), `port ${port} is held by ${owners.get(port)} and ${a.model}/app${a.app}`);
			owners.set(port, `${a.model}/app${a.app}`);
		}
	}
	const lost: string[] = [];
	for (const [key, {done, pending}] of last) {
		const [model, app] = [key.split('/')[0]!, Number(key.split('/app')[1])];
		const stored = doc.allocations.find(a => a.model === model && a.app === app);
		// A killed process's unfinished operation may or may not have happened; anything it was told must hold.
		const allowed: ('absent' | 'present' | Record<string, number>)[] = [];
		allowed.push(done ? (done.op === 'alloc' ? done.ports! : 'absent') : 'absent');
		if (pending) allowed.push(pending.op === 'alloc' ? 'present' : 'absent');
		const ok = allowed.some(want =>
			want === 'absent' ? !stored : want === 'present' ? Boolean(stored) : Boolean(stored) && JSON.stringify(stored!.ports) === JSON.stringify(want),
		);
		if (!ok) lost.push(`${key}: told ${JSON.stringify(done ?? pending)}, store has ${JSON.stringify(stored?.ports ?? null)}`);
	}
	assert.deepEqual(lost, [], `${lost.length} apps differ from what their process was told`);
	assert.deepEqual(failures, [], 'a berth process that was neither paused nor killed failed');
	assert.ok(reported > 100, `only ${reported} operations were reported`);
	assert.ok(pausedInside >= 2, `only ${pausedInside} pauses landed inside the lock`);
	console.log(
		`torture: ${reported} operations reported, ${paused} pauses (${pausedInside} inside the lock), ${killedInside} kills inside the lock, ${doc.allocations.length} allocations at the end, 0 lost`,
	);
});
