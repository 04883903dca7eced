import chalk from 'chalk';
import type {ColorMode} from '../../core/color.ts';

/**
 * Makes Ink style text as `mode` says. Ink writes colours and attributes through chalk, which decides on
 * its own when loaded (it reads `--no-color` from the command line but not NO_COLOR, and gives up on
 * styling under CI): left alone, `--no-color` took bold and inverse out of the UI while NO_COLOR kept
 * them. berth's decision (core/color.ts) wins: none in `plain`, at least the basic level otherwise (in
 * `mono` the theme holds no colours, so only attributes are written). Returns a function that puts
 * chalk's level back.
 */
export function applyColorMode(mode: ColorMode): () => void {
	const before = chalk.level;
	chalk.level = mode === 'plain' ? 0 : (Math.max(chalk.level, 1) as 1 | 2 | 3);
	return () => {
		chalk.level = before;
	};
}
