import type {Command} from './command.ts';
import {UsageError} from '../core/errors.ts';
import {parseAppRef, parseModelId, type AppRef, appPath} from '../core/ids.ts';
import {readAppState} from '../core/app-state.ts';
import {loadRegistry} from '../core/plugins/registry.ts';
import {ENGINE_HELP, ENGINE_OPTION, engineOption} from './engine-option.ts';
import {commitPlan, nextAppNumber, parseSetOptions, planScaffold} from '../core/scaffold/index.ts';
import {planJson, portsText, printPlan} from './scaffold-output.ts';

const usage = 'new <model>/app<N> | <model> --flavour ID [--set key=value ...] [--dry-run] [--force] [--json]';

const command: Command = {
	name: 'new',
	summary: "Scaffold an app's Docker files from a flavour plugin",
	usage,
	details: `Allocates the app's host ports (or reuses its allocation), renders the flavour into
<root>/<model>/app<N>/, writes .env.example, .env (mode 0600, only when absent, with random
per-app secrets) and .berth.json. With <model> alone, takes the next free app number.

Every file is classified before anything is written: create, identical, conflict (exists with
different content: kept unless --force) or skip. A second identical run changes nothing.

A flavour's templates are code (Eta is JavaScript) and run here with your privileges: use plugins
you trust. "berth plugins lint" renders them in a sandbox, to check one you do not know yet.

Options:
  --flavour ID        the flavour plugin (default: the app's flavour in .berth.json); see "berth plugins list"
  --set KEY=VALUE     a variable of the flavour (repeatable)
  --dry-run           print the plan, write nothing (not even the port store)
  --force             overwrite files that exist with different content (.env is never overwritten)
${ENGINE_HELP}

Examples:
  berth new openai_gpt-4o/app1 --flavour react-flask
  berth new openai_gpt-4o --flavour multi-db-seeder --set publishDatabases=true --dry-run`,
	options: {flavour: {type: 'string'}, set: {type: 'string', multiple: true}, 'dry-run': {type: 'boolean'}, force: {type: 'boolean'}, ...ENGINE_OPTION},
	positionals: {min: 1, max: 1},
	async run({positionals, values, root, storeFile, pluginDirs, cwd, env, out, signal}) {
		const text = positionals[0]!;
		const app: AppRef = text.includes('/') ? parseAppRef(text) : {model: parseModelId(text), number: await nextAppNumber(root, text, storeFile)};
		const answers = parseSetOptions(values['set'] as string[] | undefined);
		const dryRun = values['dry-run'] === true;
		const registry = await loadRegistry({pluginDirs, cwd, env});
		let flavour = values['flavour'] as string | undefined;
		if (!flavour) flavour = (await readAppState(appPath(root, app)))?.flavour.id;
		if (!flavour) {
			throw new UsageError(
				`missing --flavour. Available: ${
					registry
						.usable()
						.map(p => p.id)
						.join(', ') || '(none)'
				}. Usage: berth ${usage}`,
				{code: 'missing-flavour'},
			);
		}
		const plugin = registry.get(flavour);
		const engine = await engineOption({values, env, out});
		const plan = await planScaffold({root, storeFile, app, plugin, answers, force: values['force'] === true, mode: 'new', ...(engine ? {engine} : {})});
		const result = dryRun || !plan.changes ? null : await commitPlan(plan, {signal});
		const final = result?.plan ?? plan;
		// On a remote engine, what the app mounts from this machine will not be there.
		if (result && engine) {
			const {resolveTarget} = await import('../core/compose/target.ts');
			const {findCompose} = await import('../core/compose/detect.ts');
			const {remoteMountWarningsFor} = await import('../core/compose/remote-mounts.ts');
			const target = await resolveTarget(root, storeFile, app);
			for (const warning of await remoteMountWarningsFor(target, {binary: await findCompose(env), env, cacheDir: null})) out.warn(warning);
		}
		if (out.json) {
			out.data(planJson(final, result, dryRun));
			return 0;
		}
		const ref = `${app.model}/app${app.number}`;
		out.line(`${out.paint('bold', ref)} — flavour ${plugin.id} ${plugin.version}, project ${final.projectName}, ${portsText(final.ports)}`);
		printPlan(out, final);
		for (const warning of final.warnings) out.warn(warning);
		if (dryRun) out.line(`Dry run: nothing written (${final.summary.write} file(s) would be written to ${final.appDir}).`);
		else if (!result) out.line(`Nothing changed: ${ref} is up to date.`);
		else {
			out.line(`Wrote ${result.written.length} file(s) to ${final.appDir}. Start it with: berth up ${ref}`);
			if (final.summary.conflict > 0 && result.skipped.some(p => p !== '.env'))
				out.warn(`${result.skipped.filter(p => p !== '.env').length} file(s) differ from the flavour and were kept; --force overwrites them.`);
		}
		return 0;
	},
};

export default command;
