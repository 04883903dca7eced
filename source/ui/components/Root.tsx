import {useApp} from 'ink';
import {useEffect} from 'react';
import {App} from './App.tsx';
import {KeymapProvider, type UserKeys} from '../contexts/keymap-context.tsx';
import {ServicesProvider} from '../contexts/services-context.tsx';
import {KEYMAP} from '../keymap.ts';
import {ThemeProvider} from '../contexts/theme-context.tsx';
import type {BerthServices} from '../services.ts';
import type {Theme} from '../theme/theme.ts';

/**
 * Where `runTui` finds Ink's `suspendTerminal`, which only the rendered tree can reach: it hands the
 * terminal to a child (a shell) and takes it back with a full redraw.
 */
export interface TerminalHandle {
	suspend: ((run: () => Promise<void>) => Promise<void>) | null;
}

function ExposeSuspend({handle}: {handle: TerminalHandle}) {
	const {suspendTerminal} = useApp();
	useEffect(() => {
		handle.suspend = run => suspendTerminal(run);
		return () => {
			handle.suspend = null;
		};
	}, [handle, suspendTerminal]);
	return null;
}

/** The App inside its providers: what `runTui` renders. */
export function Root({
	services,
	theme,
	terminal,
	keys = {keymap: KEYMAP, problem: null},
}: {
	services: BerthServices;
	theme: Theme;
	terminal?: TerminalHandle;
	/** The user's keys (keys file), the defaults when omitted. */
	keys?: UserKeys;
}) {
	return (
		<ThemeProvider theme={theme}>
			<KeymapProvider keys={keys}>
				<ServicesProvider services={services}>
					{terminal ? <ExposeSuspend handle={terminal} /> : null}
					<App />
				</ServicesProvider>
			</KeymapProvider>
		</ThemeProvider>
	);
}

/** The tree `runTui` renders (it has no JSX of its own: React loads only once it is needed). */
export function rootElement(props: Parameters<typeof Root>[0]) {
	return <Root {...props} />;
}
