/**
 * What happened to a followed app, told once: the log stream looks at the app's containers once a
 * second and this tracker turns two looks in a row into marker lines (stopped, removed, restarted,
 * engine lost, engine back). Pure: the stream feeds it snapshots, tests feed it by hand.
 */
import type {LogEvent, LogLine} from './types.ts';

/** One followed container as a snapshot shows it. */
export interface ObservedContainer {
	/** Service and replica number: a recreated container keeps its key. */
	key: string;
	service: string;
	running: boolean;
}

/** The app as a whole: what the log pane's title says. */
export type LogPhase = 'running' | 'stopped' | 'removed' | 'engine-lost';

const APP_TEXT: Record<Exclude<LogEvent, 'no-containers'>, string> = {
	stopped: 'stopped',
	removed: 'removed',
	restarted: 'restarted',
	'engine-lost': 'engine lost',
	'engine-back': 'engine back',
};

export function markerLine(event: LogEvent, text: string = event === 'no-containers' ? 'no containers' : APP_TEXT[event], service = ''): LogLine {
	return {service, container: '', stream: 'berth', text, timestamp: null, event};
}

function phaseOf(containers: readonly ObservedContainer[]): LogPhase {
	if (containers.length === 0) return 'removed';
	return containers.some(c => c.running) ? 'running' : 'stopped';
}

function join(services: readonly string[]): string {
	return [...new Set(services)].sort().join(', ');
}

/** Looks (about a second apart) during which a service still coming up belongs to the app's restart. */
const SETTLE_LOOKS = 30;

export class LogMarkers {
	#phase: LogPhase | null = null;
	/** The phase before the engine went away: what the app is compared with when it is back. */
	#before: LogPhase | null = null;
	/** Each container's last look: running or not. */
	#seen = new Map<string, boolean>();
	/**
	 * Containers not yet running when "restarted" was said, and how many more looks they are part of that
	 * restart (compose starts a service after the one it depends on is healthy): they come up unsaid.
	 */
	#comingUp = new Set<string>();
	#comingUpLooks = 0;
	readonly #noContainers: string;

	/** `noContainers`: what the first look says when the app has no containers (yet). */
	constructor(noContainers: string) {
		this.#noContainers = noContainers;
	}

	get phase(): LogPhase | null {
		return this.#phase;
	}

	/** The engine did not answer: one line for the whole outage. */
	lost(detail: string): LogLine[] {
		if (this.#phase === 'engine-lost') return [];
		this.#before = this.#phase;
		this.#phase = 'engine-lost';
		return [markerLine('engine-lost', `engine lost (${detail}): waiting for it to come back`)];
	}

	/**
	 * A fresh look at the app's containers. `reran`: containers whose log stream ended (they stopped)
	 * before this look began and that run again in it: they restarted even when no look saw them stopped.
	 */
	observe(containers: readonly ObservedContainer[], reran: ReadonlySet<string> = new Set()): LogLine[] {
		const lines: LogLine[] = [];
		const wasLost = this.#phase === 'engine-lost';
		if (wasLost) lines.push(markerLine('engine-back'));
		const previous = wasLost ? this.#before : this.#phase;
		const next = phaseOf(containers);
		if (previous === null) {
			// The first look says where the app is (after its backlog); running needs no words.
			if (next === 'removed') lines.push(markerLine('no-containers', this.#noContainers));
			if (next === 'stopped') lines.push(markerLine('stopped'));
		} else if (next !== previous) {
			if (next === 'running') {
				lines.push(markerLine('restarted'));
				this.#comingUp = new Set(containers.filter(c => !c.running).map(c => c.key));
				this.#comingUpLooks = SETTLE_LOOKS;
			} else lines.push(markerLine(next));
		} else if (next === 'running' && !wasLost) {
			// The app runs on, some of its containers did not: say which.
			const stopped = containers.filter(c => !c.running && this.#seen.get(c.key) === true).map(c => c.service);
			const present = new Set(containers.map(c => c.key));
			const removed = [...this.#seen.keys()].filter(key => !present.has(key)).map(key => key.split('#')[0]!);
			const restarted = containers.filter(c => c.running && (this.#seen.get(c.key) === false || reran.has(c.key)) && !this.#comingUp.has(c.key));
			if (stopped.length > 0) lines.push(markerLine('stopped', `${join(stopped)} stopped`, join(stopped)));
			if (removed.length > 0) lines.push(markerLine('removed', `${join(removed)} removed`, join(removed)));
			if (restarted.length > 0 && restarted.length === containers.length) lines.push(markerLine('restarted'));
			else if (restarted.length > 0) {
				const names = join(restarted.map(c => c.service));
				lines.push(markerLine('restarted', `${names} restarted`, names));
			}
		}
		for (const c of containers) if (c.running) this.#comingUp.delete(c.key);
		if (this.#comingUpLooks > 0 && --this.#comingUpLooks === 0) this.#comingUp.clear();
		this.#phase = next;
		this.#before = null;
		this.#seen = new Map(containers.map(c => [c.key, c.running]));
		return lines;
	}
}
