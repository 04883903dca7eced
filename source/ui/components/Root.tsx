import {useApp} from 'ink';
import {useEffect} from 'react';
import {App} from './App.tsx';
import {ServicesProvider} from '../contexts/services-context.tsx';
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
export function Root({services, theme, terminal}: {services: BerthServices; theme: Theme; terminal?: TerminalHandle}) {
	return (
		<ThemeProvider theme={theme}>
			<ServicesProvider services={services}>
				{terminal ? <ExposeSuspend handle={terminal} /> : null}
				<App />
			</ServicesProvider>
		</ThemeProvider>
	);
}
