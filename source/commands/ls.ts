import type {Command} from './command.ts';
import {BerthError} from '../core/errors.ts';
import {openStore} from '../core/ports/store.ts';
import {discoverWorkspace, type WorkspaceApp} from '../core/workspace/discover.ts';
import {publishedPorts, type AppModel} from '../core/compose/model.ts';
import {appHazards, type Hazard} from '../core/compose/hazards.ts';
import {findComposeEarly, loadWorkspaceModels, READER_NOTE} from '../core/compose/workspace-models.ts';
import {table} from './output.ts';
import {traceStartup} from '../core/startup-trace.ts';

traceStartup('ls modules loaded');

function formatPorts(ports: Record<string, number> | null): string {
	if (!ports) return '-';
	return Object.entries(ports)
		.map(([slot, port]) => `${slot}:${port}`)
		.join(' ');
}

/** Most host ports the text listing names per app; the rest is "+N" (--json has them all). */
const SHOWN_PORTS = 4;

/**
 * What an app publishes, in a few characters: "adopted" (berth's override remaps its ports to its
 * allocation), "fixed 80,5353/udp" (host ports that are not its allocation: a second copy collides),
 * "?" (compose refused its files: see the warning), "-" (nothing beyond its allocation).
 */
function formatPublished(app: WorkspaceApp, model: AppModel | undefined): string {
	if (!app.hasCompose || !model) return '';
	if (model.error) return '?';
	if (app.berthOverride) return 'adopted';
	const own = new Set(Object.values(app.ports ?? {}));
	const ports = publishedPorts(model)
		.filter(p => !own.has(p.hostPort!))
		.sort((a, b) => a.hostPort! - b.hostPort! || a.protocol.localeCompare(b.protocol));
	const fixed = [...new Set(ports.map(p => `${p.hostPort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`))];
	if (fixed.length === 0) return '-';
	const more = fixed.length > SHOWN_PORTS ? `,+${fixed.length - SHOWN_PORTS}` : '';
	return `fixed ${fixed.slice(0, SHOWN_PORTS).join(',')}${more}`;
}

const command: Command = {
	name: 'ls',
	summary: 'List models and their apps',
	usage: 'ls [--root DIR] [--json]',
	details: `Lists the models (folders of the apps root) and their apps (app<N> folders) with flavour,
allocated ports, compose project, whether a compose file is present and what the app publishes:
"fixed 80,5353/udp" (host ports of its compose model that are not its allocation: a second copy
would collide), "adopted" (berth's override remaps them), "-" (nothing else). The compose model is
what compose itself reads (.env, the user's override, extends, include, profiles), cached beside the
port store; a dim line says how many apps were re-read. Without compose installed berth reads the
files itself and says so once. Folders that are not valid models or apps are warnings on stderr,
and so are apps that share one compose project name, compose files compose refuses or remarks
on, each named, and what stops two copies of an app from running at once that "berth adopt" does
not change (host network, fixed subnets or addresses, external networks and volumes, bind mounts
outside the app folder, environment values naming a published port, a project name set in the
file, host port ranges) ("warnings" in --json, and per app "hazards": {kind, service, message};
"compose" says who read the files).`,
	async run({root, storeFile, out, signal, env}) {
		// Asked while the store and the apps root are read: warm, this was a fifth of the time of ls.
		const binary = findComposeEarly(env, storeFile);
		const store = await openStore(storeFile).read();
		traceStartup('store read');
		const workspace = await discoverWorkspace(root, store);
		traceStartup('apps root scanned');
		const loaded = await loadWorkspaceModels(workspace, {storeFile, signal, env, binary, scannedNow: true});
		traceStartup('models loaded');
		if (signal.aborted) throw new BerthError('ls was interrupted while compose read the apps', {code: 'interrupted'});
		// What stops two copies of an app from running at once (and adoption leaves alone): a warning each.
		const hazards = new Map<string, Hazard[]>();
		for (const app of workspace.models.flatMap(m => m.apps)) {
			const model = loaded.models.get(app.id);
			if (model) hazards.set(app.id, appHazards(model, app.path));
		}
		// A compose file compose refuses (or berth's reader, without compose) is named, never skipped.
		const warnings = [
			...workspace.warnings,
			...(loaded.compose || loaded.apps === 0 ? [] : [READER_NOTE]),
			...loaded.warnings.map(w => w.message),
			...[...hazards].flatMap(([id, list]) => list.map(h => `${id}: ${h.message}`)),
		];
		for (const warning of warnings) out.warn(warning);
		for (const conflict of workspace.conflicts) out.warn(`conflict: ${conflict.message}`);
		const compose = {source: loaded.source, reread: loaded.reread, apps: loaded.apps};
		if (out.json) {
			out.data({
				root: workspace.root,
				models: workspace.models.map(model => ({
					id: model.id,
					apps: model.apps.map(({composeFile: _composeFile, berthOverride, ...app}) => {
						const appModel = loaded.models.get(app.id);
						const publishes =
							appModel && !appModel.error
								? publishedPorts(appModel).map(({service, hostIp, hostPort, protocol, target}) => ({service, hostIp, hostPort, protocol, target}))
								: null;
						return {...app, adopted: berthOverride !== null, publishes, hazards: hazards.get(app.id) ?? []};
					}),
				})),
				warnings,
				conflicts: workspace.conflicts,
				compose,
			});
			traceStartup('printed');
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
				formatPublished(app, loaded.models.get(app.id)),
			]);
			for (const line of table(rows)) out.line(line);
		}
		if (loaded.apps > 0) out.line(out.paint('dim', `compose: re-read ${loaded.reread} of ${loaded.apps} apps (${loaded.source})`));
		return 0;
	},
};

export default command;
