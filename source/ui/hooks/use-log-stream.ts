import {useCallback, useEffect, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import {appendLines, emptyLogBuffer, type LogBuffer} from '../state/log-buffer.ts';
import type {WorkspaceApp} from '../services.ts';

export type LogStatus = 'idle' | 'following' | 'ended' | 'error';

export interface LogStreamOptions {
	/** How often buffered lines reach the screen; a chatty container costs one render per flush. */
	flushMs?: number;
	capacity?: number;
	tail?: number;
	/** Changing it re-attaches to the same app (e.g. after a restart). */
	attachKey?: number;
	/** Only this service's lines (`null`: every service of the app). */
	service?: string | null;
}

/**
 * Follows `app`'s logs into a bounded buffer until the app changes or the component unmounts. Lines
 * are batched and flushed every `flushMs`, so 5,000 lines a second is ~12 renders a second, not
 * 5,000. A clear marker line is appended when the stream attaches, re-attaches and ends.
 */
export function useLogStream(app: WorkspaceApp | null, options: LogStreamOptions = {}): {buffer: LogBuffer; status: LogStatus; clear: () => void} {
	const services = useServices();
	const {flushMs = 80, capacity, tail = 200, attachKey = 0, service = null} = options;
	const [buffer, setBuffer] = useState<LogBuffer>(() => emptyLogBuffer(capacity));
	const [status, setStatus] = useState<LogStatus>('idle');
	const appId = app?.id ?? null;
	// What the pane shows: an app, or one service of it (a different one starts from a clean pane).
	const streamId = appId === null ? null : service ? `${appId} · ${service}` : appId;
	const previous = useRef<string | null>(null);
	// The app object is rebuilt by every workspace scan: the stream follows the app by id (appId), and
	// reads the latest object from here when it (re-)attaches.
	const latest = useRef(app);
	latest.current = app;

	useEffect(() => {
		const app = latest.current;
		if (appId === null || !app) {
			setStatus('idle');
			return;
		}
		// Another app starts from a clean pane; the same app re-attaching keeps its history.
		if (previous.current !== streamId) setBuffer(current => emptyLogBuffer(current.capacity));
		previous.current = streamId;
		const controller = new AbortController();
		let pending: string[] = [];
		const flush = () => {
			if (pending.length === 0) return;
			const lines = pending;
			pending = [];
			setBuffer(current => appendLines(current, lines));
		};
		const timer = setInterval(flush, flushMs);
		pending.push(attachKey > 0 ? `── re-attached to ${streamId} ──` : `── following ${streamId} ──`);
		setStatus('following');
		// Never rejects: every failure of the stream becomes a marker line and the 'error' status.
		void (async () => {
			try {
				for await (const line of services.followLogs(app, {signal: controller.signal, tail, ...(service ? {services: [service]} : {})})) {
					pending.push(line.service ? `${line.service} | ${line.text}` : line.text);
				}
				if (controller.signal.aborted) return;
				pending.push(`── log stream of ${app.id} ended ──`);
				setStatus('ended');
			} catch (error) {
				if (controller.signal.aborted) return;
				pending.push(`── log stream of ${app.id} failed: ${errorMessage(error)} ──`);
				setStatus('error');
			} finally {
				if (!controller.signal.aborted) flush();
			}
		})();
		return () => {
			controller.abort();
			clearInterval(timer);
			flush();
		};
	}, [services, appId, streamId, service, flushMs, tail, attachKey]);

	const clear = useCallback(() => setBuffer(current => emptyLogBuffer(current.capacity)), []);
	return {buffer, status, clear};
}
