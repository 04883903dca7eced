/**
 * Terminal cells of text that is not ours (log lines): how wide a character is, and rows of at most
 * `width` cells, keeping colours (SGR) and dropping the other escape sequences and control characters
 * that would move the cursor and break the frame. Pure.
 */

const SEGMENTER = new Intl.Segmenter();
/** CSI (colours, cursor moves), OSC (titles, links), and two-byte escapes. */
const ESCAPE = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])/y;
const SGR = /^\u001B\[[0-9;]*m$/;
const RESET = /^\u001B\[0*m$/;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

/** East Asian wide and fullwidth ranges (the common ones: CJK, Hangul, kana, fullwidth forms, emoji blocks). */
function wide(code: number): boolean {
	return (
		(code >= 0x1100 && code <= 0x115f) ||
		(code >= 0x2e80 && code <= 0x303e) ||
		(code >= 0x3041 && code <= 0x33ff) ||
		(code >= 0x3400 && code <= 0x4dbf) ||
		(code >= 0x4e00 && code <= 0x9fff) ||
		(code >= 0xa000 && code <= 0xa4cf) ||
		(code >= 0xac00 && code <= 0xd7a3) ||
		(code >= 0xf900 && code <= 0xfaff) ||
		(code >= 0xfe30 && code <= 0xfe4f) ||
		(code >= 0xff00 && code <= 0xff60) ||
		(code >= 0xffe0 && code <= 0xffe6) ||
		(code >= 0x1f300 && code <= 0x1f64f) ||
		(code >= 0x1f900 && code <= 0x1f9ff) ||
		(code >= 0x20000 && code <= 0x3fffd)
	);
}

/** Cells of one grapheme: 0 (controls, combining marks), 1, or 2 (wide characters, emoji). */
export function graphemeCells(grapheme: string): number {
	const code = grapheme.codePointAt(0) ?? 0;
	if (code < 0x20 || (code >= 0x7f && code < 0xa0) || ZERO_WIDTH.test(grapheme)) return 0;
	if (wide(code) || (EMOJI.test(grapheme) && (code >= 0x1f000 || grapheme.includes('\uFE0F')))) return 2;
	return 1;
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
		const size = tab ? 8 - (cells % 8) : graphemeCells(token.grapheme);
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
		pieces.push({text: tab ? ' '.repeat(size) : token.grapheme, cells: size});
		cells += size;
	}
	rows.push(finish());
	return rows;
}
