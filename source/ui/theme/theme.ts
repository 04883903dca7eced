/**
 * Semantic colour tokens. Components ask for `theme.status.error`, never for a colour; the no-colour
 * theme (NO_COLOR, --no-color, tests) maps every token to nothing, so frames hold plain text.
 */
import type {Tone} from '../format.ts';

export interface Theme {
	name: string;
	text: {primary: string | undefined; muted: string | undefined; accent: string | undefined};
	status: Record<Tone, string | undefined>;
	border: {focused: string | undefined; idle: string | undefined};
	/** Inverse video for the selected row of the focused pane (off in the no-colour theme). */
	inverseSelection: boolean;
}

export const defaultTheme: Theme = {
	name: 'default',
	text: {primary: undefined, muted: 'gray', accent: 'cyan'},
	status: {ok: 'green', warn: 'yellow', error: 'red', muted: 'gray', info: 'cyan'},
	border: {focused: 'cyan', idle: 'gray'},
	inverseSelection: true,
};

export const noColorTheme: Theme = {
	name: 'no-color',
	text: {primary: undefined, muted: undefined, accent: undefined},
	status: {ok: undefined, warn: undefined, error: undefined, muted: undefined, info: undefined},
	border: {focused: undefined, idle: undefined},
	inverseSelection: false,
};

/** The theme for an environment: no colour when NO_COLOR is set (any value) or TERM is dumb. */
export function themeFor(env: NodeJS.ProcessEnv, noColor = false): Theme {
	if (noColor || env['NO_COLOR'] !== undefined || env['TERM'] === 'dumb') return noColorTheme;
	return defaultTheme;
}
