import assert from 'node:assert/strict';
import {readFileSync, readlinkSync, watch} from 'node:fs';
import os from 'node:os';
import {mkdir, readdir, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {acquireLock, takeOver} from '../../../source/core/ports/lock.ts';
import {tempDir} from '../../helpers/temp.ts';

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A lock folder as a holder on this machine that has since died left it (pid 2^22 + 1 is above any pid_max). */
async function deadLock(file: string, token: string): Promise<void> {
	const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
	const owner = {pid: 4_194_305, start: '1', boot, pidns: readlinkSync('/proc/self/ns/pid'), host: os.hostname(), token, since: Date.now()};
	await mkdir(`${file}.lock`);
	await writeFile(path.join(`${file}.lock`, 'owner.json'), JSON.stringify(owner));
}

// What failed once in CI's torture test: two waiters found the same dead lock; the first removed it and
// took a new one; the second then moved that live lock aside to check it and back, and in that instant a
// third waiter took the free name. Two processes held the lock at once.
test('a waiter that found a lock dead never moves the live lock that replaced it, not even for an instant', async () => {
	const dir = await tempDir();
	const file = path.join(dir, 'ports.json');
	const live = await acquireLock(file, {waitMs: 1000});
	const seen: string[] = [];
	const watcher = watch(dir, (event, name) => seen.push(`${event} ${name}`));
	try {
		await pause(50);
		// The second waiter acts on what it read before the first one replaced the lock.
		takeOver(`${file}.lock`, 'token-of-the-dead-holder', 'second-waiter');
		await pause(300);
	} finally {
		watcher.close();
	}
	assert.deepEqual(
		seen.filter(entry => entry.includes('.lock')),
		[],
		'the live lock folder was renamed (for an instant nobody held it)',
	);
	live.assertHeld();
	assert.deepEqual(await readdir(`${file}.lock`), ['owner.json'], 'the waiter left its reaper mark in the live lock');
	live.release();
});

test("a dead holder's lock is taken over; a waiter that died while reaping it does not block the others for long", async () => {
	const dir = await tempDir();
	const file = path.join(dir, 'ports.json');
	await deadLock(file, 'dead-1');
	const lock = await acquireLock(file, {waitMs: 5000});
	lock.assertHeld();
	lock.release();

	// A dead lock that another waiter marked and then died: its mark is old, so the lock is reaped anyway.
	await deadLock(file, 'dead-2');
	await mkdir(path.join(`${file}.lock`, 'reaper'));
	const old = new Date(Date.now() - 60_000);
	await utimes(path.join(`${file}.lock`, 'reaper'), old, old);
	const again = await acquireLock(file, {waitMs: 5000});
	again.assertHeld();
	again.release();
	assert.deepEqual((await readdir(dir)).sort(), [], 'nothing of either takeover is left behind');
});
