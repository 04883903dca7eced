import module from 'node:module';
import {BerthError, errorMessage} from '../core/errors.ts';
import {themeFor} from './theme/theme.ts';

export interface TuiOptions {
	root: string;
	storeFile: string;
	pluginDirs: string[];
	env: NodeJS.ProcessEnv;
	cwd: string;
}

/** Leaves the alternate screen and shows the cursor: safe to write more than once. */
const RESTORE = '\u001B[?1049l\u001B[?25h';

/**
 * Opens the full-screen terminal UI (alternate screen) and resolves with the exit code when the user
 * quits. The terminal is restored on quit, on SIGINT / SIGTERM and on a crash.
 */
export async function runTui(options: TuiOptions): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new BerthError('the terminal UI needs an interactive terminal (stdin and stdout a TTY); for scripts use the subcommands (berth --help)', {code: 'no-tty'});
	}
	// Loaded here, after the TTY check: Ink and React cost a few hundred ms of start-up, a third less
	// from the second run on with Node's compile cache (Deno has none: the call is skipped there).
	(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();
	const [{render}, {App}, {ServicesProvider}, {ThemeProvider}, {createServices}] = await Promise.all([
		import('ink'),
		import('./components/App.tsx'),
		import('./contexts/services-context.tsx'),
		import('./contexts/theme-context.tsx'),
		import('./create-services.ts'),
	]);
	const services = await createServices(options);
	const theme = themeFor(options.env);
	const instance = render(
		<ThemeProvider theme={theme}>
			<ServicesProvider services={services}>
				<App />
			</ServicesProvider>
		</ThemeProvider>,
		{alternateScreen: true, exitOnCtrlC: false, patchConsole: true, maxFps: 30},
	);

	let code = 0;
	const leave = (exitCode: number, error?: unknown) => {
		code = exitCode;
		try {
			instance.unmount();
		} finally {
			process.stdout.write(RESTORE);
			if (error !== undefined) process.stderr.write(`berth: the terminal UI crashed: ${errorMessage(error)}\n${error instanceof Error && options.env['BERTH_DEBUG'] ? `${error.stack}\n` : ''}`);
		}
	};
	const onSignal = (signal: NodeJS.Signals) => leave(signal === 'SIGINT' ? 130 : 143);
	const onCrash = (error: unknown) => {
		leave(1, error);
		process.exit(1);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	try {
		await instance.waitUntilExit();
	} catch (error) {
		leave(1, error);
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		process.stdout.write(RESTORE);
		services.dispose();
	}
	return code;
}
