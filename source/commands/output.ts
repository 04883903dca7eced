import type {ColorMode} from '../core/color.ts';

/** Terminal output for the non-interactive commands, styled as the config's `color` (core/color.ts) says. */
export interface Output {
	readonly json: boolean;
	readonly color: ColorMode;
	/** A line on stdout (suppressed under --json, where only the JSON document goes to stdout). */
	line(text?: string): void;
	/** The one JSON document of a --json run. */
	data(value: unknown): void;
	/** A warning or progress line on stderr. */
	warn(text: string): void;
	error(text: string): void;
	/** `text` in a style, for line/warn/error only (which turn the style into escape sequences, and escape any other). */
	paint(style: Style, text: string): string;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/** The styles that are text attributes, not colours: kept in `mono`. */
const ATTRIBUTES: ReadonlySet<Style> = new Set(['bold', 'dim']);

const CODES: Record<Style, [number, number]> = {
	bold: [1, 22],
	dim: [2, 22],
	red: [31, 39],
	green: [32, 39],
	yellow: [33, 39],
	cyan: [36, 39],
};

export interface Stream {
	write(chunk: string): unknown;
	isTTY?: boolean;
}

/**
 * What a terminal acts on instead of showing: C0 controls but tab and newline (ESC starts escape
 * sequences: set the title, move the cursor, rewrite a line; CR returns over a line), DEL, C1 controls
 * (U+009B is CSI), and the line and bidi controls that reorder what is shown.
 */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** The same but those JSON.stringify escapes itself (C0): what may remain raw inside a JSON string. */
const JSON_RAW_CONTROL = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const hex = (char: string, digits: number) => char.charCodeAt(0).toString(16).padStart(digits, '0');

/**
 * `text` with every terminal control character shown escaped (`\x1b`, `\r`, `\u202e`) instead of acted
 * on: berth prints text that holds what users, plugins, templates and containers wrote (errors,
 * warnings, lint findings, logs), and that text must never drive the terminal. Newline and tab stay.
 */
export function terminalSafe(text: string): string {
	return text.replace(TERMINAL_CONTROL, char => (char === '\r' ? '\\r' : char.charCodeAt(0) <= 0xff ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`));
}

// paint() marks its styles with private-use characters; only Output turns them into escape sequences,
// after terminalSafe ran on the whole text, so berth's own colours survive and nothing else does.
const MARK_START = '\uE000';
const MARK_END = '\uE001';
// Parameters of an SGR sequence (colour, bold): digits and separators only, so a mark can do nothing else.
const MARK = new RegExp(`${MARK_START}([0-9;:]{0,32})${MARK_END}`, 'g');
const SGR = /\u001B\[([0-9;:]{0,32})m/g;

/**
 * `text` from a container (a log line) with its colours kept: SGR sequences become marks that Output
 * turns back into colour when colour is on and drops when it is off; every other control is escaped
 * as usual (a log line can colour itself, never set the title or move the cursor).
 */
export function keepColours(text: string): string {
	return text.replace(SGR, (_whole, params: string) => `${MARK_START}${params}${MARK_END}`);
}

/**
 * The escape sequence for SGR `params` in `mode`: all of it in `color`, its attributes only in `mono`
 * (a container's `1;31` stays bold), nothing in `plain`.
 */
function sgr(mode: ColorMode, params: string): string {
	if (mode === 'plain') return '';
	if (mode === 'color') return `\u001B[${params}m`;
	const kept = withoutColour(params);
	return kept === null ? '' : `\u001B[${kept}m`;
}

/** SGR parameters without those that set a colour (8, 16, 256 and true colour; fore-, background, underline); null when none is left. */
export function withoutColour(params: string): string | null {
	const list = params.split(';');
	const kept: string[] = [];
	for (let i = 0; i < list.length; i++) {
		const param = list[i]!;
		const code = Number(param.split(':')[0]);
		if (code === 38 || code === 48 || code === 58) {
			// 38;5;N and 38;2;R;G;B carry their arguments as parameters of their own (38:5:N does not).
			if (!param.includes(':')) i += list[i + 1] === '5' ? 2 : list[i + 1] === '2' ? 4 : 0;
			continue;
		}
		if ((code >= 30 && code <= 49) || (code >= 90 && code <= 107) || code === 59) continue;
		kept.push(param);
	}
	return kept.length === 0 ? null : kept.join(';');
}

export function createOutput(options: {json: boolean; color: ColorMode; stdout: Stream; stderr: Stream}): Output {
	const {json, color, stdout, stderr} = options;
	const mark = (code: number) => `${MARK_START}${code}${MARK_END}`;
	const shows = (style: Style) => color === 'color' || (color === 'mono' && ATTRIBUTES.has(style));
	const paint = (style: Style, text: string) => (shows(style) ? `${mark(CODES[style][0])}${text}${mark(CODES[style][1])}` : text);
	// The one way text reaches the terminal (but the JSON document): controls escaped, then berth's styles applied.
	const show = (text: string) => terminalSafe(text).replace(MARK, (_whole, params: string) => sgr(color, params));
	return {
		json,
		color,
		line(text = '') {
			if (!json) stdout.write(show(text) + '\n');
		},
		data(value) {
			// JSON escapes C0 controls itself; DEL, C1 and bidi controls it leaves raw: escaped too (the same JSON value).
			stdout.write(JSON.stringify(value, null, 2).replace(JSON_RAW_CONTROL, char => `\\u${hex(char, 4)}`) + '\n');
		},
		warn(text) {
			stderr.write(show(`${paint('yellow', 'warning:')} ${text}`) + '\n');
		},
		error(text) {
			stderr.write(show(`${paint('red', 'error:')} ${text}`) + '\n');
		},
		paint,
	};
}

/** Pads cells into aligned columns (ANSI-free text). */
export function table(rows: readonly (readonly string[])[], gap = 2): string[] {
	const widths: number[] = [];
	for (const row of rows) {
		for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
	}
	return rows.map(row =>
		row
			.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + gap)))
			.join('')
			.trimEnd(),
	);
}
