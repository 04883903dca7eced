import {appendFileSync} from 'node:fs';

/**
 * BERTH_STARTUP_TRACE=<file>: where start-up time goes. Each mark appends "<ms since the process
 * started> <epoch ms> <label>" to the file (bench/tui.ts prints them); without the variable a mark
 * costs nothing.
 */
const file = process.env['BERTH_STARTUP_TRACE'];

export function traceStartup(label: string): void {
	if (!file) return;
	const now = performance.now();
	appendFileSync(file, `${now.toFixed(1)} ${(performance.timeOrigin + now).toFixed(1)} ${label}\n`);
}
