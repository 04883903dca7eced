import {App} from './App.tsx';
import {ServicesProvider} from '../contexts/services-context.tsx';
import {ThemeProvider} from '../contexts/theme-context.tsx';
import type {BerthServices} from '../services.ts';
import type {Theme} from '../theme/theme.ts';

/** The App inside its providers: what `runTui` renders. */
export function Root({services, theme}: {services: BerthServices; theme: Theme}) {
	return (
		<ThemeProvider theme={theme}>
			<ServicesProvider services={services}>
				<App />
			</ServicesProvider>
		</ThemeProvider>
	);
}
