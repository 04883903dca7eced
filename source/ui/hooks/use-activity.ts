import {useCallback, useEffect, useRef, useState} from 'react';
import {failureCause} from '../../core/compose/failure-cause.ts';
import {useServices} from '../contexts/services-context.tsx';
import {runBounded} from '../../core/pool.ts';
import {cleanLine} from '../cells.ts';
import {appendLines, emptyLogBuffer, type LogBuffer} from '../state/log-buffer.ts';
import {ActivityLog, busyMessage, VERB} from '../state/activity-log.ts';
import type {ComposeAction, WorkspaceApp} from '../services.ts';

export interface ActionOutcome {
	ok: number;
	/** Each app that failed, with the line that explains why (`message`). */
	failed: {app: string; message: string}[];
	/** Apps not run because an action of theirs was still running: what the refusal says. */
	refused: {app: string; message: string}[];
}

export interface RunOptions {
	/** Limit the action to these services of each app (default: the whole app). */
	services?: readonly string[];
}

/**
 * Runs compose actions with a bounded concurrency. Each app's output (pull / build / up progress) is
 * kept whole in an `ActivityLog` (bounded per app, for the output overlay) and its tail in the activity
 * pane's buffer; nothing reaches the raw terminal. An app already running an action is refused, never
 * run twice. A failure keeps the line that explains it (core's failure-cause.ts) until the app's next
 * action. On unmount, queued actions are cancelled; running ones finish (see `BerthServices.runAction`).
 */
export function useActivity(options: {concurrency?: number; flushMs?: number; clock?: () => number} = {}) {
	const services = useServices();
	const {concurrency = 4, flushMs = 100, clock = Date.now} = options;
	const [buffer, setBuffer] = useState<LogBuffer>(() => emptyLogBuffer(500));
	const [running, setRunning] = useState(0);
	// The log is mutated in place; `version` re-renders its readers.
	const [log] = useState(() => new ActivityLog());
	const [version, setVersion] = useState(0);
	const controller = useRef(new AbortController());
	const pending = useRef<string[]>([]);

	const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

	// Lines are batched into one render per `flushMs`, and the timer only runs while there are lines:
	// an idle berth wakes up for nothing.
	const push = useCallback(
		(line: string) => {
			pending.current.push(line);
			timer.current ??= setTimeout(() => {
				timer.current = null;
				const lines = pending.current;
				pending.current = [];
				setBuffer(current => appendLines(current, lines));
				setVersion(v => v + 1);
			}, flushMs);
		},
		[flushMs],
	);

	useEffect(() => {
		controller.current = new AbortController();
		return () => {
			if (timer.current) clearTimeout(timer.current);
			timer.current = null;
			controller.current.abort();
		};
	}, []);

	const run = useCallback(
		async (action: ComposeAction, apps: readonly WorkspaceApp[], runOptions: RunOptions = {}): Promise<ActionOutcome> => {
			// Taken at once, before any await: a second key press finds the app busy.
			const refused: ActionOutcome['refused'] = [];
			const todo = apps.flatMap(app => {
				const run = log.begin(app.id, action, clock(), runOptions.services ?? null);
				if (run) return [{app, run}];
				refused.push({app: app.id, message: busyMessage(log.busy(app.id)!, clock())});
				return [];
			});
			const bulk =
				todo.length > 1
					? log.beginBulk(
							action,
							todo.map(t => t.app.id),
							clock(),
						)
					: null;
			if (todo.length === 0) return {ok: 0, failed: [], refused};
			setVersion(v => v + 1);
			setRunning(n => n + todo.length);
			// "stop m/app1 web": the services acted on, when not the whole app.
			const what = runOptions.services?.length ? ` ${runOptions.services.join(' ')}` : '';
			const results = await runBounded(todo, concurrency, async ({app, run}) => {
				const prefix = todo.length > 1 ? `${app.id} ` : '';
				push(`▸ ${VERB[action]} ${app.id}${what}`);
				try {
					await services.runAction(action, app, {
						signal: controller.current.signal,
						onLine: raw => {
							// Drawn by Ink's own cut: nothing in it may move the cursor or be wider than measured.
							const line = cleanLine(raw);
							log.append(run, [line]);
							push(prefix + line);
						},
						...(runOptions.services ? {services: runOptions.services} : {}),
					});
					log.finish(run, clock(), null);
					push(`✓ ${VERB[action]} ${app.id}${what} done`);
				} catch (error) {
					const cause = failureCause(error, run.lines);
					log.append(run, [`✗ ${VERB[action]} ${app.id}${what} failed: ${cause}`]);
					log.finish(run, clock(), cause);
					bulk?.failed.push({app: app.id, cause});
					push(`✗ ${VERB[action]} ${app.id}${what} failed: ${cause}`);
					throw error;
				} finally {
					setRunning(n => n - 1);
					setVersion(v => v + 1);
				}
			});
			if (bulk) bulk.endedAt = clock();
			setVersion(v => v + 1);
			const failed = results.flatMap((result, i) =>
				result.status === 'rejected' ? [{app: todo[i]!.app.id, message: log.last(todo[i]!.app.id)?.cause ?? ''}] : [],
			);
			return {ok: results.length - failed.length, failed, refused};
		},
		[services, concurrency, push, log, clock],
	);

	return {buffer, running, run, log, version};
}
