/**
 * A bounded log buffer: the newest `capacity` lines, so following a chatty container for hours keeps
 * memory flat. Every line has an absolute number (`dropped` + its index), so a view can hold on to a
 * line while newer ones push older ones out. Pure and immutable: an append makes a new buffer, and a
 * view that keeps an old one (scrolled back, logs/log-view.ts) keeps exactly what it showed.
 */
export interface LogBuffer<T = string> {
	readonly lines: readonly T[];
	/** Lines dropped from the top since the buffer was created: the number of `lines[0]`. */
	readonly dropped: number;
	readonly capacity: number;
}

/** One line of the log pane: its text (`service | text`, or a `── marker ──`) and the container's timestamp. */
export interface LogEntry {
	readonly text: string;
	/** RFC 3339, as docker gives it; `null` on berth's own lines. */
	readonly timestamp: string | null;
}

export const DEFAULT_LOG_CAPACITY = 2000;

export function emptyLogBuffer<T = string>(capacity = DEFAULT_LOG_CAPACITY): LogBuffer<T> {
	return {lines: [], dropped: 0, capacity};
}

/** Lines appended since the buffer was created: one past the number of the last line. */
export function logTotal(buffer: LogBuffer<unknown>): number {
	return buffer.dropped + buffer.lines.length;
}

export function appendLines<T>(buffer: LogBuffer<T>, lines: readonly T[]): LogBuffer<T> {
	if (lines.length === 0) return buffer;
	const all = buffer.lines.length + lines.length;
	const overflow = Math.max(0, all - buffer.capacity);
	const kept = overflow >= buffer.lines.length ? lines.slice(overflow - buffer.lines.length) : [...buffer.lines.slice(overflow), ...lines];
	return {lines: kept, dropped: buffer.dropped + overflow, capacity: buffer.capacity};
}
