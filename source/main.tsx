// berth's command line: parses the arguments and runs a command or the terminal UI. Loaded by
// source/cli.tsx once `berth --version` has had its chance to answer (source/version.ts).
import {berthVersion, versionLine} from './version.ts';
import {parseArgs} from 'node:util';
import {BerthError, UsageError, errorMessage} from './core/errors.ts';
import type {BerthConfig} from './core/config.ts';
import {COMMANDS, commandGroups, type CommandEntry} from './commands/registry.ts';
import {createOutput, terminalSafe, table} from './commands/output.ts';
import type {Command, CommandContext, OptionSpec} from './commands/command.ts';
import {GLOBAL_OPTIONS} from './global-options.ts';
import {traceStartup} from './core/startup-trace.ts';

traceStartup('cli modules loaded');

const GLOBAL_HELP = `Global options:
  --root DIR      apps root (default: $BERTH_ROOT or ./generated/apps)
  --store FILE    port store (default: $BERTH_STORE or the user data dir's berth/ports.json)
  --plugin DIR    an extra flavour plugin folder (repeatable)
  --json          machine-readable output: one JSON document on stdout
  --no-color      no colours, bold stays (as for a non-empty NO_COLOR)
  --debug         print error causes and stacks (or BERTH_DEBUG=1)
  -h, --help      help for berth or a command
  -V, --version   print the version`;

function mainHelp(): string {
	const rows = COMMANDS.map(c => [`  ${c.name}`, c.summary]);
	return `berth ${berthVersion()} — a keyboard-driven cockpit for fleets of generated docker compose apps

Usage:
  berth [--root DIR]            open the terminal UI
  berth <command> [options]     run one operation (see below)

Commands:
${table(rows).join('\n')}

${GLOBAL_HELP}

Exit status: 0 ok, 1 failed, 2 usage error. Run "berth <command> --help" for a command's options.
`;
}

function commandHelp(command: Command): string {
	return `Usage: berth ${command.usage}

${command.summary}.
${command.details ? `\n${command.details.trimEnd()}\n` : ''}
${GLOBAL_HELP}
`;
}

function groupHelp(group: string): string {
	const rows = COMMANDS.filter(c => c.name.startsWith(`${group} `)).map(c => [`  ${c.name}`, c.summary]);
	return `Usage: berth ${group} <subcommand> [options]

Subcommands:
${table(rows).join('\n')}

Run "berth ${group} <subcommand> --help" for details.
`;
}

/** The command named by the leading words of `positionals`, longest name first. */
function matchCommand(positionals: string[]): {entry: CommandEntry; words: number} | null {
	let best: {entry: CommandEntry; words: number} | null = null;
	for (const entry of COMMANDS) {
		const words = entry.name.split(' ');
		if (words.every((word, i) => positionals[i] === word) && (!best || words.length > best.words)) best = {entry, words: words.length};
	}
	return best;
}

export async function main(argv: string[], io = {stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd()}): Promise<number> {
	const {stdout, stderr, env, cwd} = io;
	const loose = parseArgs({args: argv, options: GLOBAL_OPTIONS, strict: false, allowPositionals: true});
	// `berth --version` with other options (alone, version.ts answered it already): before any package is loaded.
	if (loose.values['version'] === true && loose.positionals.length === 0) {
		stdout.write(`${versionLine(loose.values['json'] === true)}\n`);
		return 0;
	}
	// Loaded only now: --version needs none of it.
	const {resolveConfig} = await import('./core/config.ts');
	// The global options resolved once, for the commands and the TUI alike. From the non-strict parse, so
	// that even a usage error is shown as --json and colour say; the strict parse below checks them.
	const config = resolveConfig(loose.values, env, cwd, {stdout});
	const {json, debug} = config;
	const out = createOutput({json, color: config.color, stdout, stderr});
	const controller = new AbortController();
	/** A command that failed because it was interrupted exits as shells expect (130, 143). */
	let caught: NodeJS.Signals | undefined;
	const interrupted = (status: number) => (status !== 0 && caught ? (SIGNAL_EXIT[caught] ?? status) : status);

	try {
		const match = matchCommand(loose.positionals);
		if (!match) {
			const first = loose.positionals[0];
			if (first && commandGroups().includes(first) && (loose.positionals.length === 1 || loose.values['help'] === true)) {
				if (loose.values['help'] === true) {
					stdout.write(groupHelp(first));
					return 0;
				}
				// A group without its subcommand is a usage error: the help goes to stderr, and under --json
				// stdout holds the one JSON error document like every other usage error.
				if (json)
					throw new UsageError(
						`"berth ${first}" needs a subcommand: ${COMMANDS.filter(c => c.name.startsWith(`${first} `))
							.map(c => c.name.slice(first.length + 1))
							.join(', ')}. Run "berth ${first} --help".`,
					);
				stderr.write(groupHelp(first));
				return 2;
			}
			if (loose.values['help'] === true) {
				stdout.write(mainHelp());
				return 0;
			}
			if (first)
				throw new UsageError(`unknown command ${JSON.stringify(loose.positionals.slice(0, 2).join(' '))}. Run "berth --help" for the list of commands.`);
			parse(argv, GLOBAL_OPTIONS, 'berth [--root DIR] [--store FILE] [--plugin DIR]');
			return await openTui(config);
		}
		const command = (await match.entry.load()).default;
		if (loose.values['help'] === true) {
			stdout.write(commandHelp(command));
			return 0;
		}
		const parsed = parse(argv, {...GLOBAL_OPTIONS, ...command.options}, command.usage);
		const positionals = parsed.positionals.slice(match.words);
		const {min, max} = command.positionals ?? {min: 0, max: 0};
		if (positionals.length < min || positionals.length > max) {
			const what = positionals.length < min ? 'missing argument' : `unexpected argument ${JSON.stringify(positionals[max])}`;
			throw new UsageError(`${what}. Usage: berth ${command.usage}`);
		}
		const context: CommandContext = {
			...config,
			out,
			values: parsed.values,
			positionals,
			signal: controller.signal,
		};
		const graceful = command.windsDown?.(context) ?? null;
		const stop = (signal: NodeJS.Signals) => {
			caught ??= signal;
			interrupt(controller, signal, stderr, graceful);
		};
		// `on`, not `once`: execa's signal-exit re-raises a signal when it is the only listener left.
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
		try {
			return interrupted(await command.run(context));
		} finally {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
		}
	} catch (error) {
		const code = error instanceof BerthError ? error.exitCode : 1;
		const message = errorMessage(error);
		if (json) stdout.write(JSON.stringify({error: {code: error instanceof BerthError ? error.code : 'internal', message}}) + '\n');
		out.error(message);
		if (debug && error instanceof Error) stderr.write(terminalSafe(`${error.stack ?? ''}\n${error.cause ? `cause: ${errorMessage(error.cause)}\n` : ''}`));
		return interrupted(code);
	}
}

