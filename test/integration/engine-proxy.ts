import net from 'node:net';
import {rm} from 'node:fs/promises';

/** One HTTP request a client sent to the Engine through the proxy. */
export interface EngineRequest {
	method: string;
	/** The request target, e.g. "/v1.41/containers/json?all=1&filters=..." or "/events?filters=...". */
	path: string;
	/** Date.now() when its head was read. */
	at: number;
}

interface Segment {
	bytes: Buffer;
	/** Set on the segment that holds a request's head. */
	request: Omit<EngineRequest, 'at'> | null;
}

const MAX_HEAD = 64 * 1024;

/**
 * Splits what a client sends into HTTP/1 request heads and the bytes between them (Content-Length
 * bodies). After an upgrade (docker attach/exec) or a chunked body it stops parsing and passes bytes on.
 */
export class RequestSplitter {
	#pending = Buffer.alloc(0);
	#bodyLeft = 0;
	#raw = false;

	push(chunk: Buffer): Segment[] {
		const segments: Segment[] = [];
		let rest = chunk;
		while (rest.length > 0) {
			if (this.#raw) {
				segments.push({bytes: rest, request: null});
				break;
			}
			if (this.#bodyLeft > 0) {
				const size = Math.min(this.#bodyLeft, rest.length);
				segments.push({bytes: rest.subarray(0, size), request: null});
				this.#bodyLeft -= size;
				rest = rest.subarray(size);
				continue;
			}
			const buffer = Buffer.concat([this.#pending, rest]);
			const end = buffer.indexOf('\r\n\r\n');
			if (end === -1) {
				this.#pending = buffer;
				if (buffer.length > MAX_HEAD) {
					this.#raw = true;
					this.#pending = Buffer.alloc(0);
					segments.push({bytes: buffer, request: null});
				}
				break;
			}
			this.#pending = Buffer.alloc(0);
			const head = buffer.subarray(0, end + 4);
			rest = buffer.subarray(end + 4);
			const [requestLine = '', ...headerLines] = head.toString('latin1').split('\r\n');
			const [method = '', path = ''] = requestLine.split(' ');
			const headers = new Map(
				headerLines.filter(Boolean).map(line => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
			);
			segments.push({bytes: head, request: {method, path}});
			if (/chunked/i.test(headers.get('transfer-encoding') ?? '') || headers.has('upgrade')) this.#raw = true;
			else this.#bodyLeft = Number(headers.get('content-length') ?? 0) || 0;
		}
		return segments;
	}
}

export interface EngineProxyOptions {
	/** The real Engine socket (default /var/run/docker.sock). */
	upstream?: string;
	/** Requests to answer with 501 Not Implemented (and close), as a proxy without that API would. */
	refuse?: (request: Omit<EngineRequest, 'at'>) => boolean;
}

/**
 * A unix socket that passes everything on to the Engine and records every request on the way: point
 * a process at it with DOCKER_HOST=unix://<socket> to count what it asks the Engine (docker CLI
 * children inherit DOCKER_HOST, so their requests are counted too). It can also play an Engine that
 * goes away (`close`) and comes back (`listen`), or one that refuses some requests.
 */
export class EngineProxy {
	readonly socket: string;
	readonly requests: EngineRequest[] = [];
	readonly #options: EngineProxyOptions;
	readonly #connections = new Set<net.Socket>();
	#server: net.Server | null = null;

	constructor(socket: string, options: EngineProxyOptions = {}) {
		this.socket = socket;
		this.#options = options;
	}

	/** Starts listening (again): the stale socket file of an earlier run is removed first. */
	async listen(): Promise<void> {
		await rm(this.socket, {force: true});
		const server = net.createServer(client => this.#connect(client));
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.socket, () => resolve());
		});
		this.#server = server;
	}

	/** Stops listening and cuts every open connection (an Engine that went away). */
	async close(): Promise<void> {
		const server = this.#server;
		this.#server = null;
		const closed = server ? new Promise(resolve => server.close(resolve)) : Promise.resolve();
		for (const connection of this.#connections) connection.destroy();
		this.#connections.clear();
		await closed;
	}

	/** The requests since `from` (ms, Date.now()) matching `match` (default: all). */
	count(match: (request: EngineRequest) => boolean = () => true, from = 0): number {
		return this.requests.filter(request => request.at >= from && match(request)).length;
	}

	#connect(client: net.Socket): void {
		const upstream = net.createConnection(this.#options.upstream ?? '/var/run/docker.sock');
		this.#connections.add(client).add(upstream);
		const splitter = new RequestSplitter();
		let refused = false;
		const close = () => {
			client.destroy();
			upstream.destroy();
			this.#connections.delete(client);
			this.#connections.delete(upstream);
		};
		client.on('data', (chunk: Buffer) => {
			if (refused) return;
			for (const segment of splitter.push(chunk)) {
				if (segment.request) {
					this.requests.push({...segment.request, at: Date.now()});
					if (this.#options.refuse?.(segment.request)) {
						// The answer must reach the client before anything closes it.
						refused = true;
						upstream.destroy();
						client.end('HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
						return;
					}
				}
				upstream.write(segment.bytes);
			}
		});
		upstream.pipe(client);
		client.on('error', close).on('close', close);
		upstream.on('error', () => !refused && close()).on('close', () => !refused && close());
	}
}

/** Whether a request opens the Engine's event stream. */
export function isEventStream(request: Omit<EngineRequest, 'at'>): boolean {
	return /^(\/v[\d.]+)?\/events\b/.test(request.path);
}
