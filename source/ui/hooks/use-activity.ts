import {useCallback, useEffect, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import {runBounded} from '../../core/pool.ts';
import {appendLines, emptyLogBuffer, type LogBuffer} from '../state/log-buffer.ts';
import type {ComposeAction, WorkspaceApp} from '../services.ts';

export interface ActionOutcome {
	ok: number;
	failed: {app: string; message: string}[];
}

const VERB: Record<ComposeAction, string> = {up: 'start', stop: 'stop', restart: 'restart', down: 'down', build: 'rebuild'};

/**
 * Runs compose actions with a bounded concurrency and streams their output (pull / build / up
 * progress) into an activity buffer; nothing reaches the raw terminal. On unmount, queued actions are
 * cancelled; running ones finish (see `BerthServices.runAction`).
 */
export function useActivity(options: {concurrency?: number; flushMs?: number} = {}) {
	const services = useServices();
	const {concurrency = 4, flushMs = 100} = options;
	const [buffer, setBuffer] = useState<LogBuffer>(() => emptyLogBuffer(500));
	const [running, setRunning] = useState(0);
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
		async (action: ComposeAction, apps: readonly WorkspaceApp[]): Promise<ActionOutcome> => {
			setRunning(n => n + apps.length);
			const results = await runBounded(apps, concurrency, async app => {
				const prefix = apps.length > 1 ? `${app.id} ` : '';
				push(`▸ ${VERB[action]} ${app.id}`);
				try {
					await services.runAction(action, app, {signal: controller.current.signal, onLine: line => push(prefix + line)});
					push(`✓ ${VERB[action]} ${app.id} done`);
				} catch (error) {
					push(`✗ ${VERB[action]} ${app.id} failed: ${errorMessage(error)}`);
					throw error;
				} finally {
					setRunning(n => n - 1);
				}
			});
			const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [{app: apps[i]!.id, message: errorMessage(result.reason)}] : []));
			return {ok: results.length - failed.length, failed};
		},
		[services, concurrency, push],
	);

	return {buffer, running, run};
}
