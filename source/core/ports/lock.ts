import {lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {StoreError, errorMessage} from '../errors.ts';
import {sleep} from '../sleep.ts';
import {nodeCrypto} from '../node-crypto.ts';

/**
 * The port store's inter-process lock: a folder `<store>.lock` holding `owner.json`, which names the
 * process that holds it (pid, its start time, the boot and pid namespace it runs in, a random token).
 *
 * Why not a time-based stale lock (what proper-lockfile does): a holder that is paused (SIGSTOP, swapped
 * out, a slow disk) for longer than the stale time lost its lock to the next process, then woke up and
 * wrote its stale document over the other one's: reported allocations were lost and their ports given
 * twice. Here a lock is taken over only when its holder is provably gone (no process with that pid and
 * start time on this boot), never because it is slow. A holder on another host or pid namespace cannot
 * be checked; its lock is taken over only after `foreignStaleMs`, and the fencing check before every
 * write (`assertHeld`) stops a holder that lost its lock from writing anything.
 *
 * Every step is one atomic file-system operation: the lock folder is made complete under a private
 * name and renamed into place (a rename onto a non-empty folder fails, so it never replaces a lock), and
 * a dead holder's lock is marked by one reaper, checked to be the very lock that was found dead, and only
 * then moved aside and removed (takeOver): a live lock is never moved.
 */
export interface StoreLock {
	readonly token: string;
	/** Throws unless this process still holds the lock: called right before the document is written. */
	assertHeld(): void;
	release(): void;
}

export interface LockOptions {
	/** How long to wait for a live holder, in ms. */
	waitMs: number;
	/** Ends the wait (Ctrl-C): the lock is not taken and nothing is written. */
	signal?: AbortSignal | undefined;
	/** A holder that cannot be checked (another host or pid namespace) is taken over after this long. */
	foreignStaleMs?: number;
}

export interface LockOwner {
	pid: number;
	/** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), when known. */
	start: string | null;
	boot: string | null;
	pidns: string | null;
	host: string;
	token: string;
	/** When the lock was taken (ms since the epoch). */
	since: number;
}

const OWNER_FILE = 'owner.json';

function readText(file: string): string | null {
	try {
		return readFileSync(file, 'utf8').trim();
	} catch {
		return null;
	}
}

let identity: Omit<LockOwner, 'token' | 'since'> | undefined;

/** This process as a lock owner (read once: /proc is not free on Deno). */
function self(): Omit<LockOwner, 'token' | 'since'> {
	if (identity) return identity;
	let pidns: string | null = null;
	try {
		pidns = readlinkSync('/proc/self/ns/pid');
	} catch {
		// Not Linux, or /proc is not mounted: pid namespaces are then not told apart.
	}
	identity = {pid: process.pid, start: processStart(process.pid), boot: readText('/proc/sys/kernel/random/boot_id'), pidns, host: os.hostname()};
	return identity;
}

/** Field 22 of /proc/<pid>/stat (start time), and field 3 (state); null where there is no /proc. */
function procStat(pid: number): {start: string; state: string} | null | 'gone' {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') {
			return exists('/proc/self/stat') ? 'gone' : null;
		}
		return null;
	}
	// The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	return {state: fields[0] ?? '?', start: fields[19] ?? ''};
}

function processStart(pid: number): string | null {
	const s = procStat(pid);
	return s && s !== 'gone' ? s.start : null;
}

export type Liveness = 'alive' | 'stopped' | 'dead' | 'unknown';

/** Is the owner of a lock still running? `unknown` when it runs where this process cannot look. */
export function ownerLiveness(owner: LockOwner): Liveness {
	const me = self();
	if (owner.host !== me.host || owner.boot !== me.boot || owner.pidns !== me.pidns) return 'unknown';
	if (owner.pid === me.pid && owner.start === me.start) return 'alive';
	const s = procStat(owner.pid);
	if (s === 'gone') return 'dead';
	if (s === null) {
		// No /proc (macOS, or Deno short of --allow-all): signal 0 tells whether the pid exists, not
		// whether it was reused. Only "no such process" means dead: a check the runtime refuses (Deno
		// without --allow-run) says nothing, and guessing dead would take a live holder's lock.
		try {
			process.kill(owner.pid, 0);
			return 'alive';
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			return code === 'EPERM' ? 'alive' : code === 'ESRCH' ? 'dead' : 'unknown';
		}
	}
	if (owner.start !== null && s.start !== owner.start) return 'dead'; // the pid was reused
	if (s.state === 'Z' || s.state === 'X') return 'dead';
	return s.state === 'T' || s.state === 't' ? 'stopped' : 'alive';
}

