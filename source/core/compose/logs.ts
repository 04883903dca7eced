import {EngineUnreachableError, isEngineUnreachable, listContainers, type ContainerSummary} from '../docker/engine.ts';
import {errorMessage} from '../errors.ts';
import {sleep} from '../sleep.ts';
import {BoundedQueue, LineSplitter} from './lines.ts';
import {NUMBER_LABEL, ONEOFF_LABEL, PROJECT_LABEL, SERVICE_LABEL} from '../compose-labels.ts';
import type {LogLine, LogOptions} from './types.ts';

const DISCOVER_MS = 1000;

/** "2026-01-02T03:04:05.12Z" -> comparable "2026-01-02T03:04:05.120000000Z" (docker trims trailing zeros). */
export function comparableTimestamp(ts: string): string {
	const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
	if (!match) return ts;
	return `${match[1]}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}${match[3]}`;
}

/** Splits a `docker logs -t` line into its timestamp and text. */
export function splitTimestamp(line: string): {timestamp: string | null; text: string} {
	const space = line.indexOf(' ');
	const head = space === -1 ? line : line.slice(0, space);
	if (/^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(head)) return {timestamp: head, text: space === -1 ? '' : line.slice(space + 1)};
	return {timestamp: null, text: line};
}

/** Whether docker accepts `since`: RFC 3339 date/time, Unix time, or a Go duration such as 10m or 1h30m. */
export function validSince(since: string): boolean {
	return /^\d+(\.\d+)?$/.test(since) || /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(since) || /^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(since);
}

/** The arguments of one `docker logs` attach. */
export function logsArgs(containerId: string, options: {follow: boolean; tail?: number; since?: string}): string[] {
	return [
		'logs',
		'--timestamps',
		...(options.follow ? ['--follow'] : []),
		...(options.tail === undefined ? [] : ['--tail', String(options.tail)]),
		...(options.since ? ['--since', options.since] : []),
		containerId,
	];
}

function keyOf(container: ContainerSummary): string {
	return `${container.labels[SERVICE_LABEL] ?? container.name}#${container.labels[NUMBER_LABEL] ?? container.name}`;
}

/**
 * The log lines of an app's containers, one `docker logs` child per container. With `follow`, a
 * container that stops is re-attached when it (or its recreated successor) runs again, after a `berth`
 * marker line; containers that appear later are picked up. Aborting the signal, or leaving a
 * `for await` loop, kills the children and ends the iteration.
 */
