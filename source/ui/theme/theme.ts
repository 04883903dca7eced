/**
 * Semantic colour tokens. Components ask for `theme.status.error`, never for a colour; the no-colour
 * theme (NO_COLOR, --no-color, tests) maps every token to nothing, so frames hold no colour.
 */
import type {ColorMode} from '../../core/color.ts';
import type {Tone} from '../format.ts';

export interface Theme {
	name: string;
	text: {primary: string | undefined; muted: string | undefined; accent: string | undefined};
	status: Record<Tone, string | undefined>;
	border: {focused: string | undefined; idle: string | undefined};
}

export const defaultTheme: Theme = {
	name: 'default',
	text: {primary: undefined, muted: 'gray', accent: 'cyan'},
	status: {ok: 'green', warn: 'yellow', error: 'red', muted: 'gray', info: 'cyan'},
	border: {focused: 'cyan', idle: 'gray'},
};

export const noColorTheme: Theme = {
	name: 'no-color',
	text: {primary: undefined, muted: undefined, accent: undefined},
	status: {ok: undefined, warn: undefined, error: undefined, muted: undefined, info: undefined},
	border: {focused: undefined, idle: undefined},
};

/**
 * The theme for a colour mode (decided by core's `colorMode`, as for the command line). In `plain`
 * no attribute reaches the terminal either: `applyColorMode` turns Ink's styling off.
 */
export function themeFor(mode: ColorMode): Theme {
	return mode === 'color' ? defaultTheme : noColorTheme;
}
