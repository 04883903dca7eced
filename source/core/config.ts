import path from 'node:path';
import {colorMode, type ColorMode} from './color.ts';

/**
 * Where berth keeps its machine-wide files: the folders the env-paths package names (`envPaths('berth',
 * {suffix: ''})`, XDG on Linux, the platform's convention elsewhere), from `env`. Not that package
 * itself: its `import process from 'node:process'` and `node:os` make Node build their module facades,
 * which reads every lazy property of `process` (~10 ms of CPU) for two folder names.
 */
export function berthPaths(env: NodeJS.ProcessEnv = process.env): {data: string; config: string} {
	const xdgData = env['XDG_DATA_HOME'];
	const xdgConfig = env['XDG_CONFIG_HOME'];
	// XDG_* wins on every platform, as it always has for berth.
	if (xdgData && xdgConfig) return {data: path.join(xdgData, 'berth'), config: path.join(xdgConfig, 'berth')};
	const home = process.getBuiltinModule('node:os').homedir();
	let paths: {data: string; config: string};
	if (process.platform === 'darwin') {
		const library = path.join(home, 'Library');
		paths = {data: path.join(library, 'Application Support', 'berth'), config: path.join(library, 'Preferences', 'berth')};
	} else if (process.platform === 'win32') {
		const local = env['LOCALAPPDATA'] || path.join(home, 'AppData', 'Local');
		const roaming = env['APPDATA'] || path.join(home, 'AppData', 'Roaming');
		paths = {data: path.join(local, 'berth', 'Data'), config: path.join(roaming, 'berth', 'Config')};
	} else {
		paths = {data: path.join(home, '.local', 'share', 'berth'), config: path.join(home, '.config', 'berth')};
	}
	return {data: xdgData ? path.join(xdgData, 'berth') : paths.data, config: xdgConfig ? path.join(xdgConfig, 'berth') : paths.config};
}

/** The apps root: `--root`, else `BERTH_ROOT`, else `./generated/apps`. */
export function resolveRoot(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
	return path.resolve(cwd, flag ?? env['BERTH_ROOT'] ?? path.join('generated', 'apps'));
}

/** The port store: `--store`, else `BERTH_STORE`, else `<data dir>/ports.json`. */
export function resolveStore(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
	const given = flag ?? env['BERTH_STORE'];
	return given ? path.resolve(cwd, given) : path.join(berthPaths(env).data, 'ports.json');
}

/**
 * Everything the global options and the environment decide, resolved once (`resolveConfig`) and handed
 * to a command (as part of its context) or to the terminal UI alike.
 */
export interface BerthConfig {
	/** Apps root (resolved: --root, BERTH_ROOT, ./generated/apps). */
	root: string;
	/** Port store file (resolved: --store, BERTH_STORE, user data dir). */
	storeFile: string;
	/** Extra plugin folders from --plugin (repeatable). */
	pluginDirs: string[];
	/** --json: one JSON document on stdout. */
	json: boolean;
	/** How stdout is styled (core/color.ts). */
	color: ColorMode;
	/** --debug or a non-empty BERTH_DEBUG: error causes and stacks are shown. */
	debug: boolean;
	env: NodeJS.ProcessEnv;
	cwd: string;
}

/**
 * The config for parsed global option values (GLOBAL_OPTIONS in source/global-options.ts). Total: a
 * value of the wrong type, which only a non-strict parse yields, counts as not given (the strict parse
 * every path runs rejects it with a usage error).
 */
export function resolveConfig(values: Record<string, unknown>, env: NodeJS.ProcessEnv, cwd: string, streams: {stdout: {isTTY?: boolean}}): BerthConfig {
	const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
	const plugins = values['plugin'];
	return {
		root: resolveRoot(text('root'), env, cwd),
		storeFile: resolveStore(text('store'), env, cwd),
		pluginDirs: Array.isArray(plugins) ? plugins.filter((dir): dir is string => typeof dir === 'string') : [],
		json: values['json'] === true,
		color: colorMode({noColorFlag: values['no-color'] === true, env, isTTY: Boolean(streams.stdout.isTTY)}),
		debug: values['debug'] === true || Boolean(env['BERTH_DEBUG']),
		env,
		cwd,
	};
}
