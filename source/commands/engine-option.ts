import {UsageError} from '../core/errors.ts';
import {chooseEngine} from '../core/docker/placement.ts';
import type {CommandContext, OptionSpec} from './command.ts';

/** `--engine NAME|auto`: where a new app is placed. The one option spec and help line of every command that places apps. */
export const ENGINE_OPTION: OptionSpec = {engine: {type: 'string'}};

export const ENGINE_HELP =
	'  --engine NAME|auto   the engine (a Docker context, see "berth engines") to place a new app on; auto picks the\n                       reachable one with the most room (fewest running containers per CPU); default the current context';

/** The engine named by --engine (auto resolved and said on stderr), or undefined when the option is absent. */
export async function engineOption({values, env, out}: Pick<CommandContext, 'values' | 'env' | 'out'>): Promise<string | undefined> {
	const value = values['engine'];
	if (value === undefined) return undefined;
	if (typeof value !== 'string' || value.trim() === '') throw new UsageError('--engine needs a Docker context name or "auto" (see "berth engines")');
	const choice = await chooseEngine(value.trim(), env);
	if (choice.reason) out.warn(`placing on engine ${choice.reason}`);
	return choice.name;
}
