import type {ParseArgsConfig} from 'node:util';
import type {BerthConfig} from '../core/config.ts';
import type {Output} from './output.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Everything a command gets from the dispatcher: the resolved config (as the TUI gets it), output, and its parsed arguments. */
export interface CommandContext extends BerthConfig {
	out: Output;
	values: Record<string, string | boolean | (string | boolean)[] | undefined>;
	positionals: string[];
	/** Aborted on SIGINT/SIGTERM: long-running commands (watch, logs -f) stop cleanly. */
	signal: AbortSignal;
}

export interface Command {
	/** Words after `berth`, e.g. "ports allocate". */
	name: string;
	summary: string;
	/** Usage line(s) after `berth `, e.g. "ports allocate <model>/app<N> [--json]". */
	usage: string;
	/** Extra help text: arguments, options, examples. */
	details?: string;
	options?: OptionSpec;
	/** Accepted number of positional arguments. */
	positionals?: {min: number; max: number};
	/**
	 * Whether this run winds down by itself on Ctrl-C / SIGTERM, and what it does then (e.g. "waiting for the
	 * running compose calls to finish"); null or absent: it is ended a second after the signal.
	 */
	windsDown?(context: CommandContext): string | null;
	/** Returns the exit status (0 ok, 1 failed). Usage problems throw UsageError. */
	run(context: CommandContext): Promise<number>;
}
