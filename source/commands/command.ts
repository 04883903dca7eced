import type {ParseArgsConfig} from 'node:util';
import type {Output} from './output.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Everything a command gets from the dispatcher: resolved paths, output, and its parsed arguments. */
export interface CommandContext {
	/** Apps root (resolved: --root, BERTH_ROOT, ./generated/apps). */
	root: string;
	/** Port store file (resolved: --store, BERTH_STORE, user data dir). */
	storeFile: string;
	/** Extra plugin folders from --plugin (repeatable). */
	pluginDirs: string[];
	out: Output;
	env: NodeJS.ProcessEnv;
	cwd: string;
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
	/** Returns the exit status (0 ok, 1 failed). Usage problems throw UsageError. */
	run(context: CommandContext): Promise<number>;
}
