import {mkdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {Low, type Adapter} from 'lowdb';
import {TextFile} from 'lowdb/node';
import {StoreError, errorMessage} from '../errors.ts';
import {documentProblems, emptyDocument, type StoreDocument} from './allocator.ts';

/**
 * The port store: one lowdb JSON document on disk. Reads take no lock; every read-modify-write runs
 * under an inter-process lock (proper-lockfile) and is written atomically (steno: temp file + rename),
 * so processes killed at any moment leave either the old or the new document, never half of one.
 */
export interface PortStore {
	readonly file: string;
	/** The current document (an empty one when the file does not exist yet). */
	read(): Promise<StoreDocument>;
	/**
	 * Runs `change` on the current document under the lock. When it returns `write: true` the document
	 * is written before the lock is released. An exception leaves the file untouched.
	 */
	update<T>(change: (doc: StoreDocument) => Promise<{value: T; write: boolean}> | {value: T; write: boolean}): Promise<T>;
}

interface FileSignature {
	ino: number;
	size: number;
	mtimeMs: number;
}

/**
 * A lowdb adapter that parses and checks the store, naming the file in every error, and keeps the
 * parsed document while the file on disk is unchanged (same inode, size and mtime): a store with
 * 10,000 allocations costs one `stat`, not a 1 MB parse, per operation of a long-lived process.
 */
class StoreFile implements Adapter<StoreDocument> {
	readonly #file: string;
	readonly #text: TextFile;
	#signature: FileSignature | null = null;
	#cached: StoreDocument | null = null;
	readonly #allocationText = new WeakMap<object, string>();
	#joined: {allocations: unknown[]; length: number; last: unknown; text: string} | null = null;

	constructor(file: string) {
		this.#file = file;
		this.#text = new TextFile(file);
	}

	async read(): Promise<StoreDocument | null> {
		const signature = await this.#stat();
		if (!signature) {
			this.invalidate();
			return null;
		}
		if (this.#cached && this.#signature && sameSignature(signature, this.#signature)) return this.#cached;
		let text: string | null;
		try {
			text = await this.#text.read();
		} catch (error) {
			throw new StoreError(`cannot read the port store ${this.#file}: ${errorMessage(error)}. Check its permissions, or point berth at another store with --store FILE.`, this.#file, error);
		}
		if (text === null) return null;
		let doc: unknown;
		try {
			doc = JSON.parse(text);
		} catch (error) {
			throw new StoreError(
				`the port store ${this.#file} is corrupt (${errorMessage(error)}). berth left it as it is: repair the JSON by hand, or move it aside to start an empty store (every allocation in it would be forgotten).`,
				this.#file,
				error,
			);
		}
		const problems = documentProblems(doc);
		if (problems.length > 0) {
			throw new StoreError(
				`the port store ${this.#file} is not a berth store: ${problems.slice(0, 3).join('; ')}. berth left it as it is: repair it by hand or move it aside.`,
				this.#file,
			);
		}
		this.#cached = doc as StoreDocument;
		this.#signature = signature;
		return this.#cached;
	}

	async write(doc: StoreDocument): Promise<void> {
		this.invalidate();
		try {
			await mkdir(path.dirname(this.#file), {recursive: true});
			await this.#text.write(this.#serialise(doc));
		} catch (error) {
			throw new StoreError(`cannot write the port store ${this.#file}: ${errorMessage(error)}`, this.#file, error);
		}
		const signature = await this.#stat();
		if (signature) {
			this.#cached = doc;
			this.#signature = signature;
		}
	}

	/**
	 * JSON.stringify of the whole document, but each allocation's text is kept from the last write:
	 * allocations are never changed in place (only added or removed), and re-serialising 10,000 of
	 * them for every new one cost more than writing the file. When the list only grew since the last
	 * write (the allocation case), even the join of the old entries is reused.
	 */
	#serialise(doc: StoreDocument): string {
		const {allocations, ...rest} = doc;
		const previous = this.#joined;
		let joined: string;
		if (previous && previous.allocations === allocations && previous.length <= allocations.length && allocations[previous.length - 1] === previous.last) {
			// Only appended since the last write: reuse the text of the first `previous.length` entries.
			const added = allocations.slice(previous.length).map(a => this.#textOf(a));
			joined = previous.text + (previous.text && added.length ? ',' : '') + added.join(',');
		} else {
			joined = allocations.map(a => this.#textOf(a)).join(',');
		}
		this.#joined = {allocations, length: allocations.length, last: allocations[allocations.length - 1], text: joined};
		const head = JSON.stringify(rest);
		return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"allocations":[${joined}]}\n`;
	}

	#textOf(allocation: object): string {
		let text = this.#allocationText.get(allocation);
		if (text === undefined) {
			text = JSON.stringify(allocation);
			this.#allocationText.set(allocation, text);
		}
		return text;
	}

	invalidate(): void {
		this.#cached = null;
		this.#signature = null;
	}

	async #stat(): Promise<FileSignature | null> {
		try {
			const s = await stat(this.#file);
			return {ino: s.ino, size: s.size, mtimeMs: s.mtimeMs};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw new StoreError(`cannot read the port store ${this.#file}: ${errorMessage(error)}`, this.#file, error);
		}
	}
}

function sameSignature(a: FileSignature, b: FileSignature): boolean {
	return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

export interface StoreOptions {
	/** How long a lock left by a killed process blocks others, in ms (proper-lockfile's minimum is 2000). */
	staleMs?: number;
	/** How long to wait for the lock before failing, in ms. */
	waitMs?: number;
}

export function openStore(file: string, options: StoreOptions = {}): PortStore {
	const adapter = new StoreFile(file);
	const db = new Low<StoreDocument>(adapter, emptyDocument());
	const stale = Math.max(2000, options.staleMs ?? 2000);
	const waitMs = options.waitMs ?? 30_000;

	async function read(): Promise<StoreDocument> {
		await db.read();
		return db.data;
	}

	async function update<T>(change: (doc: StoreDocument) => Promise<{value: T; write: boolean}> | {value: T; write: boolean}): Promise<T> {
		await mkdir(path.dirname(file), {recursive: true}).catch((error: unknown) => {
			throw new StoreError(`cannot create the folder of the port store ${file}: ${errorMessage(error)}`, file, error);
		});
		let compromised: Error | undefined;
		let release: () => Promise<void>;
		// Loaded on first write only: reads (the common case) never pay for proper-lockfile + graceful-fs.
		const {default: lockfile} = await import('proper-lockfile');
		try {
			release = await lockfile.lock(file, {
				realpath: false,
				stale,
				update: Math.floor(stale / 2),
				retries: {retries: Math.ceil(waitMs / 25), minTimeout: 2, maxTimeout: 25, factor: 1.3, randomize: true},
				onCompromised(error) {
					compromised = error;
				},
			});
		} catch (error) {
			throw new StoreError(
				`the port store ${file} stayed locked by another berth process for ${Math.round(waitMs / 1000)} s (lock: ${file}.lock). If no berth is running, remove that folder.`,
				file,
				error,
			);
		}
		try {
			await db.read();
			// The change works on the cached document itself (a copy would cost milliseconds at 10,000
			// allocations); when it throws, the catch below drops the cache so the file is read again.
			const doc = db.data;
			const {value, write} = await change(doc);
			if (write) {
				if (compromised) throw new StoreError(`lost the lock on the port store ${file} (${compromised.message}); nothing was written`, file, compromised);
				db.data = doc;
				await db.write();
			}
			return value;
		} catch (error) {
			adapter.invalidate();
			throw error;
		} finally {
			await release().catch(() => {});
		}
	}

	return {file, read, update};
}
