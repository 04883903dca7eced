/**
 * What berth remembers of the compose actions it ran: per app the last run — its action, when it
 * started and ended, every line it printed (the newest `linesPerApp`) and, when it failed, the line
 * that explains why — for the last `apps` apps; and the last bulk run's summary. An app whose run has
 * not ended is busy: a second action on it is refused. Mutable and bounded (a build prints thousands
 * of lines); hooks/use-activity.ts owns one and re-renders after it changes. Unit-tested in
 * test/ui/state/activity-log.test.ts.
 */
import {wrapText, type PreviewLine} from '../format.ts';
import type {ComposeAction} from '../services.ts';

export interface AppRun {
	app: string;
	action: ComposeAction;
	/** The services the run was limited to; `null` for the whole app. */
	services: readonly string[] | null;
	startedAt: number;
	/** `null` while it runs (the app is busy). */
	endedAt: number | null;
	outcome: 'running' | 'ok' | 'failed';
	/** Why it failed, in one line (core's failure-cause.ts); `null` unless it failed. */
	cause: string | null;
	lines: string[];
	/** Lines dropped from the front to keep `lines` bounded. */
	dropped: number;
}

/** A run on several apps at once: which failed and why. */
export interface BulkSummary {
	action: ComposeAction;
	apps: readonly string[];
	startedAt: number;
	endedAt: number | null;
	failed: {app: string; cause: string}[];
}

/** The words for an action in progress ("stopping") and for the action ("stop"). */
export const DOING: Record<ComposeAction, string> = {up: 'starting', stop: 'stopping', restart: 'restarting', down: 'removing', build: 'rebuilding'};
export const VERB: Record<ComposeAction, string> = {up: 'start', stop: 'stop', restart: 'restart', down: 'down', build: 'rebuild'};

export class ActivityLog {
	readonly linesPerApp: number;
	readonly maxApps: number;
	/** Per app, its last run; the map's order is the order runs began (the oldest is forgotten first). */
	readonly #runs = new Map<string, AppRun>();
	#bulk: BulkSummary | null = null;

	constructor({linesPerApp = 2000, apps = 50}: {linesPerApp?: number; apps?: number} = {}) {
		this.linesPerApp = linesPerApp;
		this.maxApps = apps;
	}

