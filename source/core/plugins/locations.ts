import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

// Kept apart from registry.ts (which pulls in config and env-paths): the sandboxed template renderer
// imports this and must load with read access to the plugin and berth's own files only.

/** berth's package folder (holds package.json, plugins/, templates/, schema/, and source/ or dist/). */
export const PACKAGE_DIR = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
/** The built-in `plugins/` folder (next to source/ and dist/, so the same URL works for both). */
export const BUILTIN_PLUGINS_DIR = path.join(PACKAGE_DIR, 'plugins');
/** The shared partials folder `templates/`. */
export const SHARED_TEMPLATES_DIR = path.join(PACKAGE_DIR, 'templates');
/** berth's package.json. */
export const PACKAGE_JSON = path.join(PACKAGE_DIR, 'package.json');

let cachedVersion: string | undefined;
/** This berth's version, from package.json. */
export function berthVersion(): string {
	cachedVersion ??= (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as {version: string}).version;
	return cachedVersion;
}
