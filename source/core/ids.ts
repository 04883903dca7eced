import path from 'node:path';
import {UsageError} from './errors.ts';

/** A model id: `[a-z0-9][a-z0-9._-]*`, at most 128 characters, never `.`/`..`, never a path separator. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const MODEL_ID_MAX = 128;
const APP_FOLDER_PATTERN = /^app([1-9][0-9]*)$/;

/** An app: the pair (model, number); its folder is `<root>/<model>/app<number>`. */
export interface AppRef {
	readonly model: string;
	readonly number: number;
}

const QUOTE_MAX = 80;

/** What JSON.stringify leaves as it is but a terminal acts on: DEL, C1 controls (CSI), line and bidi controls. */
const TERMINAL_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * The user's text as a message quotes it: escaped (no control character reaches the terminal) and at
 * most 80 characters of it, so a huge argument is not echoed back whole.
 */
export function quoteInput(text: string): string {
	const quote = (part: string) => JSON.stringify(part).replace(TERMINAL_UNSAFE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return text.length <= QUOTE_MAX ? quote(text) : `${quote(text.slice(0, QUOTE_MAX))}... (${text.length} characters)`;
}

/** Why `id` is not a valid model id, or `null` when it is. */
export function modelIdProblem(id: string): string | null {
	if (id.length === 0) return 'is empty';
	if (id.length > MODEL_ID_MAX) return `is ${id.length} characters long (at most ${MODEL_ID_MAX})`;
	if (id === '.' || id === '..') return 'is a relative path';
	if (id.includes('/') || id.includes('\\')) return 'contains a path separator';
	if (id.includes('..')) return 'contains ".."';
	if (!MODEL_ID_PATTERN.test(id)) {
		return 'must be lowercase letters, digits, ".", "_" or "-", starting with a letter or digit';
	}
	return null;
}

export function parseModelId(id: string): string {
	const problem = modelIdProblem(id);
	if (problem) {
		throw new UsageError(
			`invalid model id ${quoteInput(id)}: it ${problem}. A model id looks like "anthropic_claude-3.7-sonnet": [a-z0-9][a-z0-9._-]*, at most ${MODEL_ID_MAX} characters.`,
			{code: 'bad-model'},
		);
	}
	return id;
}

export function parseAppNumber(value: string): number {
	if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
		throw new UsageError(`invalid app number ${quoteInput(value)}: an app number is a positive integer (1, 2, 3, ...) as in "app3".`, {code: 'bad-app'});
	}
	return Number(value);
}

/** The number of an `app<N>` folder name, or `null` when the name is not one. */
export function appFolderNumber(name: string): number | null {
	const match = APP_FOLDER_PATTERN.exec(name);
	if (!match) return null;
	const n = Number(match[1]);
	return Number.isSafeInteger(n) ? n : null;
}

/** Parses `<model>/app<N>` as given on the command line. */
export function parseAppRef(text: string): AppRef {
	const slash = text.lastIndexOf('/');
	if (slash <= 0) {
		throw new UsageError(`invalid app ${quoteInput(text)}: write it as <model>/app<N>, for example "openai_gpt-4o/app3".`, {code: 'bad-app'});
	}
	const model = parseModelId(text.slice(0, slash));
	const tail = text.slice(slash + 1);
	if (!tail.startsWith('app')) {
		throw new UsageError(`invalid app ${quoteInput(text)}: the part after "/" must be app<N>, for example "${model}/app1".`, {code: 'bad-app'});
	}
	return {model, number: parseAppNumber(tail.slice(3))};
}

export function formatAppRef(app: AppRef): string {
	return `${app.model}/app${app.number}`;
}

export function appPath(root: string, app: AppRef): string {
	return path.join(root, app.model, `app${app.number}`);
}
