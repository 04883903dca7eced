import {closeSync, openSync, renameSync, rmSync, writeSync} from 'node:fs';
import {mkdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {Low, type Adapter} from 'lowdb';
import {TextFile} from 'lowdb/node';
import {StoreError, errorMessage} from '../errors.ts';
import {documentProblems, emptyDocument, type StoreDocument} from './allocator.ts';

/**
 * The port store: one lowdb JSON document on disk. Reads take no lock; every read-modify-write runs
 * under an inter-process lock (proper-lockfile) and is written atomically (temp file + rename),
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
	#joined: {allocations: unknown[]; length: number; last: unknown; bytes: ByteBuffer} | null = null;

	constructor(file: string) {
		this.#file = file;
		this.#text = new TextFile(file);
	}

	/**
	 * A missing file is an empty document, never `null`: lowdb keeps its previous data on `null`, so a
	 * long-lived process would write back allocations of a store somebody removed.
	 */
	async read(): Promise<StoreDocument> {
		const signature = await this.#stat();
		if (!signature) {
			this.invalidate();
			return emptyDocument();
		}
		if (this.#cached && this.#signature && sameSignature(signature, this.#signature)) return this.#cached;
		let text: string | null;
		try {
			text = await this.#text.read();
		} catch (error) {
			throw new StoreError(`cannot read the port store ${this.#file}: ${errorMessage(error)}. Check its permissions, or point berth at another store with --store FILE.`, this.#file, error);
		}
		if (text === null) return emptyDocument();
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
			// The folder exists: `update` made it before taking the lock (the only way here).
			this.#writeAtomically(doc);
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
	 * Writes the document to a temp file next to the store and renames it into place (what lowdb's
	 * steno writer does), synchronously: nobody else may write while we hold the lock anyway, and at
	 * 10,000 allocations (1.7 MB) Node's async writeFile took ~10 ms in thread-pool chunks.
	 */
	#writeAtomically(doc: StoreDocument): void {
		const {allocations, ...rest} = doc;
		const joined = this.#serialisedAllocations(allocations);
		const head = JSON.stringify(rest);
		const temp = path.join(path.dirname(this.#file), `.${path.basename(this.#file)}.tmp`);
		const fd = openSync(temp, 'w');
		try {
			writeSync(fd, `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"allocations":[`);
			joined.writeTo(fd);
			writeSync(fd, ']}\n');
		} catch (error) {
			closeSync(fd);
			rmSync(temp, {force: true});
			throw error;
		}
		closeSync(fd);
		renameSync(temp, this.#file);
	}

	/**
	 * The allocations as JSON text (without the brackets), kept between writes: allocations are never
	 * changed in place (only added or removed), so each one's text is made once, and when the list only
	 * grew since the last write (the allocation case) the new entries are appended to the bytes of the
	 * old ones. Re-serialising 10,000 allocations, or building a new 1.7 MB string or buffer per write,
	 * cost several times more than writing the file.
	 */
	#serialisedAllocations(allocations: readonly object[]): ByteBuffer {
		const previous = this.#joined;
		let bytes: ByteBuffer;
		if (previous && previous.allocations === allocations && previous.length <= allocations.length && allocations[previous.length - 1] === previous.last) {
			bytes = previous.bytes;
			for (const allocation of allocations.slice(previous.length)) bytes.append(bytes.length > 0 ? `,${this.#textOf(allocation)}` : this.#textOf(allocation));
		} else {
			bytes = new ByteBuffer(allocations.map(a => this.#textOf(a)).join(','));
		}
		this.#joined = {allocations: allocations as unknown[], length: allocations.length, last: allocations[allocations.length - 1], bytes};
		return bytes;
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

/** UTF-8 bytes that grow in place (capacity doubles), so appending does not copy what is there. */
class ByteBuffer {
	#bytes: Buffer;
	length: number;

	constructor(text: string) {
		this.#bytes = Buffer.from(text);
		this.length = this.#bytes.length;
	}

	append(text: string): void {
		const needed = this.length + Buffer.byteLength(text);
		if (needed > this.#bytes.length) {
			const grown = Buffer.allocUnsafe(Math.max(needed, this.#bytes.length * 2));
			this.#bytes.copy(grown, 0, 0, this.length);
			this.#bytes = grown;
		}
		this.length += this.#bytes.write(text, this.length);
	}

	writeTo(fd: number): void {
		let offset = 0;
		while (offset < this.length) offset += writeSync(fd, this.#bytes, offset, this.length - offset);
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
