import type {Command} from './command.ts';
import {openStore} from '../core/ports/store.ts';
import {discoverWorkspace} from '../core/workspace/discover.ts';
import {composeFileWarnings} from '../core/workspace/compose-ports.ts';
import {table} from './output.ts';

function formatPorts(ports: Record<string, number> | null): string {
	if (!ports) return '-';
	return Object.entries(ports)
		.map(([slot, port]) => `${slot}:${port}`)
		.join(' ');
}

const command: Command = {
	name: 'ls',
	summary: 'List models and their apps',
	usage: 'ls [--root DIR] [--json]',
	details: `Lists the models (folders of the apps root) and their apps (app<N> folders) with flavour,
allocated ports, compose project and whether a compose file is present. Folders that are not valid
models or apps are reported as warnings on stderr, and so are apps that share one compose project
name (their stacks would replace each other's containers), and compose files berth cannot read (over
1 MiB, not YAML, over 1000 services, port entries it cannot parse), each named ("warnings" in --json).`,
	async run({root, storeFile, out}) {
		const store = await openStore(storeFile).read();
		const workspace = await discoverWorkspace(root, store);
		// A compose file berth cannot read (too large, not YAML, bad port entries) is named, never skipped.
		const files = workspace.models.flatMap(model => model.apps.flatMap(app => (app.composeFile ? [app.composeFile] : [])));
		const warnings = [...workspace.warnings, ...(await composeFileWarnings(files))];
		for (const warning of warnings) out.warn(warning);
		for (const conflict of workspace.conflicts) out.warn(`conflict: ${conflict.message}`);
		if (out.json) {
			out.data({
				root: workspace.root,
				models: workspace.models.map(model => ({
					id: model.id,
					apps: model.apps.map(({composeFile: _composeFile, berthOverride: _override, ...app}) => app),
				})),
				warnings,
				conflicts: workspace.conflicts,
			});
			return 0;
		}
		if (workspace.models.length === 0) {
			out.line(`No models under ${root}. Create one with "berth new <model>/app1 --flavour <id>".`);
			return 0;
		}
		const total = workspace.models.reduce((n, m) => n + m.apps.length, 0);
		out.line(out.paint('dim', `${root}: ${workspace.models.length} models, ${total} apps`));
		for (const model of workspace.models) {
			out.line(`${out.paint('bold', model.id)} ${out.paint('dim', `(${model.apps.length} apps)`)}`);
			const rows = model.apps.map(app => [
				`  app${app.number}`,
				app.flavour ?? '-',
				formatPorts(app.ports),
				app.projectName,
				app.hasCompose ? 'compose' : 'no compose',
			]);
			for (const line of table(rows)) out.line(line);
		}
		return 0;
	},
};

export default command;
