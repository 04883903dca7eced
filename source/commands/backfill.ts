import type {Command} from './command.ts';
import {parseModelId} from '../core/ids.ts';
import {loadRegistry} from '../core/plugins/registry.ts';
import {backfillApps} from '../core/scaffold/backfill.ts';

const command: Command = {
	name: 'backfill',
	summary: "Add a flavour's Docker files to existing app folders",
	usage: 'backfill [--model M] [--flavour F] [--dry-run] [--force] [--json]',
	details: `For apps whose code was generated elsewhere: adds the flavour's Docker files (Dockerfiles,
.dockerignore, compose files, nginx.conf and the files its manifest marks "backfill"), .env.example,
.env (only when absent) and .berth.json — and touches no other file. Ports are allocated as for
"berth new". Apps with a .berth.json keep their flavour; the others need --flavour.

Options:
  --model M      only the apps of model M
  --flavour F    the flavour for apps without .berth.json (apps scaffolded with another one are skipped)
  --dry-run      report what would be added; write nothing
  --force        overwrite Docker files that exist with different content

Exit status 1 when an app failed (the others are still done).`,
	options: {model: {type: 'string'}, flavour: {type: 'string'}, 'dry-run': {type: 'boolean'}, force: {type: 'boolean'}},
	async run({values, root, storeFile, pluginDirs, cwd, env, out}) {
		const model = values['model'] === undefined ? undefined : parseModelId(values['model'] as string);
		const flavour = values['flavour'] as string | undefined;
		const registry = await loadRegistry({pluginDirs, cwd, env});
		if (flavour) registry.get(flavour); // an unknown flavour is a usage error before any app is looked at
		const dryRun = values['dry-run'] === true;
		const warnings: string[] = [];
		const results = await backfillApps({
			root,
			storeFile,
			registry,
			force: values['force'] === true,
			dryRun,
			onWarning: warning => warnings.push(warning),
			...(model ? {model} : {}),
			...(flavour ? {flavour} : {}),
		});
		const failed = results.filter(r => r.status === 'failed').length;
		if (out.json) {
			out.data({
				root,
				dryRun,
				apps: results.map(({plan, ...rest}) => ({...rest, ...(plan ? {projectName: plan.projectName, ports: plan.ports} : {})})),
				summary: Object.fromEntries(['changed', 'unchanged', 'would-change', 'skipped', 'failed'].map(s => [s, results.filter(r => r.status === s).length])),
				warnings,
			});
			return failed > 0 ? 1 : 0;
		}
		for (const warning of warnings) out.line(`${out.paint('yellow', 'warning:')} ${warning}`);
		if (results.length === 0) out.line(`No apps under ${root}${model ? ` for model ${model}` : ''}.`);
		for (const result of results) {
			const style = result.status === 'failed' ? 'red' : result.status === 'changed' || result.status === 'would-change' ? 'green' : 'dim';
			const what =
				result.status === 'changed'
					? `added ${result.added.join(', ')}`
					: result.status === 'would-change'
						? `would add ${result.added.join(', ')}`
						: result.status === 'unchanged'
							? 'nothing to do'
							: (result.reason ?? '');
			out.line(`${out.paint('bold', result.app)} ${out.paint(style, result.status)}${result.flavour ? ` (${result.flavour})` : ''}: ${what}`);
			for (const kept of result.kept) out.line(`  kept ${kept.path} — ${kept.reason}`);
			for (const warning of result.warnings ?? []) out.line(`  ${out.paint('yellow', 'warning:')} ${warning}`);
		}
		const count = (status: string) => results.filter(r => r.status === status).length;
		out.line(
			`${results.length} app(s): ${dryRun ? `${count('would-change')} would change` : `${count('changed')} changed`}, ${count('unchanged')} unchanged, ${count('skipped')} skipped, ${failed} failed.${dryRun ? ' Dry run: nothing written.' : ''}`,
		);
		return failed > 0 ? 1 : 0;
	},
};

export default command;
