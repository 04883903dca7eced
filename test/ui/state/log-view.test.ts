import {test} from 'node:test';
import assert from 'node:assert/strict';
import {appendLines, emptyLogBuffer, type LogBuffer, type LogEntry} from '../../../source/ui/state/log-buffer.ts';
import {logViewNote, scrollLogView, timeOf, visibleRows, type LogLayout, type LogView} from '../../../source/ui/state/log-view.ts';
import {cellRows} from '../../../source/ui/cells.ts';

const layout: LogLayout = {width: 20, rows: 3, wrap: false, timestamps: false, filter: ''};
const entry = (text: string, timestamp: string | null = null): LogEntry => ({text, timestamp});
/** A buffer of `capacity` lines holding lines `from` .. `to` - 1 ("line N"). */
function lines(from: number, to: number, buffer: LogBuffer<LogEntry> = emptyLogBuffer(5)): LogBuffer<LogEntry> {
	return appendLines(
		buffer,
		Array.from({length: to - from}, (_, i) => entry(`line ${from + i}`)),
	);
}

test('following shows the newest rows; scrolled back, the view stands still while lines pour in', () => {
	let live = lines(0, 5);
	assert.deepEqual(visibleRows(live, null, layout), ['line 2', 'line 3', 'line 4']);
	let view = scrollLogView(live, null, layout, -1);
	assert.deepEqual(view?.top, {seq: 1, row: 0}, 'anchored on the line number');
	assert.deepEqual(visibleRows(live, view, layout), ['line 1', 'line 2', 'line 3']);
	// 4,000 lines later (the buffer holds 5): the same rows, and the title counts what came.
	live = lines(5, 4005, live);
	assert.deepEqual(visibleRows(live, view, layout), ['line 1', 'line 2', 'line 3']);
	assert.equal(logViewNote(live, view), '+4,000 new, 3,995 dropped · G follows');
	assert.equal(logViewNote(live, null), null);
	// Down at the bottom of the still view: the lines after it are gone, so it stays (and says so).
	view = scrollLogView(live, view, layout, 1);
	view = scrollLogView(live, view, layout, 1);
	assert.deepEqual(visibleRows(live, view, layout), ['line 2', 'line 3', 'line 4']);
	assert.equal(scrollLogView(live, view, layout, 1), view);
	assert.equal(scrollLogView(live, view, layout, 'bottom'), null, 'G follows again');
});

test('scrolling up stops at the oldest line with the pane full (never half empty); top and page moves', () => {
	const live = lines(0, 5);
	let view = scrollLogView(live, null, layout, -50);
	assert.deepEqual(visibleRows(live, view, layout), ['line 0', 'line 1', 'line 2']);
	view = scrollLogView(live, view, layout, -1);
	assert.deepEqual(visibleRows(live, view, layout), ['line 0', 'line 1', 'line 2']);
	view = scrollLogView(live, null, layout, 'top');
	assert.deepEqual(view?.top, {seq: 0, row: 0});
	assert.equal(scrollLogView(lines(0, 2), null, layout, -1), null, 'nothing to scroll: still following');
});

test('down past the bottom of a still view goes on into newer lines the buffer still holds, then follows', () => {
	let live = lines(0, 5, emptyLogBuffer(100));
	let view: LogView | null = scrollLogView(live, null, layout, -2);
	assert.deepEqual(visibleRows(live, view, layout), ['line 0', 'line 1', 'line 2']);
	live = lines(5, 7, live);
	assert.equal(logViewNote(live, view), '+2 new · G follows');
	view = scrollLogView(live, view, layout, 2);
	view = scrollLogView(live, view, layout, 1);
	assert.deepEqual(visibleRows(live, view, layout), ['line 3', 'line 4', 'line 5'], 'on into the lines that came');
	assert.equal(logViewNote(live, view), '+0 new · G follows');
	view = scrollLogView(live, view, layout, 1);
	assert.deepEqual(visibleRows(live, view, layout), ['line 4', 'line 5', 'line 6']);
	assert.equal(scrollLogView(live, view, layout, 1), null, 'at the newest line: following again');
});

test('wrapped lines take several rows, and scrolling moves by rows', () => {
	const wrap = {...layout, wrap: true, width: 10};
	const live = appendLines(emptyLogBuffer<LogEntry>(10), [entry('web | short'), entry('worker | a long line that wraps'), entry('web | end')]);
	assert.deepEqual(visibleRows(live, null, {...layout, width: 10}), ['web | sho…', 'worker | …', 'web | end'], 'cut with an ellipsis');
	// 'worker | a', ' long line', ' that wrap', 's': four rows.
	assert.deepEqual(visibleRows(live, null, wrap), [' that wrap', 's', 'web | end']);
	let view = scrollLogView(live, null, wrap, -1);
	assert.deepEqual(view?.top, {seq: 1, row: 1}, 'one row up: inside the wrapped line');
	assert.deepEqual(visibleRows(live, view, wrap), [' long line', ' that wrap', 's']);
	view = scrollLogView(live, view, wrap, -2);
	assert.deepEqual(visibleRows(live, view, wrap), ['t', 'worker | a', ' long line']);
});

test('the filter keeps the view on its line; timestamps are the time docker recorded', () => {
	const live = appendLines(emptyLogBuffer<LogEntry>(10), [
		entry('web | GET /', '2026-11-26T21:46:58.153823921Z'),
		entry('worker | tick', '2026-11-26T21:46:59Z'),
		entry('── stopped ──'),
	]);
	assert.deepEqual(visibleRows(live, null, {...layout, filter: 'WEB'}), ['web | GET /']);
	assert.deepEqual(visibleRows(live, null, {...layout, width: 40, timestamps: true}), [
		'21:46:58.153 web | GET /',
		'21:46:59.000 worker | tick',
		'             ── stopped ──',
	]);
	assert.equal(timeOf(null), '            ');
});

test('cells: wide characters take two cells, colours are closed at a row break, cursor escapes dropped', () => {
	assert.deepEqual(cellRows('日本語のログ', 5, true), ['日本', '語の', 'ログ']);
	assert.deepEqual(cellRows('日本語のログ', 5, false), ['日本…']);
	assert.deepEqual(cellRows('\u001B[31mred text\u001B[0m ok', 4, true), ['\u001B[31mred \u001B[0m', '\u001B[31mtext\u001B[0m', ' ok']);
	assert.deepEqual(cellRows('a\u001B[2Jb\u001B]0;title\u0007c\rd', 10, false), ['abcd']);
	assert.deepEqual(cellRows('a\tb', 12, false), ['a       b']);
});

test('cells: emoji parts terminals draw at other widths than they are measured are dropped, so no row overflows', () => {
	// ⚠️ ☀️ 1️⃣: 2 cells to string-width, 1 in tmux and xterm; 👍🏽: 2 or 4; 👨‍👩‍👧: 2 or 6. Without the variation
	// selector, the skin tone and the joiners, every terminal draws what is measured: ⚠ 1, 👍 2, 👨👩👧 6.
	assert.deepEqual(cellRows('⚠️ warn ☀️ 1️⃣', 20, false), ['⚠ warn ☀ 1⃣']);
	assert.deepEqual(cellRows('ok 👍🏽!', 20, false), ['ok 👍!']);
	assert.deepEqual(cellRows('👨‍👩‍👧 family', 8, true), ['👨👩👧 f', 'amily']);
	assert.deepEqual(cellRows('🚀 日本 🇯🇵', 20, false), ['🚀 日本 🇯🇵'], 'wide characters all terminals agree on are kept');
});
