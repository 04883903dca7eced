import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {berthPaths} from '../config.ts';
import {BerthError, UsageError, errorMessage} from '../errors.ts';
import {FILES_DIR, MANIFEST_FILE, PluginError, parseManifest, type Manifest} from './manifest.ts';
import {MANIFEST_MAX_BYTES, readCapped} from './limits.ts';
import {BUILTIN_PLUGINS_DIR, berthVersion} from './locations.ts';
import {satisfies} from './version-range.ts';

/** Where a plugin was found, in discovery order (a later source overrides an earlier one). */
export type PluginSource = 'builtin' | 'user' | 'workspace' | 'flag';

/** A valid plugin: its folder and validated manifest. Loading it never runs plugin code. */
export interface Plugin {
	id: string;
	name: string;
	description: string;
	version: string;
	source: PluginSource;
	/** Absolute plugin folder (holds berth-plugin.json and files/). */
	dir: string;
	manifest: Manifest;
}

/** One plugin as discovery found it: valid (`plugin`) or broken (`error`), possibly overridden. */
export interface PluginInfo {
	/** The manifest id, or the folder name when the manifest cannot be read. */
	id: string;
	name: string;
	description: string;
	version: string;
	source: PluginSource;
	dir: string;
	/** Why the plugin cannot be used (names the file and field), or `null`. */
	error: string | null;
	/** The folder of the later plugin with the same id that replaces this one, or `null`. */
	overriddenBy: string | null;
	plugin: Plugin | null;
}

export interface Registry {
	/** Every plugin found, in discovery order, broken and overridden ones included. */
	plugins: PluginInfo[];
	/** The valid plugins that are in effect (not overridden), sorted by id. */
	usable(): Plugin[];
	/** The plugin in effect for `id`; throws a UsageError listing the available ids otherwise. */
	get(id: string): Plugin;
}

export interface RegistryOptions {
	/** `--plugin` folders: a plugin folder, or a folder of plugin folders (both are accepted). */
	pluginDirs?: readonly string[];
	/** The working directory: `<cwd>/.berth/plugins` is the workspace's plugin folder. */
	cwd: string;
	env?: NodeJS.ProcessEnv;
	/** Replaces the built-in plugins folder (tests). */
	builtinDir?: string;
}

export {BUILTIN_PLUGINS_DIR, SHARED_TEMPLATES_DIR, berthVersion} from './locations.ts';

async function isDirectory(dir: string): Promise<boolean> {
	try {
		return (await stat(dir)).isDirectory();
	} catch {
		return false;
	}
}

async function exists(file: string): Promise<boolean> {
	try {
		await stat(file);
		return true;
	} catch {
		return false;
	}
}

/** Reads and validates one plugin folder. Never throws: problems become `error`. */
export async function readPlugin(dir: string, source: PluginSource): Promise<PluginInfo> {
	const absolute = path.resolve(dir);
	const manifestFile = path.join(absolute, MANIFEST_FILE);
	const info: PluginInfo = {
		id: path.basename(absolute),
		name: '',
		description: '',
		version: '',
		source,
		dir: absolute,
		error: null,
		overriddenBy: null,
		plugin: null,
	};
	let text: string;
	try {
		text = new TextDecoder().decode(await readCapped(manifestFile, MANIFEST_MAX_BYTES, 'a manifest'));
	} catch (error) {
		info.error = error instanceof PluginError ? error.message : `${manifestFile}: cannot read the manifest (${errorMessage(error)})`;
		return info;
	}
	let manifest: Manifest;
	try {
		manifest = parseManifest(text, manifestFile);
	} catch (error) {
		info.error = errorMessage(error);
		// Show what can be shown of a broken manifest: its id lets `plugins list` say which flavour broke.
		try {
			const raw = JSON.parse(text) as Record<string, unknown>;
			if (typeof raw['id'] === 'string' && raw['id']) info.id = raw['id'];
			if (typeof raw['name'] === 'string') info.name = raw['name'];
			if (typeof raw['version'] === 'string') info.version = raw['version'];
		} catch {
			// not JSON: the folder name stays the id
		}
		return info;
	}
	Object.assign(info, {id: manifest.id, name: manifest.name, description: manifest.description, version: manifest.version});
	if (!satisfies(berthVersion(), manifest.berth)) {
		info.error = `${manifestFile}: berth: this plugin supports berth ${manifest.berth}, this is berth ${berthVersion()}`;
		return info;
	}
	if (!(await isDirectory(path.join(absolute, FILES_DIR)))) {
		info.error = `${path.join(absolute, FILES_DIR)}: missing: a plugin keeps the files it scaffolds in files/`;
		return info;
	}
	info.plugin = {id: manifest.id, name: manifest.name, description: manifest.description, version: manifest.version, source, dir: absolute, manifest};
	return info;
}