/** Exit status of a command ended by a signal, as shells report it (130 for Ctrl-C, 143 for SIGTERM). */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = {SIGINT: 130, SIGTERM: 143};

/**
 * Ctrl-C / SIGTERM: the command's signal is aborted, so it stops what it is doing and cleans up (the
 * store lock wait, a compose action, a log stream, a lint child). A command that has not ended a second
 * later is ended anyway (unless it says it winds down by itself, `Command.windsDown`), and so is any
 * command at a second signal. berth's writes (store, scaffolded
 * files) are each one atomic rename, so ending between two of them leaves nothing half-written.
 */
function interrupt(controller: AbortController, signal: NodeJS.Signals, stderr: NodeJS.WritableStream, graceful: string | null): void {
	if (controller.signal.aborted) endBy(signal);
	controller.abort(new Error(`interrupted by ${signal}`));
	if (graceful) {
		// The command winds down by itself (a bulk action lets running compose calls finish): no deadline.
		stderr.write(`berth: interrupted (${signal}); ${graceful}; ${signal === 'SIGINT' ? 'Ctrl-C' : signal} again ends berth at once\n`);
		return;
	}
	setTimeout(() => {
		stderr.write(`berth: interrupted (${signal}); the command did not finish\n`);
		endBy(signal);
	}, 900).unref();
}

/**
 * Ends this process by `signal` itself (the shell then reports 130 / 143). Not process.exit: Node's exit
 * waits for its thread pool, and a thread blocked in the kernel (opening a FIFO, a hung network mount)
 * would keep berth alive forever.
 */
function endBy(signal: NodeJS.Signals): never {
	process.removeAllListeners(signal);
	process.kill(process.pid, signal);
	// The default action ends the process; should the signal be ignored here, leave anyway.
	process.exit(SIGNAL_EXIT[signal] ?? 1);
}

/** `argv` parsed strictly with `options`: an unknown option, or one missing its value, is a usage error. */
function parse(argv: string[], options: OptionSpec, usage: string) {
	try {
		return parseArgs({args: argv, options, strict: true, allowPositionals: true});
	} catch (error) {
		throw new UsageError(`${errorMessage(error).replace(/^TypeError \[\w+\]: /, '')}. Usage: ${usage.startsWith('berth') ? usage : `berth ${usage}`}`, {
			cause: error,
		});
	}
}

async function openTui(config: BerthConfig): Promise<number> {
	if (config.json) throw new UsageError('--json needs a command (the terminal UI has no JSON output). Run "berth --help".');
	const {runTui} = await import('./ui/run-tui.ts');
	return runTui(config);
}

/**
 * Runs berth with `argv` as its command line and returns its exit status, for the entry points
 * (cli.tsx, and cli-commands.ts bundled for Node's one-shot commands) to set as the process's.
 */
export async function runCli(argv: string[]): Promise<number> {
	// `berth ls | head`: the reader has gone, so there is nobody left to tell; leave quietly, as cat does.
	for (const stream of [process.stdout, process.stderr]) {
		stream.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EPIPE') process.exit(0);
			throw error;
		});
	}
	return main(argv);
}
