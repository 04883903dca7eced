import {socketContainerLogs, unixSince} from '../docker/container-logs.ts';
import {EngineUnreachableError, SocketRouteError, engineSocket, isEngineUnreachable, listContainers, type ContainerSummary} from '../docker/engine.ts';
import {inspectContainers, type ContainerDetails} from '../docker/inspect.ts';
import {errorMessage} from '../errors.ts';
import {sleep} from '../sleep.ts';
import {BoundedQueue, LineSplitter, OrderedMerge} from './lines.ts';
import {LogMarkers} from './log-markers.ts';
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
 * docker's own messages about a container that is going or gone: the marker lines say what happened
 * ("removed"), so these are not shown.
 */
const GONE = /no such container|marked for removal|is dead/i;

/** What one `docker logs` child hands over, line by line. */
interface LogSink {
	line(stream: 'stdout' | 'stderr', timestamp: string, text: string): void;
	/** A line without a timestamp: docker's own message, not the container's. */
	note(text: string): void;
	/** No more lines of this stream. */
	end?(stream: 'stdout' | 'stderr'): void;
}

/**
 * The log lines of an app's containers, one `docker logs` child per container. The backlog (`tail`,
 * `since`) comes in time order across containers and across stdout and stderr. With `follow`, new lines
 * follow in arrival order; the app's containers are looked at once a second, and marker lines
 * (`event`) say what happened, once each: stopped, removed, restarted, engine lost, engine back. A
 * container that runs again, or appears, is attached to without losing or repeating lines. Aborting
 * the signal, or leaving a `for await` loop, kills the children and ends the iteration.
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
	const push = (line: LogLine) => queue.push(line);
	const which = wanted ? `of service ${[...wanted].join(', ')} ` : '';
	const noContainers = `no containers ${which}in compose project ${projectName}${follow ? ' yet: waiting for them' : ' (start the app first)'}`;

	/** Why the stream cannot go on (without follow): thrown by the iterator once the lines before it are read. */
	let failure: Error | null = null;

	async function look(): Promise<ContainerSummary[]> {
		return (await listContainers({all: true, labels: [`${PROJECT_LABEL}=${projectName}`]}, env))
			.filter(c => c.labels[ONEOFF_LABEL] !== 'True')
			.filter(c => !wanted || wanted.has(c.labels[SERVICE_LABEL] ?? ''))
			.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
	}

	/**
	 * Reads one container's log (`docker logs --timestamps` with `options`) until it ends: over the
	 * Engine's unix socket when there is one (no child process), else with a `docker logs` child.
	 */
	async function run(containerId: string, options: {follow: boolean; tail?: number | undefined; since?: string | undefined}, sink: LogSink): Promise<void> {
		const lines = {stdout: new LineSplitter(), stderr: new LineSplitter()};
		const emit = (name: 'stdout' | 'stderr', line: string) => {
			const {timestamp, text} = splitTimestamp(line);
			// Container lines carry a timestamp (--timestamps); a line without one is docker's own message.
			if (timestamp !== null) sink.line(name, timestamp, text);
			else if (text.trim()) sink.note(text);
		};
		const finish = (name: 'stdout' | 'stderr') => {
			for (const line of lines[name].end()) emit(name, line);
			sink.end?.(name);
		};
		const socket = engineSocket(env);
		if (socket && (!options.since || unixSince(options.since))) {
			try {
				const data = (name: 'stdout' | 'stderr', chunk: Uint8Array) => {
					for (const line of lines[name].push(chunk)) emit(name, line);
				};
				await socketContainerLogs(socket, containerId, options, {data, note: text => sink.note(text)}, signal);
				finish('stdout');
				finish('stderr');
				return;
			} catch (error) {
				// A runtime whose node:net lacks unix sockets: the CLI reads the log.
				if (!(error instanceof SocketRouteError)) throw error;
			}
		}
		const {execa} = await import('execa');
		const child = execa('docker', logsArgs(containerId, options), {reject: false, env, cancelSignal: signal, buffer: false, stdin: 'ignore'});
		const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') =>
			new Promise<void>(resolve => {
				let finished = false;
				const done = () => {
					if (finished) return;
					finished = true;
					finish(name);
					resolve();
				};
				if (!stream) return done();
				stream.on('data', (chunk: Buffer) => {
					if (!finished) for (const line of lines[name].push(chunk)) emit(name, line);
				});
				stream.on('end', done);
				stream.on('close', done);
				stream.on('error', done);
			});
		const pipes = [pipe(child.stdout, 'stdout'), pipe(child.stderr, 'stderr')];
		await child;
		await Promise.all(pipes);
	}

	/** Comparable timestamp of the last line seen of each container key. */
	const last = new Map<string, string>();

	/**
	 * The containers' lines up to now (`tail` of each, `since`), merged in time order across containers
	 * and their stdout and stderr. `note`: what to do with docker's own messages.
	 */
	async function backlog(containers: readonly ContainerSummary[], note: (container: ContainerSummary, text: string) => void): Promise<void> {
		const merge = new OrderedMerge<{key: string; line: LogLine; at: string}>(
			containers.length * 2,
			item => item.at,
			item => {
				last.set(item.key, item.at);
				push(item.line);
			},
		);
		await Promise.all(
			containers.map((container, i) => {
				const service = container.labels[SERVICE_LABEL] ?? container.name;
				const key = keyOf(container);
				const source = (stream: 'stdout' | 'stderr') => 2 * i + (stream === 'stderr' ? 1 : 0);
				return run(
					container.id,
					{follow: false, tail: options.tail, since: options.since},
					{
						line: (stream, timestamp, text) =>
							merge.push(source(stream), {key, at: comparableTimestamp(timestamp), line: {service, container: container.name, stream, text, timestamp}}),
						note: text => note(container, text),
						end: stream => merge.end(source(stream)),
					},
				);
			}),
		);
	}

	async function once(): Promise<void> {
		let containers: ContainerSummary[];
		try {
			containers = await look();
		} catch (error) {
			failure = error instanceof Error ? error : new Error(errorMessage(error));
			return;
		}
		if (containers.length === 0) return push({service: '', container: '', stream: 'berth', text: noContainers, timestamp: null});
		await backlog(containers, (container, text) => {
			if (isEngineUnreachable(text)) failure ??= new EngineUnreachableError(text.trim());
			else
				push({
					service: container.labels[SERVICE_LABEL] ?? container.name,
					container: container.name,
					stream: 'berth',
					text: `docker logs ${container.name}: ${text}`,
					timestamp: null,
				});
		});
	}

	async function following(): Promise<void> {
		const markers = new LogMarkers(noContainers);
		/** Looks begun so far: a look counts for a container only when it began after its stream ended. */
		let looks = 0;
		/** Container keys with a `docker logs --follow` child. */
		const attached = new Set<string>();
		/** When each key's child ended, in looks. */
		const ended = new Map<string, number>();
		/**
		 * Containers whose log docker will not give (a logging driver that cannot be read, ...), by key:
		 * said once, not attached to again until the container stops (or another one replaces it).
		 */
		const refused = new Map<string, string>();
		/** The container each key was last attached to, and when it had started: a different one means it ran again. */
		const attachedAs = new Map<string, {id: string; startedAt: string | null}>();
		/** docker's own messages: shown after the next look, unless that look finds the Engine gone. */
		let notes: LogLine[] = [];
		let backlogRead = false;
		let problemShown = false;
		const children = new Set<Promise<void>>();

		const attach = (container: ContainerSummary) => {
			const key = keyOf(container);
			const service = container.labels[SERVICE_LABEL] ?? container.name;
			const since = last.get(key) ?? null;
			attached.add(key);
			let said = false;
			const child = run(
				container.id,
				{follow: true, since: since ?? options.since},
				{
					line: (stream, timestamp, text) => {
						const at = comparableTimestamp(timestamp);
						if (since !== null && at <= since) return; // read before (backlog, or the last attach)
						last.set(key, at);
						push({service, container: container.name, stream, text, timestamp});
					},
					note: text => {
						if (GONE.test(text) || isEngineUnreachable(text)) return;
						said = true;
						notes.push({service, container: container.name, stream: 'berth', text: `docker logs ${container.name}: ${text}`, timestamp: null});
					},
				},
			).finally(() => {
				if (said) refused.set(key, container.id);
				attached.delete(key);
				ended.set(key, looks);
				children.delete(child);
			});
			children.add(child);
		};

		while (!signal.aborted) {
			const seq = ++looks;
			let containers: ContainerSummary[] | null = null;
			try {
				containers = await look();
				problemShown = false;
			} catch (error) {
				if (isEngineUnreachable(error)) {
					notes = [];
					markers.lost(error instanceof EngineUnreachableError ? error.detail : errorMessage(error)).forEach(push);
				} else if (!problemShown) {
					problemShown = true;
					push({service: '', container: '', stream: 'berth', text: errorMessage(error), timestamp: null});
				}
			}
			if (containers && !signal.aborted) {
				if (!backlogRead) {
					const readAt = comparableTimestamp(new Date().toISOString());
					await backlog(containers, (container, text) => {
						if (GONE.test(text) || isEngineUnreachable(text)) return;
						refused.set(keyOf(container), container.id);
						push({service: '', container: container.name, stream: 'berth', text: `docker logs ${container.name}: ${text}`, timestamp: null});
					});
					// No tail asked for: what follows starts now, not at the containers' first lines.
					if (options.tail === 0) for (const c of containers) if (!last.has(keyOf(c))) last.set(keyOf(c), readAt);
					backlogRead = true;
				}
				// What docker said while the Engine went away was about that: forget it.
				if (markers.phase === 'engine-lost') {
					notes = [];
					refused.clear();
				}
				for (const c of containers) if (c.state !== 'running' || refused.get(keyOf(c)) !== c.id) refused.delete(keyOf(c));
				let due = containers.filter(c => c.state === 'running' && !attached.has(keyOf(c)) && !refused.has(keyOf(c)) && (ended.get(keyOf(c)) ?? 0) < seq);
				// The list can still say "running" of a container whose output just ended because it is
				// stopping: ask the Engine now, and call it a restart only when it started again since.
				const details =
					due.length > 0
						? await inspectContainers(
								due.map(c => c.id),
								env,
							).catch(() => new Map<string, ContainerDetails>())
						: new Map<string, ContainerDetails>();
				due = due.filter(c => details.get(c.id)?.state === 'running');
				const reran = new Set(
					due
						.filter(c => {
							const before = attachedAs.get(keyOf(c));
							return before !== undefined && (before.id !== c.id || before.startedAt !== details.get(c.id)!.startedAt);
						})
						.map(keyOf),
				);
				for (const c of due) attachedAs.set(keyOf(c), {id: c.id, startedAt: details.get(c.id)!.startedAt});
				notes.forEach(push);
				notes = [];
				markers
					.observe(
						containers.map(c => ({key: keyOf(c), service: c.labels[SERVICE_LABEL] ?? c.name, running: c.state === 'running'})),
						reran,
					)
					.forEach(push);
				for (const container of due) attach(container);
			}
			await sleep(DISCOVER_MS, signal);
		}
		await Promise.all(children);
	}

	const done = (follow ? following() : once())
		.catch(() => undefined)
		.finally(() => {
			options.signal?.removeEventListener('abort', stop);
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
