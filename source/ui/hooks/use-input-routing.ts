import {useInput} from 'ink';
import type {Dispatch} from 'react';
import {helpLayout} from '../help-layout.ts';
import {appReadsKeys, routeKey} from '../input-routing.ts';
import {keyName, type Command} from '../keymap.ts';
import type {Intent, UiAction, UiState} from '../state/ui-reducer.ts';

export interface InputRoutingOptions {
	ui: UiState;
	dispatch: Dispatch<UiAction>;
	/** Runs a keymap command (commands.ts). */
	execute(command: Command, argument: string): void;
	/** Runs what a question was answered yes to. */
	runIntent(intent: Intent): void;
	/** The area the `?` overlay is drawn in, for its number of pages. */
	helpArea: {width: number; height: number};
}

/** The App's key handler: routes each key press (input-routing.ts) and applies the answer. */
export function useInputRouting({ui, dispatch, execute, runIntent, helpArea}: InputRoutingOptions): void {
	useInput(
		(input, key) => {
			const helpPages = ui.overlay?.kind === 'help' ? helpLayout(helpArea.width, helpArea.height, 0).pages : 1;
			const route = routeKey(ui, {input, name: keyName(input, key), ctrl: key.ctrl}, helpPages);
			for (const action of route.actions) dispatch(action);
			if (route.command) execute(route.command.command, route.command.argument);
			if (route.intent) runIntent(route.intent);
		},
		{isActive: appReadsKeys(ui)},
	);
}
