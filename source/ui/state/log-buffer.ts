/**
 * A bounded log buffer: the newest `capacity` lines, so following a chatty container for hours keeps
 * memory flat. Pure; the log hook batches incoming lines and appends them at most every flush.
 */
export interface LogBuffer {
	readonly lines: readonly string[];
	/** Lines dropped from the top since the buffer was created (shown as a hint). */
	readonly dropped: number;
	readonly capacity: number;
}

export const DEFAULT_LOG_CAPACITY = 2000;

export function emptyLogBuffer(capacity = DEFAULT_LOG_CAPACITY): LogBuffer {
	return {lines: [], dropped: 0, capacity};
}

export function appendLines(buffer: LogBuffer, lines: readonly string[]): LogBuffer {
	if (lines.length === 0) return buffer;
	const all = buffer.lines.length + lines.length;
	const overflow = Math.max(0, all - buffer.capacity);
	const kept = overflow >= buffer.lines.length ? lines.slice(overflow - buffer.lines.length) : [...buffer.lines.slice(overflow), ...lines];
	return {lines: kept, dropped: buffer.dropped + overflow, capacity: buffer.capacity};
}

/** The `height` lines to show, `scroll` lines up from the bottom, after an optional filter. */
export function logWindow(lines: readonly string[], height: number, scroll: number, filter = ''): string[] {
	const needle = filter.trim().toLowerCase();
	const shown = needle ? lines.filter(line => line.toLowerCase().includes(needle)) : lines;
	const end = Math.max(0, shown.length - scroll);
	return shown.slice(Math.max(0, end - height), end);
}
