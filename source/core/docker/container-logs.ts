import {socketFailure} from './unreachable.ts';

/** What `docker logs --timestamps` is asked for: the same options, over the Engine API. */
export interface ContainerLogOptions {
	follow: boolean;
	tail?: number | undefined;
	/** An RFC 3339 time (what berth itself passes when it attaches again); anything else: use the CLI. */
	since?: string | undefined;
}

/** Where a container's output goes: its bytes per stream, and what the Engine said instead (as `docker logs` prints it). */
export interface ContainerLogSink {
	data(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
	note(text: string): void;
}

/** "2026-01-02T03:04:05.123456789Z" (or with an offset) -> "1767323045.123456789", as the API's `since` wants. */
export function unixSince(since: string): string | null {
	const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(since);
	if (!match) return null;
	const seconds = Date.parse(`${match[1]}${match[3]}`) / 1000;
	return Number.isFinite(seconds) ? `${seconds}.${(match[2] ?? '').padEnd(9, '0')}` : null;
}

/**
 * Splits the Engine's multiplexed log stream (a container without a TTY): frames of an 8-byte header
 * (stream 1 stdout / 2 stderr, 3 zero bytes, the payload's size, big-endian) and the payload. A
 * container with a TTY sends its output raw: with timestamps asked for, every line then starts with
 * a digit, never with a header's 0, 1 or 2 followed by zeros.
 */
export class LogDemuxer {
	#pending: Uint8Array = new Uint8Array(0);
	#raw: boolean | null = null;
	readonly #emit: (stream: 'stdout' | 'stderr', chunk: Uint8Array) => void;

	constructor(emit: (stream: 'stdout' | 'stderr', chunk: Uint8Array) => void) {
		this.#emit = emit;
	}

	push(chunk: Uint8Array): void {
		if (this.#raw) {
			this.#emit('stdout', chunk);
			return;
		}
		let data = chunk;
		if (this.#pending.length > 0) {
			data = new Uint8Array(this.#pending.length + chunk.length);
			data.set(this.#pending);
			data.set(chunk, this.#pending.length);
		}
		if (this.#raw === null) {
			if (data.length < 4) {
				this.#pending = data;
				return;
			}
			this.#raw = !(data[0]! <= 2 && data[1] === 0 && data[2] === 0 && data[3] === 0);
			if (this.#raw) {
				this.#pending = new Uint8Array(0);
				this.#emit('stdout', data);
				return;
			}
		}
		let at = 0;
		while (data.length - at >= 8) {
			const size = ((data[at + 4]! << 24) >>> 0) + (data[at + 5]! << 16) + (data[at + 6]! << 8) + data[at + 7]!;
			if (data.length - at - 8 < size) break;
			if (size > 0) this.#emit(data[at] === 2 ? 'stderr' : 'stdout', data.subarray(at + 8, at + 8 + size));
			at += 8 + size;
		}
		// Copied: a view would keep the whole chunk alive.
		this.#pending = at === data.length ? new Uint8Array(0) : data.slice(at);
	}
}

/**
 * A container's log (`docker logs --timestamps`) read over the Engine's unix socket, in this process:
 * following a chatty container this way costs no `docker logs` child (~24 MB each, bench/tui part 2).
 * Resolves when the log ends (the container stopped, the abort). Docker's own answers become notes
 * worded as `docker logs` prints them (so callers treat both routes alike). Rejects with a
 * SocketRouteError when the socket cannot be used here: the caller runs the CLI instead.
 */
export async function socketContainerLogs(
	socketPath: string,
	containerId: string,
	options: ContainerLogOptions,
	sink: ContainerLogSink,
	signal: AbortSignal,
): Promise<void> {
	const http = await import('node:http');
	const query = new URLSearchParams({stdout: '1', stderr: '1', timestamps: '1', follow: options.follow ? '1' : '0'});
	if (options.tail !== undefined) query.set('tail', String(options.tail));
	if (options.since) query.set('since', unixSince(options.since) ?? options.since);
	if (signal.aborted) return;
	await new Promise<void>((resolve, reject) => {
		let answered = false;
		const request = http.request(
			{socketPath, path: `/containers/${encodeURIComponent(containerId)}/logs?${query}`, method: 'GET', headers: {Host: 'docker'}},
			response => {
				answered = true;
				const status = response.statusCode ?? 500;
				if (status >= 400) {
					let body = '';
					response.setEncoding('utf8');
					response.on('data', (text: string) => (body = (body + text).slice(0, 4000)));
					response.on('end', () => {
						let message = body.trim();
						try {
							message = (JSON.parse(body) as {message?: string}).message ?? message;
						} catch {
							// Not JSON: the body as it is.
						}
						sink.note(`Error response from daemon: ${message}`);
						resolve();
					});
					response.on('error', () => resolve());
					return;
				}
				const demuxer = new LogDemuxer((stream, chunk) => sink.data(stream, chunk));
				response.on('data', (chunk: Uint8Array) => demuxer.push(chunk));
				// The Engine going away mid-stream ends the log as `docker logs` would: the caller looks again.
				response.on('end', () => resolve());
				response.on('error', () => resolve());
				response.on('close', () => resolve());
			},
		);
		const abort = () => request.destroy();
		signal.addEventListener('abort', abort, {once: true});
		request.on('close', () => signal.removeEventListener('abort', abort));
		request.on('error', error => {
			if (answered || signal.aborted) return resolve();
			const failure = socketFailure(socketPath, error);
			// Worded as the docker CLI words it: callers tell an absent Engine by that text.
			if (failure.name === 'EngineUnreachableError') {
				sink.note(`Cannot connect to the Docker daemon at unix://${socketPath}. Is the docker daemon running? (${failure.message})`);
				return resolve();
			}
			reject(failure);
		});
		request.end();
	});
}
