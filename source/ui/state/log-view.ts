/**
 * What the log pane shows: the newest rows (following), or a still view the reader scrolled back to.
 * A still view keeps the buffer as it was (`frozen`, immutable) and its top row by the line's absolute
 * number, so new lines — 5,000 a second — neither move it nor push its lines out; the title counts
 * them. Rows are cells of the pane's width: a wrapped line is several rows, and scrolling moves by rows.
 * Pure (test/ui/state/log-view.test.ts).
 */
import {cellRows} from '../cells.ts';
import {logTotal, type LogBuffer, type LogEntry} from './log-buffer.ts';

/** How the pane lays lines out. */
export interface LogLayout {
	/** Cells per row (the pane's inner width). */
	width: number;
	/** Rows of lines the pane shows. */
	rows: number;
	wrap: boolean;
	timestamps: boolean;
	/** Only lines containing it (case-insensitive); empty: all. */
	filter: string;
}

/** A row of the pane: the line's absolute number and the row within the (wrapped) line. */
export interface LogPosition {
	seq: number;
	row: number;
}

/** A scrolled-back view: the buffer as it was, and its top row. `null` in the UI state: following. */
export interface LogView {
	top: LogPosition;
	frozen: LogBuffer<LogEntry>;
}

const NO_TIME = ' '.repeat(12);

/** `HH:MM:SS.mmm` of a docker timestamp (UTC, as docker records it); blank for berth's own lines. */
export function timeOf(timestamp: string | null): string {
	const match = timestamp ? /T(\d\d:\d\d:\d\d)(?:\.(\d+))?/.exec(timestamp) : null;
	return match ? `${match[1]}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}` : NO_TIME;
}

/** The rows one line takes in the pane. */
export function entryRows(entry: LogEntry, layout: LogLayout): string[] {
	return cellRows(layout.timestamps ? `${timeOf(entry.timestamp)} ${entry.text}` : entry.text, layout.width, layout.wrap);
}

/** Walks a buffer's lines that pass the filter, by index. */
class Lines {
	readonly #buffer: LogBuffer<LogEntry>;
	readonly #layout: LogLayout;
	readonly #needle: string;
	readonly #rows = new Map<number, string[]>();

	constructor(buffer: LogBuffer<LogEntry>, layout: LogLayout) {
		this.#buffer = buffer;
		this.#layout = layout;
		this.#needle = layout.filter.trim().toLowerCase();
	}

