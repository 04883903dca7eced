import {parseAppRef, type AppRef} from '../core/ids.ts';
import {UsageError} from '../core/errors.ts';

/** The single `<model>/app<N>` argument of a command. */
export function appArgument(positionals: string[], usage: string): AppRef {
	const text = positionals[0];
	if (!text) throw new UsageError(`missing <model>/app<N>. Usage: berth ${usage}`);
	return parseAppRef(text);
}
