import path from 'node:path';
import envPaths from 'env-paths';

/** Where berth keeps its machine-wide files (XDG on Linux, the platform's convention elsewhere). */
export function berthPaths(env: NodeJS.ProcessEnv = process.env): {data: string; config: string} {
	// env-paths reads XDG_* from process.env; honour an injected env the same way.
	const paths = envPaths('berth', {suffix: ''});
	return {
		data: env['XDG_DATA_HOME'] ? path.join(env['XDG_DATA_HOME'], 'berth') : paths.data,
		config: env['XDG_CONFIG_HOME'] ? path.join(env['XDG_CONFIG_HOME'], 'berth') : paths.config,
	};
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
