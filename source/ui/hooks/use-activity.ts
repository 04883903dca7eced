import {useCallback, useEffect, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import {runBounded} from '../run-bounded.ts';
import {appendLines, emptyLogBuffer, type LogBuffer} from '../state/log-buffer.ts';
import type {ComposeAction, WorkspaceApp} from '../services.ts';

export interface ActionOutcome {
	ok: number;
	failed: {app: string; message: string}[];
}

const VERB: Record<ComposeAction, string> = {up: 'start', stop: 'stop', restart: 'restart', down: 'down', build: 'rebuild'};

/**
 * Runs compose actions with a bounded concurrency and streams their output (pull / build / up
 * progress) into an activity buffer; nothing reaches the raw terminal. Running actions are cancelled
 * on unmount.
 */
export function useActivity(options: {concurrency?: number; flushMs?: number} = {}) {
	const services = useServices();
	const {concurrency = 4, flushMs = 100} = options;
	const [buffer, setBuffer] = useState<LogBuffer>(() => emptyLogBuffer(500));
	const [running, setRunning] = useState(0);
	const controller = useRef(new AbortController());
	const pending = useRef<string[]>([]);

	useEffect(() => {
		controller.current = new AbortController();
		const timer = setInterval(() => {
			if (pending.current.length === 0) return;
			const lines = pending.current;
			pending.current = [];
			setBuffer(current => appendLines(current, lines));
		}, flushMs);
		return () => {
			clearInterval(timer);
			controller.current.abort();
		};
	}, [flushMs]);

	const run = useCallback(async (action: ComposeAction, apps: readonly WorkspaceApp[]): Promise<ActionOutcome> => {
		setRunning(n => n + apps.length);
		const results = await runBounded(apps, concurrency, async app => {
			const prefix = apps.length > 1 ? `${app.id} ` : '';
			pending.current.push(`▸ ${VERB[action]} ${app.id}`);
			try {
				await services.runAction(action, app, {signal: controller.current.signal, onLine: line => pending.current.push(prefix + line)});
				pending.current.push(`✓ ${VERB[action]} ${app.id} done`);
			} catch (error) {
				pending.current.push(`✗ ${VERB[action]} ${app.id} failed: ${errorMessage(error)}`);
				throw error;
			} finally {
				setRunning(n => n - 1);
			}
		});
		const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [{app: apps[i]!.id, message: errorMessage(result.reason)}] : []));
		return {ok: results.length - failed.length, failed};
	}, [services, concurrency]);

	return {buffer, running, run};
}
