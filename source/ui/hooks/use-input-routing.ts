import {useInput, usePaste} from 'ink';
import {useRef, type Dispatch} from 'react';
import {helpLayout} from '../help-layout.ts';
import {keyPresses, routeKey, routePaste, type Route} from '../input-routing.ts';
import {KEYMAP, keyFor, type Command, type Keymap} from '../keymap.ts';
import type {Intent, UiAction, UiState} from '../state/ui-reducer.ts';

export interface InputRoutingOptions {
	/**
	 * The screen state with every action dispatched so far applied, even those not drawn yet: keys that
	 * arrive faster than the screen redraws each see what the one before did ("goto x" loses no letter).
	 */
	latest(): UiState;
	dispatch: Dispatch<UiAction>;
	/** Runs a keymap command (commands.ts). */
	execute(command: Command, argument: string): void;
	/** Runs what a question was answered yes to. */
	runIntent(intent: Intent): void;
	/** The area the `?` overlay is drawn in, for its number of pages. */
	helpArea: {width: number; height: number};
	/** Every model and app id (the palette completes them). */
	models: readonly string[];
	apps: readonly string[];
	/** Compose actions running now: quitting asks once first. */
	running: number;
	keymap: Keymap;
}

/** "2 actions running: …": what the first quit says while actions run (docs/tui.md, Input). */
export function quitWarning(running: number, keymap: Keymap = KEYMAP): string {
	const quit = keyFor('global', 'quit', keymap);
	const keys = quit === 'ctrl+c' ? 'Ctrl-C' : `${quit} or Ctrl-C`;
	return `${running} action${running === 1 ? '' : 's'} running: press ${keys} again to quit (they finish on their own)`;
}

/**
 * The App's key handler: splits each read into key presses, routes each (input-routing.ts) and applies
 * the answer. It is always on, for Ctrl-C; overlays with their own handlers get no other key from it.
 * A bracketed paste goes whole into the text field being typed, never as keys.
 */
export function useInputRouting({latest, dispatch, execute, runIntent, helpArea, models, apps, running, keymap}: InputRoutingOptions): void {
	// The first quit while actions run only warns; the next key decides (a second quit quits).
	const warned = useRef(false);
	const apply = (route: Route) => {
		for (const action of route.actions) dispatch(action);
		if (route.command?.command === 'quit' && running > 0 && !warned.current) {
			warned.current = true;
			dispatch({type: 'message', message: {text: quitWarning(running, keymap), tone: 'warn'}});
			return;
		}
		warned.current = false;
		if (route.command) execute(route.command.command, route.command.argument);
		if (route.intent) runIntent(route.intent);
	};
	useInput((input, key) => {
		for (const press of keyPresses(input, key)) {
			const ui = latest();
			const helpPages = ui.overlay?.kind === 'help' ? helpLayout(helpArea.width, helpArea.height, 0, keymap).pages : 1;
			apply(routeKey(ui, press, {helpPages, models, apps, history: ui.history, keymap}));
		}
	});
	usePaste(text => apply(routePaste(latest(), text)));
}