function parseOwner(text: string | null): LockOwner | null {
	if (!text) return null;
	try {
		const value = JSON.parse(text) as Partial<LockOwner>;
		if (typeof value.pid !== 'number' || typeof value.token !== 'string') return null;
		return {
			pid: value.pid,
			start: value.start ?? null,
			boot: value.boot ?? null,
			pidns: value.pidns ?? null,
			host: String(value.host ?? ''),
			token: value.token,
			since: Number(value.since ?? 0),
		};
	} catch {
		return null;
	}
}

function readOwner(lockDir: string): LockOwner | null {
	return parseOwner(readText(path.join(lockDir, OWNER_FILE)));
}

function code(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Errors that waiting cannot cure: the folder itself refuses writes. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EIO', 'ENAMETOOLONG', 'ELOOP']);

function describeOwner(owner: LockOwner | null, liveness: Liveness | null): string {
	if (!owner) return 'a berth process';
	const state = liveness === 'stopped' ? ', which is stopped (paused)' : liveness === 'unknown' ? ` on ${owner.host || 'another host'}` : '';
	return `berth process ${owner.pid}${state}`;
}

/**
 * Takes the lock of `file` (`<file>.lock`), waiting while a live process holds it. `file` must be the
 * store's real path (symlinks resolved), so every path that reaches one store shares one lock.
 */
export async function acquireLock(file: string, options: LockOptions): Promise<StoreLock> {
	const lockDir = `${file}.lock`;
	const foreignStaleMs = options.foreignStaleMs ?? 60_000;
	const token = `${process.pid}-${nodeCrypto().randomBytes(6).toString('hex')}`;
	const me: LockOwner = {...self(), token, since: 0};
	const deadline = Date.now() + options.waitMs;
	let delay = 1;
	let lastLiveness: Liveness | null = null;
	for (let attempt = 0; ; attempt++) {
		if (options.signal?.aborted) {
			throw new StoreError(`interrupted while waiting for the lock of the port store ${file}; nothing was written`, file, options.signal.reason);
		}
		if (tryCreate(lockDir, {...me, since: Date.now()}, file)) {
			sweep(file);
			return held(lockDir, token, file);
		}
		const owner = readOwner(lockDir);
		if (owner) {
			const liveness = ownerLiveness(owner);
			lastLiveness = liveness;
			if (liveness === 'dead' || (liveness === 'unknown' && Date.now() - owner.since > foreignStaleMs)) {
				takeOver(lockDir, owner.token, token);
				continue;
			}
		} else if (legacyStale(lockDir)) {
			// A lock folder without an owner file: left by a berth from before this lock (proper-lockfile),
			// which refreshed its mtime while alive. Untouched for 10 s, its holder is gone.
			takeOver(lockDir, null, token);
			continue;
		}
		if (Date.now() >= deadline) {
			throw new StoreError(
				`the port store ${file} is locked by ${describeOwner(owner, lastLiveness)} and stayed locked for ${Math.round(options.waitMs / 1000)} s. Wait for it to finish (or resume it), or end it; berth takes the lock over by itself once that process is gone. Lock: ${lockDir}`,
				file,
			);
		}
		await sleep(delay, options.signal);
		delay = Math.min(25, Math.ceil(delay * 1.5) + (attempt % 3));
	}
}

/** Makes the complete lock folder under a private name and renames it into place. */
function tryCreate(lockDir: string, owner: LockOwner, file: string): boolean {
	const staging = `${lockDir}.${owner.token}.new`;
	try {
		mkdirSync(staging);
		writeFileSync(path.join(staging, OWNER_FILE), JSON.stringify(owner));
	} catch (error) {
		rmSync(staging, {recursive: true, force: true});
		if (UNWRITABLE.has(code(error) ?? '')) {
			throw new StoreError(
				`cannot write in the folder of the port store ${file}: ${errorMessage(error)}. berth needs to create files there (the lock and the new document). Make the folder writable, or point berth at another store with --store FILE or BERTH_STORE.`,
				file,
				error,
			);
		}
		throw new StoreError(`cannot take the lock of the port store ${file}: ${errorMessage(error)}`, file, error);
	}
	try {
		renameSync(staging, lockDir);
		return true;
	} catch (error) {
		rmSync(staging, {recursive: true, force: true});
		const c = code(error);
		if (c === 'ENOTEMPTY' || c === 'EEXIST' || c === 'EISDIR' || c === 'ENOTDIR' || c === 'EPERM' || c === 'EACCES') {
			// Somebody holds the lock (EPERM/EACCES: Windows refuses renaming onto an existing folder).
			if ((c === 'EPERM' || c === 'EACCES') && !exists(lockDir))
				throw new StoreError(`cannot take the lock of the port store ${file}: ${errorMessage(error)}`, file, error);
			return false;
		}
		throw new StoreError(`cannot take the lock of the port store ${file}: ${errorMessage(error)}`, file, error);
	}
}

function exists(file: string): boolean {
	try {
		lstatSync(file);
		return true;
	} catch {
		return false;
	}
}

function legacyStale(lockDir: string): boolean {
	try {
		const s = lstatSync(lockDir);
		if (!s.isDirectory()) return Date.now() - s.mtimeMs > 10_000;
		// An owner file may be on its way in (we only ever rename complete folders, but be safe).
		return readText(path.join(lockDir, OWNER_FILE)) === null && Date.now() - s.mtimeMs > 10_000;
	} catch {
		return false;
	}
}

/** The folder a waiter makes inside a dead holder's lock before it removes that lock: one reaper at a time. */
const REAPER = 'reaper';

/** A reaper mark older than this was left by a waiter that died while reaping (reaping takes microseconds). */
const REAPER_STALE_MS = 5_000;

/**
 * Removes a dead holder's lock so that waiters can compete for a new one. Several waiters may have found
 * the same dead lock, and by the time one acts another may already have removed it and taken a new, live
 * lock under the same name. Moving that live lock aside, even to put it back at once, left the name free
 * for an instant: a third waiter could take it, and two processes then held the lock (one failed its
 * write, or, checked just before, wrote over the other's). So the live lock is never touched: the waiter
 * first marks the lock it found (mkdir `reaper` inside it, which only one waiter wins), then checks that
 * the marked lock is still the dead one (a dead lock cannot be replaced while it exists, and only the
 * marker's owner removes it) and only then moves it aside and removes it.
 */
export function takeOver(lockDir: string, deadToken: string | null, myToken: string): void {
	const reaper = path.join(lockDir, REAPER);
	try {
		mkdirSync(reaper);
	} catch (error) {
		// EEXIST: another waiter is reaping (compete again), unless it died doing so; ENOENT: already gone.
		if (code(error) === 'EEXIST') removeStaleReaper(reaper);
		return;
	}
	if ((readOwner(lockDir)?.token ?? null) !== deadToken) {
		// The lock was replaced before we marked it: the mark went into a live lock. Take it out again.
		rmSync(reaper, {recursive: true, force: true});
		return;
	}
	const aside = `${lockDir}.${myToken}.stale`;
	try {
		renameSync(lockDir, aside);
	} catch {
		return;
	}
	rmSync(aside, {recursive: true, force: true});
}

function removeStaleReaper(reaper: string): void {
	try {
		if (Date.now() - lstatSync(reaper).mtimeMs > REAPER_STALE_MS) rmSync(reaper, {recursive: true, force: true});
	} catch {
		// gone meanwhile
	}
}

/**
 * Removes what processes killed at the wrong instant left next to the store: a lock folder being made
 * (`.lock.<token>.new`), moved aside (`.stale`, `.released`) or a temp document (`.<name>.<token>.tmp`),
 * once the process named by the token is gone. Runs under the lock; one folder listing.
 */
function sweep(file: string): void {
	const dir = path.dirname(file);
	const base = path.basename(file);
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return;
	}
	for (const name of names) {
		const match = name.startsWith(`${base}.lock.`)
			? /^(\d+)-[0-9a-f]+\.(new|stale|released)$/.exec(name.slice(base.length + 6))
			: name.startsWith(`.${base}.`)
				? /^(\d+)-[0-9a-f]+\.tmp$/.exec(name.slice(base.length + 2))
				: null;
		if (!match || procStat(Number(match[1])) !== 'gone') continue;
		rmSync(path.join(dir, name), {recursive: true, force: true});
	}
}

function held(lockDir: string, token: string, file: string): StoreLock {
	let released = false;
	return {
		token,
		assertHeld() {
			const owner = readOwner(lockDir);
			if (owner?.token !== token) {
				throw new StoreError(
					`lost the lock of the port store ${file} to ${describeOwner(owner, owner ? ownerLiveness(owner) : null)} (this process was paused or too slow, and its lock was taken over); nothing was written. Run the command again.`,
					file,
				);
			}
		},
		release() {
			if (released) return;
			released = true;
			if (readOwner(lockDir)?.token !== token) return; // taken over: not ours to remove
			const gone = `${lockDir}.${token}.released`;
			try {
				renameSync(lockDir, gone);
			} catch {
				return;
			}
			if (readOwner(gone)?.token !== token) {
				// Moved somebody else's lock in the instant after the check: put it back.
				try {
					renameSync(gone, lockDir);
					return;
				} catch {
					// fall through: that holder's fencing check stops its write
				}
			}
			rmSync(gone, {recursive: true, force: true});
		},
	};
}
