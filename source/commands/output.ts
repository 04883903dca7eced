/** Terminal output for the non-interactive commands: colour only on a TTY and never under NO_COLOR. */
export interface Output {
	readonly json: boolean;
	readonly color: boolean;
	/** A line on stdout (suppressed under --json, where only the JSON document goes to stdout). */
	line(text?: string): void;
	/** The one JSON document of a --json run. */
	data(value: unknown): void;
	/** A warning or progress line on stderr. */
	warn(text: string): void;
	error(text: string): void;
	paint(style: Style, text: string): string;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

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

export function wantsColor(env: NodeJS.ProcessEnv, stream: Stream, flag?: boolean): boolean {
	if (flag === false) return false;
	if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
	if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
	return Boolean(stream.isTTY) && env['TERM'] !== 'dumb';
}

export function createOutput(options: {json: boolean; color: boolean; stdout: Stream; stderr: Stream}): Output {
	const {json, color, stdout, stderr} = options;
	const paint = (style: Style, text: string) => (color ? `\u001B[${CODES[style][0]}m${text}\u001B[${CODES[style][1]}m` : text);
	return {
		json,
		color,
		line(text = '') {
			if (!json) stdout.write(text + '\n');
		},
		data(value) {
			stdout.write(JSON.stringify(value, null, 2) + '\n');
		},
		warn(text) {
			stderr.write(`${paint('yellow', 'warning:')} ${text}\n`);
		},
		error(text) {
			stderr.write(`${paint('red', 'error:')} ${text}\n`);
		},
		paint,
	};
}

/** Pads cells into aligned columns (ANSI-free text). */
export function table(rows: readonly (readonly string[])[], gap = 2): string[] {
	const widths: number[] = [];
	for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
	return rows.map(row => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + gap))).join('').trimEnd());
}
