import type {Command} from './command.ts';
import {table} from './output.ts';
import {loadRegistry, pluginSearchPath} from '../core/plugins/registry.ts';

const command: Command = {
	name: 'plugins list',
	summary: 'List the flavour plugins berth finds, with their source and any error',
	usage: 'plugins list [--json]',
	details: `Discovery order (a later plugin with the same id overrides an earlier one):
  1. builtin    the plugins shipped with berth
  2. user       <config dir>/berth/plugins
  3. workspace  ./.berth/plugins
  4. flag       each --plugin DIR (a plugin folder, or a folder of plugins)
A broken plugin is listed with its error; it does not hide the others.`,
	async run({pluginDirs, cwd, env, out}) {
		const registry = await loadRegistry({pluginDirs, cwd, env});
		if (out.json) {
			out.data({
				searchPath: pluginSearchPath({pluginDirs, cwd, env}),
				plugins: registry.plugins.map(info => ({
					id: info.id,
					name: info.name,
					description: info.description,
					version: info.version,
					source: info.source,
					dir: info.dir,
					ok: info.error === null,
					error: info.error,
					overriddenBy: info.overriddenBy,
					...(info.plugin
						? {
								ports: info.plugin.manifest.ports.map(p => ({slot: p.slot, base: p.base, step: p.step, container: p.container})),
								variables: info.plugin.manifest.variables.map(v => ({
									name: v.name,
									type: v.type,
									...(v.default === undefined ? {} : {default: v.default}),
									...(v.secret ? {secret: true} : {}),
									...(v.description ? {description: v.description} : {}),
								})),
							}
						: {}),
				})),
			});
			return 0;
		}
		if (registry.plugins.length === 0) {
			out.line('No plugins found.');
			return 0;
		}
		const rows = [['ID', 'VERSION', 'SOURCE', 'STATUS', 'DESCRIPTION']];
		for (const info of registry.plugins) {
			const status = info.error ? 'error' : info.overriddenBy ? 'overridden' : 'ok';
			rows.push([info.id, info.version || '-', info.source, status, info.description.length > 60 ? `${info.description.slice(0, 59)}…` : info.description]);
		}
		for (const [i, line] of table(rows).entries()) out.line(i === 0 ? out.paint('bold', line) : line);
		for (const info of registry.plugins) {
			if (info.error) out.line(out.paint('red', `${info.id} (${info.source}, ${info.dir}): ${info.error}`));
			else if (info.overriddenBy) out.line(out.paint('dim', `${info.id} from ${info.dir} is overridden by ${info.overriddenBy}`));
		}
		return 0;
	},
};

export default command;