export function streamLogs(projectName: string, options: LogOptions = {}, env: NodeJS.ProcessEnv = process.env): AsyncIterable<LogLine> {
	const follow = options.follow ?? false;
	const wanted = options.services && options.services.length > 0 ? new Set(options.services) : null;
	const controller = new AbortController();
	const signal = controller.signal;
	const queue = new BoundedQueue<LogLine>(Math.max(1, options.bufferLines ?? 1000), count => ({
		service: '',
		container: '',
		stream: 'berth',
		text: `${count} log lines dropped: the reader fell behind`,
		timestamp: null,
	}));
	const stop = () => controller.abort();
	if (options.signal?.aborted) controller.abort();
	options.signal?.addEventListener('abort', stop, {once: true});
	signal.addEventListener('abort', () => queue.close(), {once: true});

	let snapshot: ContainerSummary[] = [];
	/** Resolved after each discovery: `true` when it got a fresh snapshot, `false` when the Engine was away. */
	let waiters: ((fresh: boolean) => void)[] = [];
	const nextSnapshot = () =>
		new Promise<boolean>(resolve => {
			if (signal.aborted) return resolve(false);
			waiters.push(resolve);
		});
	/** Why the stream cannot go on (without follow): thrown by the iterator once the lines before it are read. */
	let failure: Error | null = null;
	/** The Engine went away while following: one line said so; the next fresh snapshot says it is back. */
	let engineAway = false;
	/** Services whose follower waits for its container to run again. */
	const waiting = new Set<string>();
	const berthLine = (text: string) => queue.push({service: '', container: '', stream: 'berth', text, timestamp: null});

	async function discover(): Promise<string | null> {
		let problem: string | null = null;
		let fresh = true;
		try {
			snapshot = (await listContainers({all: true, labels: [`${PROJECT_LABEL}=${projectName}`]}, env))
				.filter(c => c.labels[ONEOFF_LABEL] !== 'True')
				.filter(c => !wanted || wanted.has(c.labels[SERVICE_LABEL] ?? ''))
				.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
			if (engineAway) {
				engineAway = false;
				const back = snapshot.filter(c => c.state === 'running' && waiting.has(keyOf(c))).map(c => c.labels[SERVICE_LABEL] ?? c.name);
				berthLine(`the Docker Engine is reachable again${back.length ? `: re-attached ${back.join(', ')}` : ''}`);
			}
		} catch (error) {
			fresh = false;
			if (follow && isEngineUnreachable(error)) {
				// One line for the whole outage; followers wait for a fresh snapshot instead of
				// re-attaching to the last one (which still says "running") every second.
				if (!engineAway)
					berthLine(
						`the Docker Engine is not reachable (${error instanceof EngineUnreachableError ? error.detail : errorMessage(error)}): waiting for it to come back`,
					);
				engineAway = true;
			} else if (!follow) {
				failure = error instanceof Error ? error : new Error(errorMessage(error));
			} else {
				problem = errorMessage(error);
			}
		}
		const current = waiters;
		waiters = [];
		for (const resolve of current) resolve(fresh);
		return problem;
	}

	/**
	 * Runs one `docker logs` child. Its own messages (lines without a timestamp) are returned, not
	 * queued, when following: whether they are worth showing depends on the Engine still being there.
	 */
	async function attach(container: ContainerSummary, args: string[], after: string | null, onLine: (ts: string | null) => void): Promise<string[]> {
		const notes: string[] = [];
		const {execa} = await import('execa');
		const child = execa('docker', args, {reject: false, env, cancelSignal: signal, buffer: false, stdin: 'ignore'});
		const service = container.labels[SERVICE_LABEL] ?? container.name;
		const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
			const splitter = new LineSplitter();
			const emit = (line: string) => {
				const {timestamp, text} = splitTimestamp(line);
				// Container lines carry a timestamp (--timestamps); a line without one is docker's own message.
				if (timestamp === null) {
					if (!text.trim()) return;
					if (!follow && isEngineUnreachable(text)) failure ??= new EngineUnreachableError(text.trim());
					else if (follow) notes.push(text);
					else queue.push({service, container: container.name, stream: 'berth', text: `docker logs ${container.name}: ${text}`, timestamp: null});
					return;
				}
				if (after && comparableTimestamp(timestamp) <= after) return; // seen before the re-attach
				onLine(timestamp);
				queue.push({service, container: container.name, stream: name, text, timestamp});
			};
			stream?.on('data', (chunk: Buffer) => splitter.push(chunk).forEach(emit));
			stream?.on('end', () => splitter.end().forEach(emit));
		};
		pipe(child.stdout, 'stdout');
		pipe(child.stderr, 'stderr');
		await child;
		return notes;
	}

	async function followKey(key: string, first: ContainerSummary): Promise<void> {
		let container: ContainerSummary | undefined = first;
		let last: string | null = null;
		let attachedAt = new Date().toISOString();
		let reattach = false;
		let outage = false;
		while (!signal.aborted && container) {
			// After an outage the "reachable again" line said it for every service.
			if (reattach && !outage) {
				const recreated = container.id !== first.id;
				queue.push({
					service: container.labels[SERVICE_LABEL] ?? container.name,
					container: container.name,
					stream: 'berth',
					text: `${container.labels[SERVICE_LABEL] ?? container.name} ${recreated ? `recreated (${container.name})` : 'restarted'}: re-attached`,
					timestamp: null,
				});
			}
			const since = reattach ? (last ?? attachedAt) : options.since;
			attachedAt = new Date().toISOString();
			if (reattach) first = container;
			let notes = await attach(
				container,
				logsArgs(container.id, {follow, tail: reattach ? undefined : options.tail, since}),
				reattach && last ? last : null,
				ts => {
					if (ts) last = comparableTimestamp(ts);
				},
			);
			if (!follow || signal.aborted) return;
			// The container stopped, or the Engine went away: wait until this service's container runs
			// again in a fresh snapshot. docker's own messages are shown unless the Engine was away.
			container = undefined;
			outage = false;
			waiting.add(key);
			while (!signal.aborted && !container) {
				const fresh = await nextSnapshot();
				if (!fresh) {
					outage ||= engineAway;
					if (engineAway) notes = [];
					continue;
				}
				const service = first.labels[SERVICE_LABEL] ?? first.name;
				for (const note of notes) queue.push({service, container: first.name, stream: 'berth', text: `docker logs ${first.name}: ${note}`, timestamp: null});
				notes = [];
				container = snapshot.find(c => keyOf(c) === key && c.state === 'running');
			}
			waiting.delete(key);
			reattach = true;
		}
	}

	const followers = new Map<string, Promise<void>>();
	const done = (async () => {
		const problem = await discover();
		if (failure) return;
		if (problem) berthLine(problem);
		else if (snapshot.length === 0 && !engineAway) {
			const which = wanted ? `of service ${[...wanted].join(', ')} ` : '';
			queue.push({
				service: '',
				container: '',
				stream: 'berth',
				text: `no containers ${which}in compose project ${projectName}${follow ? ' yet: waiting for them' : ' (start the app first)'}`,
				timestamp: null,
			});
		}
		if (!follow) {
			for (const container of snapshot) {
				if (signal.aborted) break;
				await followKey(keyOf(container), container);
			}
			return;
		}
		while (!signal.aborted) {
			for (const container of snapshot) {
				const key = keyOf(container);
				if (!followers.has(key)) followers.set(key, followKey(key, container));
			}
			await sleep(DISCOVER_MS, signal);
			if (!signal.aborted) await discover();
		}
		await Promise.all(followers.values());
	})()
		.catch(() => undefined)
		.finally(() => {
			options.signal?.removeEventListener('abort', stop);
			for (const resolve of waiters) resolve(false);
			queue.close();
		});
	void done;

	return {
		[Symbol.asyncIterator]() {
			return {
				next: async () => {
					const result = await queue.next();
					if (result.done && failure) throw failure;
					return result;
				},
				return: async () => {
					controller.abort();
					await done;
					return {value: undefined, done: true};
				},
			};
		},
	};
}
