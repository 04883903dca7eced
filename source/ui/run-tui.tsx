import {BerthError} from '../core/errors.ts';

export interface TuiOptions {
	root: string;
	storeFile: string;
	pluginDirs: string[];
	env: NodeJS.ProcessEnv;
	cwd: string;
}

/** Opens the terminal UI. (Being built: issue 5.) */
export async function runTui(_options: TuiOptions): Promise<number> {
	throw new BerthError('the terminal UI is not built yet; use the subcommands (berth --help)');
}