	/** Starts a run; `null` (and nothing changes) when the app is busy with another. */
	begin(app: string, action: ComposeAction, now: number, services: readonly string[] | null = null): AppRun | null {
		if (this.busy(app)) return null;
		const run: AppRun = {app, action, services, startedAt: now, endedAt: null, outcome: 'running', cause: null, lines: [], dropped: 0};
		this.#runs.delete(app);
		this.#runs.set(app, run);
		for (const [id, old] of this.#runs) {
			if (this.#runs.size <= this.maxApps) break;
			if (old.outcome !== 'running') this.#runs.delete(id);
		}
		return run;
	}

	append(run: AppRun, lines: readonly string[]): void {
		run.lines.push(...lines);
		const over = run.lines.length - this.linesPerApp;
		if (over > 0) {
			run.lines.splice(0, over);
			run.dropped += over;
		}
	}

	finish(run: AppRun, now: number, cause: string | null): void {
		run.endedAt = now;
		run.outcome = cause === null ? 'ok' : 'failed';
		run.cause = cause;
	}

	/** The app's run in progress, or `null`. */
	busy(app: string): AppRun | null {
		const run = this.#runs.get(app);
		return run?.outcome === 'running' ? run : null;
	}

	/** The app's last run (kept until its next one), or `null`. */
	last(app: string): AppRun | null {
		return this.#runs.get(app) ?? null;
	}

	get bulk(): BulkSummary | null {
		return this.#bulk;
	}

	beginBulk(action: ComposeAction, apps: readonly string[], now: number): BulkSummary {
		this.#bulk = {action, apps, startedAt: now, endedAt: null, failed: []};
		return this.#bulk;
	}

	/** Whether any app is busy (the clock ticks for the elapsed times only then). */
	get anyBusy(): boolean {
		for (const run of this.#runs.values()) if (run.outcome === 'running') return true;
		return false;
	}
}

/** "3s", "1m05s": how long an action has been running. */
export function elapsed(since: number, now: number): string {
	const seconds = Math.max(0, Math.floor((now - since) / 1000));
	return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** What a refused key says: "m/app1 is already stopping (3s)". */
export function busyMessage(run: AppRun, now: number): string {
	return `${run.app} is already ${DOING[run.action]}${servicesOf(run)} (${elapsed(run.startedAt, now)})`;
}

/** " worker": the services a run was limited to, for the lines that name it ("stopping worker 3s…"). */
function servicesOf(run: AppRun): string {
	return run.services?.length ? ` ${run.services.join(' ')}` : '';
}

/** The last bulk run: "start of 4 apps · 2 of 4 failed", then each failed app with its cause, then the others. */
function bulkLines(bulk: BulkSummary, now: number): {head: string; lines: string[]} {
	const state =
		bulk.endedAt === null
			? `running ${elapsed(bulk.startedAt, now)}`
			: bulk.failed.length === 0
				? 'all done'
				: `${bulk.failed.length} of ${bulk.apps.length} failed`;
	const failed = [...bulk.failed].sort((a, b) => bulk.apps.indexOf(a.app) - bulk.apps.indexOf(b.app));
	const done = bulk.endedAt === null ? [] : bulk.apps.filter(app => !failed.some(f => f.app === app)).map(app => `  ${app}: done`);
	return {head: `${VERB[bulk.action]} of ${bulk.apps.length} apps · ${state}`, lines: [...failed.map(f => `✗ ${f.app}: ${f.cause}`), ...done]};
}

/** The output overlay's content of the last bulk run: a title, each failed app with its cause, then the others. */
export function bulkOutput(bulk: BulkSummary, now: number): {title: string; lines: string[]} {
	const {head, lines} = bulkLines(bulk, now);
	return {title: `Output · ${head}`, lines: [...lines, '', 'a on an app of this run: its whole output']};
}

/**
 * The apps pane's state cell of a busy app: "stopping 3s", the word cut ("restart… 3s") so the elapsed
 * time always shows in `width` cells.
 */
export function busyBadgeText(run: AppRun, now: number, width: number): string {
	const time = elapsed(run.startedAt, now);
	const word = DOING[run.action];
	if (word.length + 1 + time.length <= width) return `${word} ${time}`;
	const room = Math.max(1, width - time.length - 1);
	return `${word.slice(0, room - 1)}… ${time}`;
}

/**
 * The output overlay's content of an app's last run: its action, how it ended, every line it printed;
 * when the run was one of the last bulk run's, that run's summary after them (the overlay opens at the
 * end): every app of a bulk action, failed or not, shows every failure with its cause.
 */
export function runOutput(run: AppRun, now: number, bulk: BulkSummary | null = null): {title: string; lines: string[]; dropped: number} {
	const ended =
		run.outcome === 'running'
			? `running ${elapsed(run.startedAt, now)}`
			: run.outcome === 'ok'
				? 'done'
				: `failed after ${elapsed(run.startedAt, run.endedAt ?? now)}`;
	const services = run.services ? ` ${run.services.join(' ')}` : '';
	const title = `Output · ${VERB[run.action]} ${run.app}${services} · ${ended}`;
	// The bulk run's own runs begin just before it; a later run of the app is its own.
	if (!bulk?.apps.includes(run.app) || run.startedAt > bulk.startedAt) return {title, lines: run.lines, dropped: run.dropped};
	const {head, lines} = bulkLines(bulk, now);
	return {title, lines: [...run.lines, '', `── ${head} ──`, ...lines], dropped: run.dropped};
}

/** Most lines the status pane gives a failure's cause (the output overlay `a` has all of it). */
const CAUSE_LINES = 3;

/**
 * The status pane's lines about the app's last run: while it runs, what it is doing; after a failure,
 * the line that explains it, wrapped to `width` (kept until the app's next action).
 */
export function lastRunLines(run: AppRun | null, now: number, width: number, outputKey = 'a'): PreviewLine[] {
	if (!run) return [];
	if (run.outcome === 'running') return [{text: `${DOING[run.action]}${servicesOf(run)} ${elapsed(run.startedAt, now)}…`, tone: 'info'}];
	if (run.outcome !== 'failed') return [];
	const lines = wrapText(`✗ ${VERB[run.action]}${servicesOf(run)} failed: ${run.cause ?? 'unknown'}`, width, '  ');
	const shown = lines.slice(0, CAUSE_LINES).map(text => ({text, tone: 'error' as const}));
	return lines.length > CAUSE_LINES ? [...shown, {text: `  … ${outputKey}: the whole output`, tone: 'muted'}] : shown;
}
