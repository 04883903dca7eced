import {useCallback, useEffect, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import {appendLines, emptyLogBuffer, type LogBuffer, type LogEntry} from '../state/log-buffer.ts';
import type {LogEvent, LogLine, WorkspaceApp} from '../services.ts';

/**
 * Where the followed app is, as the stream's markers say (the pane's title): `following` while it runs,
 * `stopped` / `removed` / `no-containers` while there is nothing to follow, `engine-lost` while the
 * Engine is away; `ended` / `error` when the stream itself ended.
 */
export type LogStatus = 'idle' | 'following' | 'stopped' | 'removed' | 'no-containers' | 'engine-lost' | 'ended' | 'error';

export interface LogStreamOptions {
	/** How often buffered lines reach the screen; a chatty container costs one render per flush. */
	flushMs?: number;
	capacity?: number;
	tail?: number;
	/** Changing it attaches again to the same app (after the stream ended or failed). */
	attachKey?: number;
	/** Only this service's lines (`null`: every service of the app). */
	service?: string | null;
}

/** What an app-wide marker says about the app. */
const STATUS_OF: Record<LogEvent, LogStatus> = {
	stopped: 'stopped',
	removed: 'removed',
	'no-containers': 'no-containers',
	restarted: 'following',
	'engine-lost': 'engine-lost',
	'engine-back': 'following',
};

/** A stream line as the pane shows it: `service | text`, or berth's `── marker ──`. */
export function logEntry(line: LogLine): LogEntry {
	if (!line.berth && !line.event) return {text: line.service ? `${line.service} | ${line.text}` : line.text, timestamp: line.timestamp ?? null};
	// The outage's detail is the header's to show; the pane says what happened.
	return {text: `── ${line.event === 'engine-lost' ? 'engine lost' : line.text} ──`, timestamp: null};
}

/**
 * Follows `app`'s logs into a bounded buffer until the app changes or the component unmounts. Lines
 * are batched and flushed every `flushMs`, so 5,000 lines a second is ~12 renders a second, not
 * 5,000. The stream (core) re-attaches by itself and says, once, when the app stopped, was removed,
 * restarted, and when the Engine went and came back: the status follows those markers.
 */
export function useLogStream(app: WorkspaceApp | null, options: LogStreamOptions = {}): {buffer: LogBuffer<LogEntry>; status: LogStatus; clear: () => void} {
	const services = useServices();
	const {flushMs = 80, capacity, tail = 200, attachKey = 0, service = null} = options;
	const [buffer, setBuffer] = useState<LogBuffer<LogEntry>>(() => emptyLogBuffer(capacity));
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
		// Another app starts from a clean pane; the same app attached again keeps its history.
		if (previous.current !== streamId) setBuffer(current => emptyLogBuffer(current.capacity));
		previous.current = streamId;
		const controller = new AbortController();
		let pending: LogEntry[] = [];
		const flush = () => {
			if (pending.length === 0) return;
			const lines = pending;
			pending = [];
			setBuffer(current => appendLines(current, lines));
		};
		const timer = setInterval(flush, flushMs);
		const marker = (text: string) => pending.push({text: `── ${text} ──`, timestamp: null});
		marker(attachKey > 0 ? `attached again to ${streamId}` : `following ${streamId}`);
		setStatus('following');
		// Never rejects: every failure of the stream becomes a marker line and the 'error' status.
		void (async () => {
			try {
				for await (const line of services.followLogs(app, {signal: controller.signal, tail, ...(service ? {services: [service]} : {})})) {
					pending.push(logEntry(line));
					// A service's own marker (the app runs on) leaves the app's status as it is.
					if (line.event && !line.service) setStatus(STATUS_OF[line.event]);
				}
				if (controller.signal.aborted) return;
				marker(`log stream of ${app.id} ended`);
				setStatus('ended');
			} catch (error) {
				if (controller.signal.aborted) return;
				marker(`log stream of ${app.id} failed: ${errorMessage(error)}`);
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