/** The plugins of a folder of plugin folders (sub-folders without a manifest are not plugins). */
async function readPluginFolder(dir: string, source: PluginSource): Promise<PluginInfo[]> {
	let entries;
	try {
		entries = await readdir(dir, {withFileTypes: true});
	} catch {
		return [];
	}
	const names = entries
		.filter(e => e.isDirectory() || e.isSymbolicLink())
		.map(e => e.name)
		.sort();
	const found: PluginInfo[] = [];
	for (const name of names) {
		const sub = path.join(dir, name);
		if (await exists(path.join(sub, MANIFEST_FILE))) found.push(await readPlugin(sub, source));
	}
	return found;
}

/** A `--plugin` folder: a plugin itself, or a folder of plugins; anything else is listed as an error. */
async function readFlagFolder(dir: string): Promise<PluginInfo[]> {
	if (await exists(path.join(dir, MANIFEST_FILE))) return [await readPlugin(dir, 'flag')];
	const found = await readPluginFolder(dir, 'flag');
	if (found.length > 0) return found;
	const why = (await isDirectory(dir)) ? `neither a plugin (no ${MANIFEST_FILE}) nor a folder of plugins` : 'no such folder';
	return [
		{id: path.basename(dir), name: '', description: '', version: '', source: 'flag', dir, error: `--plugin ${dir}: ${why}`, overriddenBy: null, plugin: null},
	];
}

/** The folders searched, in discovery order. */
export function pluginSearchPath(options: RegistryOptions): {source: PluginSource; dir: string}[] {
	const env = options.env ?? process.env;
	return [
		{source: 'builtin', dir: options.builtinDir ?? BUILTIN_PLUGINS_DIR},
		{source: 'user', dir: path.join(berthPaths(env).config, 'plugins')},
		{source: 'workspace', dir: path.join(options.cwd, '.berth', 'plugins')},
		...(options.pluginDirs ?? []).map(dir => ({source: 'flag' as const, dir: path.resolve(options.cwd, dir)})),
	];
}

/**
 * Discovers every plugin: built-in `plugins/`, `<config dir>/plugins`, `<cwd>/.berth/plugins`, then
 * each `--plugin` folder. A later plugin with the same id overrides an earlier one. Reads manifests
 * only; never executes plugin code; a broken plugin is listed with its error and breaks nothing else.
 */
export async function loadRegistry(options: RegistryOptions): Promise<Registry> {
	const plugins: PluginInfo[] = [];
	for (const {source, dir} of pluginSearchPath(options)) {
		plugins.push(...(source === 'flag' ? await readFlagFolder(dir) : await readPluginFolder(dir, source)));
	}
	const winner = new Map<string, PluginInfo>();
	for (const info of plugins) {
		const previous = winner.get(info.id);
		// A broken later plugin still overrides: silently falling back to another version would surprise.
		if (previous) previous.overriddenBy = info.dir;
		winner.set(info.id, info);
	}
	const usable = () =>
		[...winner.values()]
			.filter(info => info.plugin)
			.map(info => info.plugin!)
			.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return {
		plugins,
		usable,
		get(id) {
			const info = winner.get(id);
			if (info?.plugin) return info.plugin;
			if (info) throw new BerthError(`flavour "${id}" cannot be used: ${info.error}`, {code: 'bad-plugin'});
			const available = usable().map(p => p.id);
			throw new UsageError(
				`unknown flavour ${JSON.stringify(id)}. Available: ${available.length > 0 ? available.join(', ') : '(none)'}. Add one with --plugin DIR, or list them with "berth plugins list".`,
				{code: 'unknown-flavour'},
			);
		},
	};
}
