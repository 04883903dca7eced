import net from 'node:net';
import {EngineUnreachableError, SocketRouteError, engineRequest, engineResponse, socketFailure} from './engine.ts';
import {engineSocket} from './transport.ts';
import {sleep} from '../sleep.ts';

/** One Engine event (the fields berth uses). */
export interface EngineEvent {
	type: string;
	/** e.g. start, die, destroy, "health_status: healthy". */
	action: string;
	/** The container id for container events. */
	id: string;
	attributes: Record<string, string>;
	/** Nanoseconds since the epoch. */
	timeNano: number;
}

/** Event filters, as the Engine API and `docker events --filter` take them. */
export type EventFilters = Record<string, string[]>;

export interface EventStream {
	/** Resolves when the stream ends: `null` after an abort, else the error that ended it. */
	closed: Promise<Error | null>;
	/** 'socket' (Engine API) or 'cli' (`docker events`). */
	via: 'socket' | 'cli';
}

/** Parses one event as the Engine API or `docker events --format '{{json .}}'` prints it. */
export function parseEvent(line: string): EngineEvent | null {
	let raw: {
		Type?: string;
		Action?: string;
		status?: string;
		id?: string;
		Actor?: {ID?: string; Attributes?: Record<string, string>};
		timeNano?: number;
		time?: number;
	};
	try {
		raw = JSON.parse(line);
	} catch {
		return null;
	}
	if (!raw || typeof raw !== 'object') return null;
	return {
		type: raw.Type ?? '',
		action: raw.Action ?? raw.status ?? '',
		id: raw.Actor?.ID ?? raw.id ?? '',
		attributes: raw.Actor?.Attributes ?? {},
		timeNano: raw.timeNano ?? (raw.time ?? 0) * 1e9,
	};
}

/**
 * Opens the Engine's event stream with `filters`: over the unix socket when there is one (see
 * `engineSocket`), else through `docker events` (one long-lived process). Resolves once the stream is
 * open (events from then on are delivered to `onEvent`); rejects with EngineUnreachableError when it
 * cannot be opened.
 */
export async function openEvents(
	filters: EventFilters,
	onEvent: (event: EngineEvent) => void,
	signal: AbortSignal,
	env: NodeJS.ProcessEnv = process.env,
): Promise<EventStream> {
	const socket = engineSocket(env);
	if (socket) {
		try {
			return await openSocketEvents(socket, filters, onEvent, signal);
		} catch (error) {
			if (!(error instanceof SocketRouteError)) throw error;
		}
	}
	return openCliEvents(filters, onEvent, signal, env);
}

/**
 * The Engine's event stream over its unix socket: plain HTTP/1.0 on `node:net`, as engineGet asks (the
 * Engine then streams the body unchunked and closes it at the end); `node:http` would cost ~40 ms of the
 * TUI's start-up (it loads undici). Resolves once the Engine has sent its headers.
 */
function openSocketEvents(socketPath: string, filters: EventFilters, onEvent: (event: EngineEvent) => void, signal: AbortSignal): Promise<EventStream> {
	const urlPath = `/events?filters=${encodeURIComponent(JSON.stringify(filters))}`;
	return new Promise((resolve, reject) => {
		let resolveClosed!: (value: Error | null) => void;
		const closed = new Promise<Error | null>(r => (resolveClosed = r));
		let opened = false;
		let head = '';
		let partial = '';
		const decoder = new TextDecoder();
		const socket = net.createConnection({path: socketPath});
		const end = (error: Error | null) => {
			signal.removeEventListener('abort', abort);
			socket.destroy();
			resolveClosed(signal.aborted ? null : error);
			if (!opened) reject(error ?? new EngineUnreachableError('the event stream closed'));
		};
		const abort = () => end(null);
		signal.addEventListener('abort', abort, {once: true});
		// Until the headers: a hung socket may be a runtime's unix-socket support rather than the Engine.
		socket.setTimeout(5000, () => end(new SocketRouteError(`${socketPath}: no answer to GET /events within 5000 ms`)));
		socket.on('connect', () => socket.write(engineRequest(urlPath)));
		const lines = (text: string) => {
			const parts = (partial + text).split('\n');
			partial = parts.pop() ?? '';
			for (const part of parts) {
				const event = part.trim() ? parseEvent(part) : null;
				if (event) onEvent(event);
			}
		};
		socket.on('data', (chunk: Buffer) => {
			const text = decoder.decode(chunk, {stream: true});
			if (opened) return lines(text);
			head += text;
			const response = engineResponse(head);
			if (response.body === null) return;
			if (response.status === 0 || response.status >= 400) return end(new Error(`Docker Engine answered ${response.status || 'no HTTP'} to GET /events`));
			opened = true;
			socket.setTimeout(0);
			resolve({closed, via: 'socket'});
			lines(response.body);
		});
		socket.on('error', error => end(opened ? error : socketFailure(socketPath, error)));
		socket.on('end', () => end(new EngineUnreachableError('the event stream ended')));
		socket.on('close', () => end(new EngineUnreachableError('the event stream closed')));
	});
}

async function openCliEvents(filters: EventFilters, onEvent: (event: EngineEvent) => void, signal: AbortSignal, env: NodeJS.ProcessEnv): Promise<EventStream> {
	const {execa} = await import('execa');
	const args = ['events', '--format', '{{json .}}'];
	for (const [key, values] of Object.entries(filters)) for (const value of values) args.push('--filter', `${key}=${value}`);
	const child = execa('docker', args, {reject: false, env, cancelSignal: signal, buffer: false, stdin: 'ignore'});
	let partial = '';
	child.stdout?.setEncoding('utf8');
	child.stdout?.on('data', (chunk: string) => {
		const parts = (partial + chunk).split('\n');
		partial = parts.pop() ?? '';
		for (const part of parts) {
			const event = part.trim() ? parseEvent(part) : null;
			if (event) onEvent(event);
		}
	});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-2000)));
	const closed = child.then(result =>
		signal.aborted || result.isCanceled ? null : new EngineUnreachableError(stderr.trim().split('\n').at(-1) || `docker events exited with ${result.exitCode}`),
	);
	// `docker events` prints nothing when it connects: give it a moment to fail (engine down, no CLI).
	const early = await Promise.race([closed, sleep(300).then(() => 'open' as const)]);
	if (early !== 'open' && early !== null) throw early;
	return {closed, via: 'cli'};
}
