import {existsSync} from 'node:fs';
import {composeFilesIn, findComposeFiles} from '../workspace/discover.ts';

/** What it takes to know an app's compose files. A `WorkspaceApp` and a `ComposeTarget` are one. */
export interface FilesTarget {
	/** The app folder. */
	path: string;
	/** berth's own override for an adopted app (`berth adopt`), or `null`/absent. */
	berthOverride?: string | null;
}

/**
 * The one rule for the files of every compose call of an app (`up`, `stop`, `restart`, `down`, `logs`,
 * `ps`, `config`, the TUI, `ports check`): what compose itself would pick in the app folder — the compose
 * file, then the user's override when there is one — then berth's own override last. A single `-f` turns
 * off compose's own override lookup, so berth passes each file. Empty when the app has no compose file.
 */
export async function composeFilesFor(target: FilesTarget): Promise<string[]> {
	return withBerthOverride(target, await findComposeFiles(target.path));
}

/** `composeFilesFor` from a listing of the app folder (its entries' names) already made. */
export function composeFilesFrom(target: FilesTarget, entries: ReadonlySet<string>): string[] {
	return withBerthOverride(target, composeFilesIn(target.path, entries));
}

function withBerthOverride(target: FilesTarget, files: string[]): string[] {
	// Removed since (by hand, or another berth's `adopt --undo`): the app runs as its own files say.
	return files.length === 0 || !target.berthOverride || !existsSync(target.berthOverride) ? files : [...files, target.berthOverride];
}
