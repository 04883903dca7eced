/**
 * Who gets a key press, and what it does there, as a pure function of the screen state (unit-tested
 * in test/ui/input-routing.test.ts); hooks/use-input-routing.ts applies the answer. The wizard, the
 * ports view, the adoption preview and the output overlay read their own keys (their components have
 * their own input handlers), so the App's routing answers only Ctrl-C while they are open: Ctrl-C quits
 * from anywhere (docs/tui.md, "Input").
 */
import type {Key} from 'ink';
import {commandFor, KEYMAP, keyName, type Command, type Keymap} from './keymap.ts';
import {overlayChoice} from './layout.ts';
import {completePalette, parsePalette, recallPalette} from './state/palette.ts';
import type {Intent, UiAction, UiState} from './state/ui-reducer.ts';

/** Who reads the keys, most specific first: an overlay with its own component, a typed line, a question, the help, the panes. */
export type InputMode = 'wizard' | 'ports' | 'adopt' | 'output' | 'filter' | 'palette' | 'confirm' | 'help' | 'normal';

/** A key press: Ink's input, its normalised name (`keyName`), whether Ctrl was held. */
export interface KeyPress {
	input: string;
	name: string;
	ctrl: boolean;
}

/** What a key does: reducer actions in this order, then at most one keymap command or one confirmed intent. */
export interface Route {
	actions: UiAction[];
	command?: {command: Command; argument: string};
	intent?: Intent;
}

const NOTHING: Route = {actions: []};
const CLOSE: UiAction = {type: 'overlay', overlay: null};

/** Applies a key to a one-line text value (a filter, the palette); `null` = not a text key. */
export function editText(value: string, input: string, name: string, ctrl: boolean): string | null {
	if (name === 'backspace') return Array.from(value).slice(0, -1).join('');
	if (ctrl || !input || /[\u0000-\u001F\u007F]/.test(input) || (name.length > 1 && name !== 'space')) return null;
	return value + input;
}

/** Pasted text as one line of a text field: line breaks and tabs become spaces, other control characters go. */
export function pasteText(text: string): string {
	return text
		.replace(/\r\n|[\r\n\t]/g, ' ')
		.replace(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, '')
		.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
}

/** The key one character stands for when several arrive in one read (what Ink would say for it alone). */
function charKey(char: string): KeyPress {
	if (char === '\r' || char === '\n') return {input: char, name: 'enter', ctrl: false};
	if (char === '\t') return {input: char, name: 'tab', ctrl: false};
	if (char === '\u007F' || char === '\b') return {input: char, name: 'backspace', ctrl: false};
	if (char === '\u001B') return {input: '', name: 'escape', ctrl: false};
	const code = char.codePointAt(0)!;
	if (code < 0x20) {
		const letter = String.fromCharCode(code + 96);
		return {input: letter, name: `ctrl+${letter}`, ctrl: true};
	}
	return {input: char, name: char === ' ' ? 'space' : char, ctrl: false};
}

/** Keys whose meta flag comes from a modifier inside their own sequence (alt+up), not from an esc before them. */
const MODIFIED_KEYS = new Set(['up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end']);

/**
 * The key presses in one read from the terminal. Ink hands several characters typed (or sent) together
 * as one `input` ("jj", "goto x\r"); each is a key of its own, routed in order. Escape sequences (arrows)
 * come one per read already, named by `key`. An esc and the key after it in one read is what Ink calls
 * meta+key (a terminal's alt+key is the same bytes): berth binds no alt keys, so it is the two keys,
 * esc first (esc then `g` typed fast, or on a loaded machine, closes and then moves).
 */
export function keyPresses(input: string, key: Key): KeyPress[] {
	const name = keyName(input, key);
	if (key.meta && !MODIFIED_KEYS.has(name)) return [charKey('\u001B'), ...keyPresses(input, {...key, meta: false})];
	const chars = Array.from(input);
	if (chars.length <= 1 || name !== input) return [{input, name, ctrl: key.ctrl}];
	return chars.map(charKey);
}

/** Where a paste goes: into the filter or the palette being typed; elsewhere it is not keys and does nothing. */
export function routePaste(ui: UiState, text: string): Route {
	const line = pasteText(text);
	if (!line) return NOTHING;
	const mode = inputMode(ui);
	if (mode === 'filter' && ui.editing) return {actions: [{type: 'edit-filter', text: ui.filters[ui.editing] + line}]};
	if (mode === 'palette' && ui.overlay?.kind === 'palette') return {actions: [{type: 'overlay', overlay: {kind: 'palette', text: ui.overlay.text + line}}]};
	return NOTHING;
}

