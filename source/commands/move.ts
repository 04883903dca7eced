import type {Command} from './command.ts';
import {appArgument} from './app-arg.ts';
import {UsageError} from '../core/errors.ts';
import {createComposeClient} from '../core/compose/client.ts';
import {resolveTarget} from '../core/compose/target.ts';
import {applyMove, planMove, type MovePlan} from '../core/compose/move.ts';
import {chooseEngine} from '../core/docker/placement.ts';
import {loadRegistry} from '../core/plugins/registry.ts';

const usage = 'move <model>/app<N> --to NAME|auto [--dry-run] [--force] [--json]';

const command: Command = {
	name: 'move',
	summary: "Move an app's stack to another Docker engine",
	usage,
	details: `Moves an app to another engine (a Docker context, see "berth engines"): takes its stack down where
it is (containers and networks), places it on the target with ports free there (each port keeps its
number when it can, else takes the next free one), rewrites berth's own files for the new ports (a
flavour's .env port lines and the files berth wrote that nobody edited since; an adopted app's
override) and starts it on the target if it was running.

Volumes do not move: the app's named volumes stay on the engine it leaves, with their data, and it
starts on the target with new, empty ones. move says so, and lists them, before it acts.

Options:
  --to NAME|auto   the engine to move to; auto picks the reachable one with the most room
  --dry-run        say what would happen; change nothing
  --force          move although the app's current engine does not answer (if the app still runs
                   there, it keeps running there)

Nothing changes when the target does not answer, or the app's engine does not (without --force).`,
	options: {to: {type: 'string'}, 'dry-run': {type: 'boolean'}, force: {type: 'boolean'}},
	positionals: {min: 1, max: 1},
	windsDown: () => 'the step running (compose down, the store, the files, compose up) finishes; the next is not started',
	async run({positionals, values, root, storeFile, pluginDirs, cwd, env, out, signal}) {
		const app = appArgument(positionals, usage);
		const to = values['to'];
		if (typeof to !== 'string' || to.trim() === '')
			throw new UsageError(`name the engine to move to: --to NAME or --to auto (see "berth engines"). Usage: berth ${usage}`);
		const target = await resolveTarget(root, storeFile, app);
		const choice = await chooseEngine(to.trim(), env, {exclude: target.engine});
		if (choice.reason) out.warn(`moving to engine ${choice.reason}`);
		const client = await createComposeClient({env, fast: true, storeFile});
		const options = {root, storeFile, client, env, force: values['force'] === true, signal};
		const plan = await planMove(target, choice.name, options);
		const dryRun = values['dry-run'] === true;
		if (plan.from === plan.to) {
			if (out.json) out.data({...summary(plan), moved: false, dryRun});
			else out.line(`${plan.app} is on engine ${plan.to} already: nothing to do.`);
			return 0;
		}
		if (!out.json) describe(plan, out);
		if (dryRun) {
			if (out.json) out.data({...summary(plan), moved: false, dryRun: true});
			else out.line('Dry run: nothing changed.');
			return 0;
		}
		const started = Date.now();
		const result = await applyMove(plan, target, {
			...options,
			registry: () => loadRegistry({pluginDirs, cwd, env}),
			resolve: ref => resolveTarget(root, storeFile, ref),
			onLine: line => {
				if (!out.json) out.line(out.paint('dim', `  ${line.text}`));
			},
		});
		if (out.json) {
			out.data({...summary(plan), moved: true, dryRun: false, ...result});
			return 0;
		}
		for (const kept of result.kept) out.warn(`kept ${kept.path}: ${kept.reason}`);
		const files = result.written.length ? `; rewrote ${result.written.join(', ')}` : '';
		out.line(
			`moved ${plan.app} to ${plan.to} ${out.paint('dim', `in ${((Date.now() - started) / 1000).toFixed(1)} s`)}${result.started ? ' — started there' : ''}${files}`,
		);
		return 0;
	},
};

function summary(plan: MovePlan) {
	return {
		app: plan.app,
		from: plan.from,
		to: plan.to,
		state: plan.state,
		running: plan.running,
		ports: Object.fromEntries(Object.entries(plan.before.ports).map(([slot, port]) => [slot, {from: port, to: plan.after.ports[slot] ?? port}])),
		volumes: plan.volumes,
		warnings: plan.warnings,
	};
}

/** What the move will do, said before it acts (the volumes above all). */
function describe(plan: MovePlan, out: Parameters<Command['run']>[0]['out']): void {
	const what = plan.running
		? `it runs there: it is taken down there and started on ${plan.to}`
		: plan.hasContainers
			? `its containers there are removed; it is not started on ${plan.to}`
			: `it is not running; nothing is started`;
	out.line(`Moving ${out.paint('bold', plan.app)} from ${plan.from} to ${plan.to} (${what}).`);
	const ports = Object.entries(plan.before.ports).map(([slot, port]) => {
		const next = plan.after.ports[slot] ?? port;
		return next === port ? `${slot} ${port} (kept)` : `${slot} ${port} -> ${next}`;
	});
	if (ports.length) out.line(`  ports: ${ports.join(', ')}`);
	out.line(
		plan.volumes.length
			? `  volumes do not move: ${plan.volumes.join(', ')} stay${plan.volumes.length === 1 ? 's' : ''} on ${plan.from} with ${plan.volumes.length === 1 ? 'its' : 'their'} data; on ${plan.to} the app starts with new, empty volumes`
			: `  volumes do not move (the app declares no named volume)`,
	);
	for (const warning of plan.warnings) out.warn(warning);
}

export default command;
