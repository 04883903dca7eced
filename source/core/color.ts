/**
 * How berth styles what it shows: the one rule, used by the command line's output and by the terminal
 * UI's theme alike.
 *
 * - `color`: colours and text attributes (bold, dim, inverse).
 * - `mono`: text attributes only. `--no-color`, `NO_COLOR` and `FORCE_COLOR=0` take the colour away, not
 *   bold or inverse video: no-color.org asks for no colour, and the terminal UI shows focus and selection
 *   with bold and inverse, which stay readable for someone who turned colour off.
 * - `plain`: no escape sequence at all: the output is not a terminal (a pipe, a file) or a terminal that
 *   takes none (`TERM=dumb`), unless `FORCE_COLOR` asks for them.
 */
export type ColorMode = 'color' | 'mono' | 'plain';

export interface ColorInputs {
	/** `--no-color` was given. */
	noColorFlag: boolean;
	env: NodeJS.ProcessEnv;
	/** The stream berth styles is a terminal. */
	isTTY: boolean;
}

/**
 * `FORCE_COLOR`: unset or empty says nothing (as no-color.org reads an empty `NO_COLOR`); `0` and `false`
 * turn colour off (as Node and chalk read them); any other value forces styling, even into a pipe.
 */
function forceColor(env: NodeJS.ProcessEnv): boolean | undefined {
	const value = env['FORCE_COLOR'];
	if (value === undefined || value === '') return undefined;
	return value !== '0' && value !== 'false';
}

export function colorMode({noColorFlag, env, isTTY}: ColorInputs): ColorMode {
	const forced = forceColor(env);
	const styles = forced === true || (isTTY && env['TERM'] !== 'dumb');
	if (!styles) return 'plain';
	// Only a non-empty NO_COLOR counts (no-color.org); it and the flag win over FORCE_COLOR.
	const noColor = noColorFlag || Boolean(env['NO_COLOR']) || forced === false;
	return noColor ? 'mono' : 'color';
}
