/** Longest line kept; the rest of a longer line is cut (a child printing megabytes without a newline). */
export const MAX_LINE = 16 * 1024;

/** Splits chunks of a stream into lines (without `\n`/`\r\n`), holding at most one partial line. */
export class LineSplitter {
	#partial = '';
	#decoder = new TextDecoder();

	/** The complete lines in `chunk`. */
	push(chunk: Uint8Array | string): string[] {
		const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, {stream: true}));
		const parts = text.split('\n');
		this.#partial = parts.pop() ?? '';
		if (this.#partial.length > MAX_LINE) this.#partial = this.#partial.slice(0, MAX_LINE);
		return parts.map(line => (line.endsWith('\r') ? line.slice(0, -1) : line)).map(line => (line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line));
	}

	/** The last line when the stream ended without a newline. */
	end(): string[] {
		const rest = this.#partial + this.#decoder.decode();
		this.#partial = '';
		return rest.length > 0 ? [rest.replace(/\r$/, '')] : [];
	}
}

/** Keeps the last `size` items: the tail of a child's stderr for error messages. */
export class Ring<T> {
	readonly #items: T[] = [];
	readonly size: number;
	constructor(size: number) {
		this.size = size;
	}
	push(item: T): void {
		this.#items.push(item);
		if (this.#items.length > this.size) this.#items.shift();
	}
	toArray(): T[] {
		return [...this.#items];
	}
}

/**
 * An async queue with a bounded buffer: producers never wait; when the reader falls behind by more than
 * `limit` items the oldest are dropped and `onDrop` is told how many, so a marker can be inserted.
 */
export class BoundedQueue<T> implements AsyncIterable<T> {
	readonly #items: T[] = [];
	#waiting: ((result: IteratorResult<T>) => void) | null = null;
	#closed = false;
	#dropped = 0;

	readonly limit: number;
	readonly dropMarker: ((count: number) => T) | undefined;

	constructor(limit: number, dropMarker?: (count: number) => T) {
		this.limit = limit;
		this.dropMarker = dropMarker;
	}

	push(item: T): void {
		if (this.#closed) return;
		if (this.#waiting) {
			const resolve = this.#waiting;
			this.#waiting = null;
			resolve({value: item, done: false});
			return;
		}
		this.#items.push(item);
		while (this.#items.length > this.limit) {
			this.#items.shift();
			this.#dropped++;
		}
	}

	close(): void {
		this.#closed = true;
		if (this.#waiting) {
			const resolve = this.#waiting;
			this.#waiting = null;
			resolve({value: undefined, done: true});
		}
	}

	get closed(): boolean {
		return this.#closed;
	}

	get length(): number {
		return this.#items.length;
	}

	next(): Promise<IteratorResult<T>> {
		if (this.#dropped > 0 && this.dropMarker) {
			const marker = this.dropMarker(this.#dropped);
			this.#dropped = 0;
			return Promise.resolve({value: marker, done: false});
		}
		if (this.#items.length > 0) return Promise.resolve({value: this.#items.shift()!, done: false});
		if (this.#closed) return Promise.resolve({value: undefined, done: true});
		return new Promise(resolve => (this.#waiting = resolve));
	}

	[Symbol.asyncIterator](): AsyncIterator<T> {
		return {
			next: () => this.next(),
			return: () => {
				this.close();
				this.#items.length = 0;
				return Promise.resolve({value: undefined, done: true});
			},
		};
	}
}

/**
 * Merges sources that are each in order (one per container and stream) into one ordered sequence:
 * an item is emitted once every source still open has an item waiting, the least first (ties: the
 * lower source first). Memory holds only the items that cannot be placed yet.
 */
export class OrderedMerge<T> {
	readonly #queues: T[][];
	readonly #heads: number[];
	readonly #open: boolean[];
	readonly #key: (item: T) => string;
	readonly #emit: (item: T) => void;

	constructor(sources: number, key: (item: T) => string, emit: (item: T) => void) {
		this.#queues = Array.from({length: sources}, () => []);
		this.#heads = Array.from({length: sources}, () => 0);
		this.#open = Array.from({length: sources}, () => true);
		this.#key = key;
		this.#emit = emit;
	}

	push(source: number, item: T): void {
		this.#queues[source]!.push(item);
		this.#drain();
	}

	end(source: number): void {
		this.#open[source] = false;
		this.#drain();
	}

	#drain(): void {
		for (;;) {
			let best = -1;
			let bestKey = '';
			for (let i = 0; i < this.#queues.length; i++) {
				const queue = this.#queues[i]!;
				const head = this.#heads[i]!;
				if (head >= queue.length) {
					if (this.#open[i]) return; // this source may still bring an earlier item
					continue;
				}
				const key = this.#key(queue[head]!);
				if (best === -1 || key < bestKey) {
					best = i;
					bestKey = key;
				}
			}
			if (best === -1) return;
			const queue = this.#queues[best]!;
			const head = this.#heads[best]!;
			const item = queue[head]!;
			this.#heads[best] = head + 1;
			// Drop what was emitted now and then, not on every item (splice is linear).
			if (head + 1 > 1024 && (head + 1) * 2 > queue.length) {
				queue.splice(0, head + 1);
				this.#heads[best] = 0;
			}
			this.#emit(item);
		}
	}
}
