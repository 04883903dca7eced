/**
 * A real terminal for end-to-end tests: a tmux server of its own (`-L`), driven with send-keys and
 * read with capture-pane, and berth launched in it under the runtime running the tests (Node:
 * bin/berth.js, Deno: source/). Its shells run with CI=true, as under CI: Ink would then only print a
 * last frame on exit unless berth insists on interactive mode.
 */
import {after} from 'node:test';
import path from 'node:path';
import {execa} from 'execa';
import {isDeno, ROOT, runtimeCommand} from './runtime.ts';

/** Why tmux tests cannot run here (`undefined` when they can). */
export const noTmux = (await execa('tmux', ['-V'], {reject: false})).failed ? 'tmux is not installed' : undefined;

export const shellQuote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

export interface Terminal {
	tmux(...args: string[]): Promise<{exitCode?: number | undefined; stdout: unknown; stderr: unknown}>;
	/** The screen as text (`escapes`: with its styling). */
	pane(escapes?: boolean): Promise<string>;
	/** Waits until the screen matches; fails naming `what` and showing the screen. */
	waitFor(pattern: RegExp, ms: number, what: string): Promise<string>;
	/** Sends tmux key names one at a time, 150 ms apart. */
	keys(...names: string[]): Promise<void>;
	/** Sends text literally, in one write (as a paste without bracketed-paste markers would arrive). */
	type(text: string): Promise<void>;
	/** Sends text as a bracketed paste (what a terminal sends for a paste when the app asked for it). */
	paste(text: string): Promise<void>;
	resize(columns: number, rows: number): Promise<void>;
}

/**
 * Starts a tmux server `socket` with one `columns` x `rows` window "e2e" running a bare bash, and
 * kills it after the test. `env` entries (`NAME=value`) are added to the shell's environment.
 */
export async function openTerminal(socket: string, size: {columns: number; rows: number} = {columns: 120, rows: 35}, env: string[] = []): Promise<Terminal> {
	const tmux = (...args: string[]) => execa('tmux', ['-L', socket, ...args], {reject: false});
	after(() => tmux('kill-server'));
	const started = await tmux(
		'new-session',
		'-d',
		'-s',
		'e2e',
		'-x',
		String(size.columns),
		'-y',
		String(size.rows),
		'env',
		'PS1=$ ',
		'CI=true',
		...env,
		'bash',
		'--norc',
		'--noprofile',
	);
	if (started.exitCode !== 0) throw new Error(`tmux new-session failed: ${String(started.stderr)}`);
	const pane = async (escapes = false) => String((await tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'e2e')).stdout);
	const waitFor = async (pattern: RegExp, ms: number, what: string) => {
		const until = Date.now() + ms;
		let text = '';
		while (Date.now() < until) {
			text = await pane();
			if (pattern.test(text)) return text;
			await new Promise(resolve => setTimeout(resolve, 200));
		}
		throw new Error(`${what}: the terminal never showed ${pattern} within ${ms} ms; it shows:\n${text}`);
	};
	const keys = async (...names: string[]) => {
		for (const name of names) {
			await tmux('send-keys', '-t', 'e2e', name);
			await new Promise(resolve => setTimeout(resolve, 150));
		}
	};
	const type = async (text: string) => {
		await tmux('send-keys', '-t', 'e2e', '-l', text);
		await new Promise(resolve => setTimeout(resolve, 150));
	};
	const paste = async (text: string) => {
		// paste-buffer -p sends the bracketed-paste markers when the application turned them on.
		await tmux('set-buffer', '-b', 'e2e-paste', text);
		await tmux('paste-buffer', '-p', '-d', '-b', 'e2e-paste', '-t', 'e2e');
		await new Promise(resolve => setTimeout(resolve, 150));
	};
	const resize = async (columns: number, rows: number) => {
		await tmux('resize-window', '-t', 'e2e', '-x', String(columns), '-y', String(rows));
	};
	return {tmux, pane, waitFor, keys, type, paste, resize};
}

/**
 * Runs berth (the TUI unless `args` name a command) in the terminal's shell as users start it (Node:
 * bin/berth.js, which runs the TUI's bundle in dist/tui; Deno: source/cli.tsx); the shell then prints
 * "berth exited <code>".
 */
export async function launchBerth(terminal: Terminal, args: readonly string[]): Promise<void> {
	const [file, prefix] = isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];
	const command = [file, ...prefix, ...args].map(shellQuote).join(' ');
	await terminal.tmux('send-keys', '-t', 'e2e', '-l', `cd ${shellQuote(ROOT)} && ${command}; echo "berth exited $?"`);
	await terminal.tmux('send-keys', '-t', 'e2e', 'Enter');
}

/**
 * Rows of the screen that a wrapped line would leave: a row of a frame never ends mid-border, so
 * every row that starts with a box border must end with one. Returns the rows that do not.
 */
export function brokenRows(screen: string): string[] {
	return screen
		.split('\n')
		.filter(row => /^[┏┃┗┌│└]/.test(row))
		.filter(row => !/[┓┃┛┐│┘]$/.test(row.trimEnd()));
}
