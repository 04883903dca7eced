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
