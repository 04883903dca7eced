/** The one render helper of the UI tests: the App with fake services, no colours and a fixed size. */
import {render} from 'ink-testing-library';
import {App, type AppProps} from '../../source/ui/components/App.tsx';
import {ServicesProvider} from '../../source/ui/contexts/services-context.tsx';
import {ThemeProvider} from '../../source/ui/contexts/theme-context.tsx';
import {noColorTheme} from '../../source/ui/theme/theme.ts';
import type {BerthServices} from '../../source/ui/services.ts';
import type {ReactElement} from 'react';
import {KEYMAP} from '../../source/ui/keymap.ts';
import {KeymapProvider, type UserKeys} from '../../source/ui/contexts/keymap-context.tsx';

export const tick = (ms = 20) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Renders `element` in the providers. ink-testing-library's terminal is always 100 columns wide (Ink
 * lays out and cuts text to it): `columns` makes it that wide instead, as a real terminal would be.
 */
export function renderWithProviders(element: ReactElement, services: BerthServices, columns?: number, keys: UserKeys = {keymap: KEYMAP, problem: null}) {
	const tree = (
		<ThemeProvider theme={noColorTheme}>
			<KeymapProvider keys={keys}>
				<ServicesProvider services={services}>{element}</ServicesProvider>
			</KeymapProvider>
		</ThemeProvider>
	);
	const result = render(tree);
	if (columns !== undefined && columns !== result.stdout.columns) {
		Object.defineProperty(result.stdout, 'columns', {value: columns});
		result.rerender(tree);
	}
	return result;
}

/** `keys`: the user's keys (a keys file applied), the defaults when omitted. */
export function renderApp(services: BerthServices, props: AppProps = {}, keys?: UserKeys) {
	const size = props.size ?? {columns: 100, rows: 24};
	const result = renderWithProviders(<App logFlushMs={10} clock={() => 60_000} {...props} size={size} />, services, size.columns, keys);
	const frame = () => result.lastFrame() ?? '';
	/** Types keys one at a time with a tick between them (ink-testing-library can lose a second key). */
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			result.stdin.write(key);
			await tick();
		}
	};
	/** Waits until the frame contains `text` (or fails after `ms`). */
	const waitFor = async (text: string | RegExp, ms = 5000) => {
		const until = Date.now() + ms;
		while (Date.now() < until) {
			const current = frame();
			if (typeof text === 'string' ? current.includes(text) : text.test(current)) {
				// The frame is drawn before the effects that subscribe to input run: let them.
				await tick();
				return current;
			}
			await tick(10);
		}
		throw new Error(`frame never showed ${String(text)}; last frame:\n${frame()}`);
	};
	return {...result, frame, press, waitFor};
}

export const KEYS = {up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', enter: '\r', escape: '\u001B', tab: '\t', backspace: '\u007F'};
