/**
 * Who gets a key press, and what it does there, as a pure function of the screen state (unit-tested
 * in test/ui/input-routing.test.ts); hooks/use-input-routing.ts applies the answer. The wizard, the
 * ports view and the adoption preview read their own keys (their components have their own input handlers), so the App's
 * routing answers nothing while they are open.
 */
import {commandFor, type Command} from './keymap.ts';
import {overlayChoice} from './layout.ts';
import {parsePalette} from './state/palette.ts';
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
	if (name === 'backspace') return value.slice(0, -1);
	if (ctrl || !input || /[\u0000-\u001F]/.test(input) || (name.length > 1 && name !== 'space')) return null;
	return value + input;
}

export function inputMode(ui: Pick<UiState, 'editing' | 'overlay'>): InputMode {
	const kind = ui.overlay?.kind;
	if (kind === 'wizard' || kind === 'ports' || kind === 'adopt' || kind === 'output') return kind;
	if (ui.editing) return 'filter';
	if (kind === 'palette' || kind === 'confirm' || kind === 'help') return kind;
	return 'normal';
}

/** Whether the App's own input handler listens (not while an overlay with its own handler is open). */
export function appReadsKeys(ui: Pick<UiState, 'editing' | 'overlay'>): boolean {
	const mode = inputMode(ui);
	return mode !== 'wizard' && mode !== 'ports' && mode !== 'adopt' && mode !== 'output';
}

/**
 * Routes one key press. `helpPages` is how many pages the `?` overlay has on this terminal (its
 * paging stops at the last). Ctrl-C quits only where the keymap says so (the panes): a typed line
 * and the questions ignore it, as they ignore every key they do not know.
 */
export function routeKey(ui: UiState, key: KeyPress, helpPages = 1): Route {
	const {overlay} = ui;
	switch (inputMode(ui)) {
		case 'wizard':
		case 'ports':
		case 'adopt':
		case 'output':
			return NOTHING;
		case 'filter': {
			if (!ui.editing) return NOTHING;
			if (key.name === 'enter') return {actions: [{type: 'close-filter', keep: true}]};
			if (key.name === 'escape') return {actions: [{type: 'close-filter', keep: false}]};
			const text = editText(ui.filters[ui.editing], key.input, key.name, key.ctrl);
			return text === null ? NOTHING : {actions: [{type: 'edit-filter', text}]};
		}
		case 'palette': {
			if (overlay?.kind !== 'palette') return NOTHING;
			if (key.name === 'escape') return {actions: [CLOSE]};
			if (key.name === 'enter') {
				const parsed = parsePalette(overlay.text);
				if ('error' in parsed) return {actions: [CLOSE, {type: 'message', message: {text: parsed.error, tone: 'warn'}}]};
				return {actions: [CLOSE], command: parsed};
			}
			const text = editText(overlay.text, key.input, key.name, key.ctrl);
			return text === null ? NOTHING : {actions: [{type: 'overlay', overlay: {kind: 'palette', text}}]};
		}
		case 'confirm': {
			if (overlay?.kind !== 'confirm') return NOTHING;
			const command = commandFor('confirm', key.name);
			if (command === 'confirm') return {actions: [CLOSE], intent: overlay.intent};
			if (command === 'cancel') return {actions: [CLOSE, {type: 'message', message: {text: 'cancelled', tone: 'info'}}]};
			return NOTHING;
		}
		case 'help': {
			if (overlay?.kind !== 'help') return NOTHING;
			const command = commandFor('help', key.name);
			if (command === 'close') return {actions: [CLOSE]};
			if (command === 'page-down' || command === 'page-up') {
				const page = Math.min(Math.max(0, overlay.page + (command === 'page-down' ? 1 : -1)), helpPages - 1);
				return {actions: [{type: 'overlay', overlay: {kind: 'help', page}}]};
			}
			return NOTHING;
		}
		case 'normal': {
			const command = commandFor(overlayChoice(ui).scope, key.name);
			// A command clears the last message first: what it says next is about it.
			return command ? {actions: [{type: 'message', message: null}], command: {command, argument: ''}} : NOTHING;
		}
	}
}
