import {BerthError} from '../errors.ts';

// Apart from manifest.ts (and its zod schema) so that lint's sandboxed renderer, which needs these
// and not the schema, starts without loading zod (about 150 ms of every lint).

/** The manifest file of a plugin folder. */
export const MANIFEST_FILE = 'berth-plugin.json';
/** The folder of a plugin holding the files to scaffold. */
export const FILES_DIR = 'files';
/** The folder of a plugin holding its own partials (`@local/<path>`). */
export const PARTIALS_DIR = 'partials';

/** The .env name of a slot's host port: `env`, else `<SLOT>_PORT` (e.g. BACKEND_PORT). */
export function slotEnvName(slot: {slot: string; env?: string | undefined}): string {
	return slot.env ?? `${slot.slot.toUpperCase().replace(/-/g, '_')}_PORT`;
}

/** An invalid manifest (or plugin folder): the message names the file and the field. */
export class PluginError extends BerthError {
	override name = 'PluginError';
	readonly file: string;
	readonly problems: readonly {path: string; message: string}[];
	constructor(file: string, problems: readonly {path: string; message: string}[], cause?: unknown) {
		super(`${file}: ${problems.map(p => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, {code: 'bad-plugin', cause});
		this.file = file;
		this.problems = problems;
	}
}
