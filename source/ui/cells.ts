/**
 * Terminal cells of text that is not ours (log lines): how wide a character is, and rows of at most
 * `width` cells, keeping colours (SGR) and dropping the other escape sequences and control characters
 * that would move the cursor and break the frame. Pure.
 */

import stringWidth from 'string-width';

const SEGMENTER = new Intl.Segmenter();
/** CSI (colours, cursor moves), OSC (titles, links), and two-byte escapes. */
const ESCAPE = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])/y;
const SGR = /^\u001B\[[0-9;]*m$/;
const RESET = /^\u001B\[0*m$/;
/**
 * Cells of one grapheme: 0 (controls, combining marks), 1, or 2 (wide characters, emoji), measured by
 * string-width as Ink measures what it draws: one rule, or a log row and its border disagree.
 */
export function graphemeCells(grapheme: string): number {
	return stringWidth(grapheme);
}

/**
 * Emoji parts terminals draw at other widths than string-width measures: a variation selector (⚠️ ☀️
 * 1️⃣ are 2 cells to string-width, 1 in tmux and xterm), a skin tone (👍🏽: 2 or 4) and, in an emoji, a
 * zero-width joiner (👨‍👩‍👧: 2 or 6). A row holding one overflowed its pane in tmux and the terminal
 * wrapped it, scrolling the whole frame.
 */
const VARIATION = /[\uFE0E\uFE0F]/gu;
const JOINED_EMOJI = /[\u200D\u{1F3FB}-\u{1F3FF}]/gu;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/** A grapheme without the parts terminals disagree on: ⚠, 👍, 👨👩👧 are as wide everywhere as measured. */
export function undisputed(grapheme: string): string {
	const plain = grapheme.replace(VARIATION, '');
	return PICTOGRAPHIC.test(plain) ? plain.replace(JOINED_EMOJI, '') : plain;
}

/** Text and escape sequences in order: escapes take no cell. */
function* tokens(text: string): Generator<{escape: string} | {grapheme: string}> {
	let plain = 0;
	let index = 0;
	while (index < text.length) {
		const at = text.indexOf('\u001B', index);
		if (at === -1) break;
		ESCAPE.lastIndex = at;
		const match = ESCAPE.exec(text);
		if (at > plain) for (const {segment} of SEGMENTER.segment(text.slice(plain, at))) yield {grapheme: segment};
		const sequence = match ? match[0] : '\u001B';
		yield {escape: sequence};
		index = at + sequence.length;
		plain = index;
	}
	if (plain < text.length) for (const {segment} of SEGMENTER.segment(text.slice(plain))) yield {grapheme: segment};
}

/**
 * `text` as rows of at most `width` cells: wrapped (`wrap`) or one row cut with an ellipsis. A colour
 * running across a row break is closed at the end of the row and opened again on the next; tabs become
 * spaces to the next multiple of 8.
 */
export function cellRows(text: string, width: number, wrap: boolean): string[] {
	if (width <= 0) return [''];
	const rows: string[] = [];
	/** The row being filled, piece by piece (a grapheme or an escape), with the cells of each. */
	let pieces: {text: string; cells: number}[] = [];
	let cells = 0;
	/** The colours in force (since the last reset). */
	let colour = '';
	const finish = () => pieces.map(p => p.text).join('') + (colour ? '\u001B[0m' : '');
	for (const token of tokens(text)) {
		if ('escape' in token) {
			if (!SGR.test(token.escape)) continue;
			colour = RESET.test(token.escape) ? '' : colour + token.escape;
			pieces.push({text: token.escape, cells: 0});
			continue;
		}
		const tab = token.grapheme === '\t';
		if (!tab && /^[\u0000-\u001F\u007F-\u009F]/.test(token.grapheme)) continue;
		const grapheme = tab ? token.grapheme : undisputed(token.grapheme);
		if (grapheme === '') continue;
		const size = tab ? 8 - (cells % 8) : graphemeCells(grapheme);
		if (cells + size > width) {
			if (!wrap) {
				// Cut: the last cell that fits becomes the ellipsis.
				while (cells > width - 1 && pieces.length > 0) cells -= pieces.pop()!.cells;
				pieces.push({text: '…', cells: 1});
				return [finish()];
			}
			rows.push(finish());
			pieces = colour ? [{text: colour, cells: 0}] : [];
			cells = 0;
			if (size > width) continue;
		}
		pieces.push({text: tab ? ' '.repeat(size) : grapheme, cells: size});
		cells += size;
	}
	rows.push(finish());
	return rows;
}

/**
 * A line that is not ours (an action's output) as one row Ink can cut itself: escape sequences other
 * than colours, control characters (a progress bar's \r) and disputed emoji parts gone, tabs as spaces.
 */
export function cleanLine(text: string): string {
	return cellRows(text, Number.POSITIVE_INFINITY, false)[0]!;
}