/** What routing needs besides the screen state: the `?` overlay's pages, the app references, the palette's history. */
export interface RouteContext {
	/** How many pages the `?` overlay has on this terminal (its paging stops at the last). */
	helpPages?: number;
	/** Every model and app id, for the palette's completion. */
	models?: readonly string[];
	apps?: readonly string[];
	/** The palette's commands run so far, oldest first. */
	history?: readonly string[];
	/** The keys the user has (keys file); the defaults when omitted. */
	keymap?: Keymap;
}

const QUIT: Route = {actions: [], command: {command: 'quit', argument: ''}};

export function inputMode(ui: Pick<UiState, 'editing' | 'overlay'>): InputMode {
	const kind = ui.overlay?.kind;
	if (kind === 'wizard' || kind === 'ports' || kind === 'adopt' || kind === 'output') return kind;
	if (ui.editing) return 'filter';
	if (kind === 'palette' || kind === 'confirm' || kind === 'help') return kind;
	return 'normal';
}

/** Whether the App's routing reads keys other than Ctrl-C (not while an overlay with its own handler is open). */
export function appReadsKeys(ui: Pick<UiState, 'editing' | 'overlay'>): boolean {
	const mode = inputMode(ui);
	return mode !== 'wizard' && mode !== 'ports' && mode !== 'adopt' && mode !== 'output';
}

/**
 * Routes one key press. Ctrl-C quits from anywhere, whoever reads the other keys (the hook asks first
 * while actions run); the rest goes by the keymap of what is on screen, and a typed line takes text.
 */
export function routeKey(ui: UiState, key: KeyPress, context: RouteContext = {}): Route {
	const {overlay} = ui;
	const keymap = context.keymap ?? KEYMAP;
	if (key.name === 'ctrl+c') return QUIT;
	switch (inputMode(ui)) {
		case 'wizard':
		case 'ports':
		case 'adopt':
		case 'output':
			return NOTHING;
		case 'filter': {
			if (!ui.editing) return NOTHING;
			const command = commandFor('prompt', key.name, keymap);
			if (command === 'confirm') return {actions: [{type: 'close-filter', keep: true}]};
			if (command === 'cancel') return {actions: [{type: 'close-filter', keep: false}]};
			const text = editText(ui.filters[ui.editing], key.input, key.name, key.ctrl);
			return text === null ? NOTHING : {actions: [{type: 'edit-filter', text}]};
		}
		case 'palette': {
			if (overlay?.kind !== 'palette') return NOTHING;
			const command = commandFor('prompt', key.name, keymap);
			const edit = (text: string, recall?: number): Route => ({
				actions: [{type: 'overlay', overlay: recall === undefined ? {kind: 'palette', text} : {kind: 'palette', text, recall}}],
			});
			if (command === 'cancel') return {actions: [CLOSE]};
			if (command === 'confirm') {
				const parsed = parsePalette(overlay.text);
				if ('error' in parsed) return {actions: [CLOSE, {type: 'message', message: {text: parsed.error, tone: 'warn'}}]};
				return {actions: [CLOSE, {type: 'remember', text: overlay.text.trim()}], command: parsed};
			}
			if (command === 'complete') return edit(completePalette(overlay.text, context.models ?? [], context.apps ?? []));
			if (command === 'history-prev' || command === 'history-next') {
				const recalled = recallPalette(context.history ?? [], overlay.recall, command === 'history-prev' ? -1 : 1);
				return recalled ? edit(recalled.text, recalled.recall) : NOTHING;
			}
			const text = editText(overlay.text, key.input, key.name, key.ctrl);
			return text === null ? NOTHING : edit(text);
		}
		case 'confirm': {
			if (overlay?.kind !== 'confirm') return NOTHING;
			const command = commandFor('confirm', key.name, keymap);
			if (command === 'confirm') return {actions: [CLOSE], intent: overlay.intent};
			if (command === 'cancel') return {actions: [CLOSE, {type: 'message', message: {text: 'cancelled', tone: 'info'}}]};
			return NOTHING;
		}
		case 'help': {
			if (overlay?.kind !== 'help') return NOTHING;
			const command = commandFor('help', key.name, keymap);
			if (command === 'close') return {actions: [CLOSE]};
			if (command === 'page-down' || command === 'page-up') {
				const page = Math.min(Math.max(0, overlay.page + (command === 'page-down' ? 1 : -1)), (context.helpPages ?? 1) - 1);
				return {actions: [{type: 'overlay', overlay: {kind: 'help', page}}]};
			}
			return NOTHING;
		}
		case 'normal': {
			const command = commandFor(overlayChoice(ui).scope, key.name, keymap);
			// A command clears the last message first: what it says next is about it.
			return command ? {actions: [{type: 'message', message: null}], command: {command, argument: ''}} : NOTHING;
		}
	}
}