	#shown(index: number): boolean {
		return !this.#needle || this.#buffer.lines[index]!.text.toLowerCase().includes(this.#needle);
	}

	/** The first shown index at or after `index` going by `step` (+1 / -1), or -1. */
	find(index: number, step: 1 | -1): number {
		for (let i = index; i >= 0 && i < this.#buffer.lines.length; i += step) if (this.#shown(i)) return i;
		return -1;
	}

	rows(index: number): string[] {
		let rows = this.#rows.get(index);
		if (!rows) {
			rows = entryRows(this.#buffer.lines[index]!, this.#layout);
			this.#rows.set(index, rows);
		}
		return rows;
	}

	at(index: number, row: number): LogPosition {
		return {seq: this.#buffer.dropped + index, row};
	}

	/** `top` as an index and row of a shown line (the next one when its line is gone or filtered out); `null`: nothing shown. */
	resolve(top: LogPosition): {index: number; row: number} | null {
		const wanted = top.seq - this.#buffer.dropped;
		const index = this.find(Math.max(0, wanted), 1);
		if (index === -1) {
			const last = this.find(this.#buffer.lines.length - 1, -1);
			return last === -1 ? null : {index: last, row: this.rows(last).length - 1};
		}
		return {index, row: index === wanted ? Math.min(top.row, this.rows(index).length - 1) : 0};
	}
}

function compare(a: LogPosition, b: LogPosition): number {
	return a.seq - b.seq || a.row - b.row;
}

/** The top row that puts the newest row at the bottom of the pane (the first row when all fit); `null`: nothing shown. */
export function bottomTop(buffer: LogBuffer<LogEntry>, layout: LogLayout, lines = new Lines(buffer, layout)): LogPosition | null {
	let need = Math.max(1, layout.rows);
	let first: LogPosition | null = null;
	for (let i = lines.find(buffer.lines.length - 1, -1); i !== -1; i = lines.find(i - 1, -1)) {
		const count = lines.rows(i).length;
		if (count >= need) return lines.at(i, count - need);
		need -= count;
		first = lines.at(i, 0);
	}
	return first;
}

/** Moves `top` by `by` rows (negative: up, to older lines), within the buffer and never past `bottomTop`. */
function moveTop(buffer: LogBuffer<LogEntry>, top: LogPosition, by: number, layout: LogLayout): LogPosition | null {
	const lines = new Lines(buffer, layout);
	const at = lines.resolve(top);
	if (!at) return null;
	let {index, row} = at;
	let left = Math.abs(by);
	while (left > 0) {
		if (by < 0) {
			if (row > 0) {
				const step = Math.min(row, left);
				row -= step;
				left -= step;
				continue;
			}
			const previous = lines.find(index - 1, -1);
			if (previous === -1) break;
			index = previous;
			row = lines.rows(previous).length - 1;
			left--;
		} else {
			const last = lines.rows(index).length - 1;
			if (row < last) {
				const step = Math.min(last - row, left);
				row += step;
				left -= step;
				continue;
			}
			const next = lines.find(index + 1, 1);
			if (next === -1) break;
			index = next;
			row = 0;
			left--;
		}
	}
	const moved = lines.at(index, row);
	const bottom = bottomTop(buffer, layout, lines);
	return bottom && compare(moved, bottom) > 0 ? bottom : moved;
}

/** The rows the pane shows: from `view`'s top in its still buffer, else the newest of `live`. */
export function visibleRows(live: LogBuffer<LogEntry>, view: LogView | null, layout: LogLayout): string[] {
	const buffer = view?.frozen ?? live;
	const lines = new Lines(buffer, layout);
	const top = view ? view.top : bottomTop(buffer, layout, lines);
	const at = top ? lines.resolve(top) : null;
	if (!at) return [];
	const rows = lines.rows(at.index).slice(at.row, at.row + layout.rows);
	for (let i = lines.find(at.index + 1, 1); i !== -1 && rows.length < layout.rows; i = lines.find(i + 1, 1)) {
		rows.push(...lines.rows(i).slice(0, layout.rows - rows.length));
	}
	return rows;
}

/**
 * The view after a scroll: `by` rows (negative: up), `'top'` (the oldest line kept), `'bottom'`
 * (follow again: `null`). Scrolling up from following stills the view; scrolling down past the
 * bottom of a still view goes on into newer lines while the buffer still holds the line after it, and
 * follows again once there is nothing newer.
 */
export function scrollLogView(live: LogBuffer<LogEntry>, view: LogView | null, layout: LogLayout, by: number | 'top' | 'bottom'): LogView | null {
	if (by === 'bottom') return null;
	const frozen = view?.frozen ?? live;
	const top = view?.top ?? bottomTop(frozen, layout);
	if (!top) return view;
	if (by === 'top') {
		const lines = new Lines(frozen, layout);
		const first = lines.find(0, 1);
		return first === -1 ? view : {frozen, top: lines.at(first, 0)};
	}
	if (by < 0) {
		const moved = moveTop(frozen, top, by, layout) ?? top;
		if (!view && compare(moved, top) === 0) return null; // nothing above: still following
		return {frozen, top: moved};
	}
	const bottom = bottomTop(frozen, layout);
	if (bottom && compare(top, bottom) < 0) return {frozen, top: moveTop(frozen, top, by, layout) ?? top};
	if (logTotal(live) === logTotal(frozen)) return null; // nothing newer: follow again
	if (top.seq >= live.dropped) return {frozen: live, top: moveTop(live, top, by, layout) ?? top};
	return view; // the lines after this view are gone from the buffer: stay (the title says so)
}

const count = (n: number) => n.toLocaleString('en-US');

/** What the title says of a still view: lines that came since, and how many of them are gone already. */
export function logViewNote(live: LogBuffer<LogEntry>, view: LogView | null, followKey = 'G'): string | null {
	if (!view) return null;
	const fresh = logTotal(live) - logTotal(view.frozen);
	const dropped = Math.max(0, live.dropped - logTotal(view.frozen));
	return `+${count(fresh)} new${dropped > 0 ? `, ${count(dropped)} dropped` : ''} · ${followKey} follows`;
}
