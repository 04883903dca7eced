/** The command palette (`:`): parses what was typed into a keymap command. Pure. */
import type {Command} from '../keymap.ts';

export type PaletteResult = {command: Command; argument: string} | {error: string};

const WORDS: Record<string, Command> = {
	up: 'start',
	start: 'start',
	stop: 'stop',
	restart: 'restart',
	down: 'compose-down',
	build: 'rebuild',
	rebuild: 'rebuild',
	logs: 'follow-logs',
	open: 'open',
	ports: 'ports-view',
	adopt: 'adopt',
	new: 'new-app',
	help: 'help',
	quit: 'quit',
	q: 'quit',
	filter: 'filter',
	goto: 'focus',
	reload: 'reload',
};

/** The palette's words, for its prompt and for docs. */
export const PALETTE_WORDS = Object.keys(WORDS);

export function parsePalette(text: string): PaletteResult {
	const [word = '', ...rest] = text.trim().split(/\s+/);
	const command = WORDS[word.toLowerCase()];
	if (!command)
		return {
			error: word ? `unknown command "${word}": try ${PALETTE_WORDS.filter(w => w !== 'q').join(', ')}` : 'type a command, e.g. "up" or "goto <model>/app<N>"',
		};
	const argument = rest.join(' ');
	if (command === 'focus' && !argument) return {error: 'goto needs <model> or <model>/app<N>'};
	return {command, argument};
}

/** The longest text every one of `words` starts with. */
function commonPrefix(words: readonly string[]): string {
	let prefix = words[0] ?? '';
	for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
	return prefix;
}

/**
 * `tab` in the palette: completes what is typed from `candidates` (sorted). One match: it. Several: as far
 * as they agree; then, when `cycle`, the first, and a candidate shown already gives way to the next.
 */
function completeFrom(typed: string, candidates: readonly string[], cycle: boolean): string {
	const exact = candidates.indexOf(typed);
	if (exact !== -1 && cycle) return candidates[(exact + 1) % candidates.length]!;
	const matches = candidates.filter(c => c.startsWith(typed));
	if (matches.length === 0) return typed;
	const prefix = commonPrefix(matches);
	if (prefix.length > typed.length || matches.length === 1) return prefix;
	return cycle ? matches[0]! : typed;
}

/**
 * Completes the palette's text: the command word (`go` -> `goto `), else the app reference of `goto`
 * (`goto mod` -> `goto model-001/` when one model matches, `goto model-001/a` -> its apps in turn).
 */
export function completePalette(text: string, models: readonly string[], apps: readonly string[]): string {
	const match = /^(\s*)(\S*)(\s+)?(.*)$/.exec(text)!;
	const [, lead = '', word = '', space, rest = ''] = match;
	if (!space) {
		const words = PALETTE_WORDS.filter(w => w !== 'q').sort();
		const completed = completeFrom(word.toLowerCase(), words, false);
		return `${lead}${completed}${words.includes(completed) ? ' ' : ''}`;
	}
	if (WORDS[word.toLowerCase()] !== 'focus') return text;
	const argument = rest.trimEnd();
	const candidates = argument.includes('/') ? apps.filter(a => a.startsWith(argument.slice(0, argument.indexOf('/') + 1))) : models.map(m => `${m}/`);
	return `${lead}${word}${space}${completeFrom(argument, [...candidates].sort(), true)}`;
}

/** `↑` / `↓` in the palette: the history entry `by` steps older / newer than `recall` (none shown = past the newest). */
export function recallPalette(history: readonly string[], recall: number | undefined, by: -1 | 1): {text: string; recall?: number} | null {
	if (history.length === 0) return null;
	const at = recall ?? history.length;
	const next = Math.min(Math.max(0, at + by), history.length);
	if (next === at) return null;
	return next === history.length ? {text: ''} : {text: history[next]!, recall: next};
}
