import {closeSync, fdatasyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import {mkdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {Low, type Adapter} from 'lowdb';
import {TextFile} from 'lowdb/node';
import {StoreError, errorMessage} from '../errors.ts';
import {documentProblems, emptyDocument, migrateDocument, unchangedPrefix, type StoreDocument} from './allocator.ts';
import {currentContextName} from '../docker/contexts.ts';
import {acquireLock} from './lock.ts';
import {nodeCrypto} from '../node-crypto.ts';

/**
 * The port store: one lowdb JSON document on disk. Reads take no lock; every read-modify-write runs
 * under an inter-process lock that is never taken from a live holder (lock.ts), checks right before
 * writing that it still holds the lock and that nobody wrote the file since it was read (fencing), and
 * writes atomically (a temp file of its own, flushed to disk, renamed over the store): processes paused,
 * killed or starved at any moment leave either the old or the new document, never half of one, and
 * never a document that drops what another process reported. A store reached through a symlink is
 * written where the symlink points, under the lock of that real file.
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
	/** The file as the last read found it (null: absent): the fencing check compares against it. */
	seen: FileSignature | null = null;
	/** Where writes go: the store's real path (set by `update` under the lock). */
	target: string;
	readonly #allocationText = new WeakMap<object, string>();
	#joined: {allocations: unknown[]; items: readonly unknown[]; bytes: ByteBuffer} | null = null;

	constructor(file: string) {
		this.#file = file;
		this.#text = new TextFile(file);
		this.target = file;
	}

	/**
	 * A missing file is an empty document, never `null`: lowdb keeps its previous data on `null`, so a
	 * long-lived process would write back allocations of a store somebody removed.
	 */
	async read(): Promise<StoreDocument> {
		const signature = await this.#stat();
		this.seen = signature;
		if (!signature) {
			this.invalidate();
			return emptyDocument();
		}
		if (this.#cached && this.#signature && sameSignature(signature, this.#signature)) return this.#cached;
		let text: string | null;
		try {
			text = await this.#text.read();
		} catch (error) {
			throw new StoreError(
				`cannot read the port store ${this.#file}: ${errorMessage(error)}. Check its permissions, or point berth at another store with --store FILE.`,
				this.#file,
				error,
			);
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
		// An older schema is read as the current one; the next change writes it so (the file stays as it is until then).
		migrateDocument(doc as StoreDocument, () => currentContextName(process.env));
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
		this.seen = signature;
		if (signature) {
			this.#cached = doc;
			this.#signature = signature;
		}
	}

	/** Fencing: throws when the store file is not what the last read saw (somebody else wrote it). */
	assertUnchanged(): void {
		let now: FileSignature | null = null;
		try {
			const s = statSync(this.target);
			now = {ino: s.ino, size: s.size, mtimeMs: s.mtimeMs};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
				throw new StoreError(`cannot read the port store ${this.#file}: ${errorMessage(error)}`, this.#file, error);
		}
		const same = now === null || this.seen === null ? now === this.seen : sameSignature(now, this.seen);
		if (!same) {
			this.invalidate();
			throw new StoreError(
				`the port store ${this.#file} was changed by another program while berth held its lock; nothing was written. Run the command again.`,
				this.#file,
			);
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
		// A name of its own: two writers never share a temp file (even if the lock were ever broken).
		const temp = path.join(path.dirname(this.target), `.${path.basename(this.target)}.${process.pid}-${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
		const fd = openSync(temp, 'wx', 0o644);
		try {
			try {
				writeSync(fd, `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"allocations":[`);
				joined.writeTo(fd);
				writeSync(fd, ']}\n');
				// On disk before it is renamed into place: after a crash of the machine the store is the old
				// document or the new one, never an empty file.
				fdatasyncSync(fd);
			} finally {
				closeSync(fd);
			}
			renameSync(temp, this.target);
		} catch (error) {
			rmSync(temp, {force: true});
			throw error;
		}
	}

	/**
	 * The allocations as JSON text (without the brackets), kept between writes: allocations are never
	 * changed in place (only added, removed or replaced by a new object), so each one's text is made once,
	 * and when the list only grew since the last write (the allocation case: every earlier entry is the
	 * same object) the new entries are appended to the bytes of the old ones. Re-serialising 10,000 allocations, or building a new 1.7 MB string or buffer per write,
	 * cost several times more than writing the file.
	 */
	#serialisedAllocations(allocations: readonly object[]): ByteBuffer {
		const previous = this.#joined;
		let bytes: ByteBuffer;
		if (previous && previous.allocations === allocations && unchangedPrefix(previous.items, allocations)) {
			bytes = previous.bytes;
			for (const allocation of allocations.slice(previous.items.length))
				bytes.append(bytes.length > 0 ? `,${this.#textOf(allocation)}` : this.#textOf(allocation));
		} else {
			bytes = new ByteBuffer(allocations.map(a => this.#textOf(a)).join(','));
		}
		this.#joined = {allocations: allocations as unknown[], items: allocations.slice(), bytes};
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
	/** How long to wait for a live holder of the lock before failing, in ms. */
	waitMs?: number;
	/** Ctrl-C: a wait for the lock ends at once, and nothing is written. */
	signal?: AbortSignal;
	/** A lock held from another host or pid namespace (which cannot be checked) is taken over after this long. */
	foreignStaleMs?: number;
}

/**
 * The file a store path stands for: symlinks followed to the real file, even when it does not exist yet
 * (a dangling link names the file to create). Every path to one store then shares its lock and its
 * writes land in the real file instead of replacing the link with a private copy.
 */
export function realStorePath(file: string): string {
	let current = path.resolve(file);
	for (let hops = 0; hops < 40; hops++) {
		try {
			return realpathSync(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return current;
		}
		let link: string;
		try {
			if (!lstatSync(current).isSymbolicLink()) return current;
			link = readlinkSync(current);
		} catch {
			// The file does not exist: its folder may still be reached through a symlink.
			try {
				return path.join(realpathSync(path.dirname(current)), path.basename(current));
			} catch {
				return current;
			}
		}
		current = path.resolve(path.dirname(current), link);
	}
	return current;
}

export function openStore(file: string, options: StoreOptions = {}): PortStore {
	const adapter = new StoreFile(file);
	const db = new Low<StoreDocument>(adapter, emptyDocument());
	const waitMs = options.waitMs ?? 30_000;

	async function read(): Promise<StoreDocument> {
		await db.read();
		return db.data;
	}

	async function update<T>(change: (doc: StoreDocument) => Promise<{value: T; write: boolean}> | {value: T; write: boolean}): Promise<T> {
		await mkdir(path.dirname(file), {recursive: true}).catch((error: unknown) => {
			throw new StoreError(
				`cannot create the folder of the port store ${file}: ${errorMessage(error)}. Make its parent writable, or point berth at another store with --store FILE or BERTH_STORE.`,
				file,
				error,
			);
		});
		const real = realStorePath(file);
		const lock = await acquireLock(real, {waitMs, signal: options.signal, foreignStaleMs: options.foreignStaleMs});
		try {
			adapter.target = real;
			await db.read();
			// The change works on the cached document itself (a copy would cost milliseconds at 10,000
			// allocations); when it throws, the catch below drops the cache so the file is read again.
			const doc = db.data;
			const {value, write} = await change(doc);
			if (write) {
				// Fencing, right before the write: still ours, and nobody wrote the file since we read it.
				lock.assertHeld();
				adapter.assertUnchanged();
				db.data = doc;
				await db.write();
			}
			return value;
		} catch (error) {
			adapter.invalidate();
			throw error;
		} finally {
			lock.release();
		}
	}

	return {file, read, update};
}
