import module from 'node:module';
import {BerthError, errorMessage} from '../core/errors.ts';
import {berthPaths, type BerthConfig} from '../core/config.ts';
import {loadKeysFile} from '../core/keys-file.ts';
import {KEYMAP, SCOPE_TITLES, scopeChain, type Scope} from './keymap.ts';
import type {UserKeys} from './contexts/keymap-context.tsx';
import type {TerminalHandle} from './components/Root.tsx';
import {themeFor} from './theme/theme.ts';
import {traceStartup} from '../core/startup-trace.ts';
import {isDeno} from '../core/runtime.ts';

/** After start-up: see limitHeapGrowth. */
const HEAP_GROWTH_DELAY_MS = 3000;

/**
 * Following a chatty container, V8 lets the old generation grow far past what is live (bin/berth.js
 * gives the TUI a small young generation for the same reason): growth is held to 20% per collection.
 * Set once start-up is over, not given at start: a V8 flag that changes V8's flag hash makes Node
 * refuse its embedded code cache for every built-in module loaded afterwards (30-40 ms of CPU at the
 * TUI's start). Deno gets it from its --v8-flags (deno.json), as does a Node started with it.
 */
async function limitHeapGrowth(): Promise<void> {
	if (isDeno || process.execArgv.some(flag => flag.startsWith('--heap-growing-percent'))) return;
	(await import('node:v8')).setFlagsFromString('--heap-growing-percent=20');
}

/** Leaves the alternate screen and shows the cursor: safe to write more than once. */
const RESTORE = '\u001B[?1049l\u001B[?25h';

/**
 * Stops the runtime reading the terminal while a child owns it. Ink's suspension detaches its own
 * reader, but the stream keeps reading the tty underneath: it takes the child's keys (a local shell
 * with job control even gets berth stopped by SIGTTIN). Node stops on `pause()`, Deno only on the
 * `pause` event (both verified in tmux).
 */
function releaseStdin(): void {
	process.stdin.pause();
	process.stdin.emit('pause');
}

/**
 * Reads the terminal again once Ink has taken it back. Node does when Ink re-attaches its reader;
 * Deno's stream waits for a `resume` (without it no key reached berth after a shell, in tmux). Ink's
 * reader keeps the stream in paused mode: no data is emitted to no one.
 */
function reclaimStdin(): void {
	process.stdin.resume();
}

/**
 * The keys of the user's keys file (core/keys-file.ts); when it has a problem, the defaults and the
 * first problem, for the footer (berth starts anyway: a typo must not lock anyone out).
 */
export async function userKeys(configDir: string): Promise<UserKeys> {
	const {bindings, errors} = await loadKeysFile(configDir, KEYMAP, scope => scopeChain(scope as Scope), SCOPE_TITLES);
	if (errors.length === 0) return {keymap: bindings, problem: null};
	const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
	return {keymap: KEYMAP, problem: `${errors[0]}${more}; berth uses its default keys`};
}

/**
 * Opens the full-screen terminal UI (alternate screen) and resolves with the exit code when the user
 * quits. The terminal is restored on quit, on SIGINT / SIGTERM and on a crash.
 */
export async function runTui(options: BerthConfig): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new BerthError('the terminal UI needs an interactive terminal (stdin and stdout a TTY); for scripts use the subcommands (berth --help)', {
			code: 'no-tty',
		});
	}
	const terminal: TerminalHandle = {suspend: null};
	// While a child (a shell) owns the terminal, a Ctrl-C that reaches berth was meant for the child.
	let handedOver = false;
	const handTerminal = async <T>(run: () => Promise<T>): Promise<T> => {
		if (!terminal.suspend) throw new BerthError('the terminal UI is not drawn yet', {code: 'no-tty'});
		let result: {value: T} | undefined;
		// Ink leaves the alternate screen and raw mode, stops drawing, and on the way back enters them
		// again and redraws the whole screen (its frame is forgotten: the child drew over it).
		try {
			await terminal.suspend(async () => {
				releaseStdin();
				handedOver = true;
				try {
					result = {value: await run()};
				} finally {
					handedOver = false;
				}
			});
		} finally {
			reclaimStdin();
		}
		return result!.value;
	};
	// Modules load here, after the TTY check: Ink and React cost a few hundred ms of start-up, a third
	// less from the second run on with Node's compile cache (Deno has none: the call is skipped there).
	(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();
	// The services first: they start the workspace scan and ask the Engine for its containers, which
	// then run while Ink, React and the components load (the first frame shows the true fleet sooner).
	const {createServices} = await import('./create-services.ts');
	const services = await createServices({...options, handTerminal});
	const keys = userKeys(berthPaths(options.env).config);
	keys.catch(() => undefined); // awaited below, once the modules have loaded
	traceStartup('services created');
	// React and its reconciler pick their development or production build when first loaded; the
	// development one allocates far more per render (following a chatty container: ~230 MB RSS instead
	// of ~170 MB). This file has no JSX, so React is not loaded before this line. The variable is put
	// back afterwards: compose interpolates the caller's environment, and an app's compose file may use
	// ${NODE_ENV}.
	const nodeEnv = process.env['NODE_ENV'];
	process.env['NODE_ENV'] ??= 'production';
	const [{render}, {rootElement}, {applyColorMode}] = await Promise.all([
		import('ink'),
		import('./components/Root.tsx'),
		import('./theme/apply-color-mode.ts'),
	]).finally(() => {
		if (nodeEnv === undefined) delete process.env['NODE_ENV'];
	});
	traceStartup('ui modules loaded');
	applyColorMode(options.color);
	// interactive: Ink otherwise turns itself into a print-the-last-frame-on-exit renderer whenever CI
	// is set in the environment (is-in-ci), which left a blank screen in a real terminal. Both ends are
	// TTYs (checked above), so the user is looking at it.
	const instance = render(rootElement({services, theme: themeFor(options.color), terminal, keys: await keys}), {
		alternateScreen: true,
		interactive: true,
		exitOnCtrlC: false,
		patchConsole: true,
		maxFps: 30,
	});

	traceStartup('first render');
	const growth = setTimeout(limitHeapGrowth, HEAP_GROWTH_DELAY_MS);
	(growth as {unref?: () => void}).unref?.();
	let code = 0;
	const leave = (exitCode: number, error?: unknown) => {
		code = exitCode;
		try {
			instance.unmount();
		} finally {
			process.stdout.write(RESTORE);
			if (error !== undefined)
				process.stderr.write(`berth: the terminal UI crashed: ${errorMessage(error)}\n${error instanceof Error && options.debug ? `${error.stack}\n` : ''}`);
		}
	};
	const onSignal = (signal: NodeJS.Signals) => {
		if (signal === 'SIGINT' && handedOver) return;
		leave(signal === 'SIGINT' ? 130 : 143);
	};
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
