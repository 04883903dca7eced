import type {Command, CommandContext, OptionSpec} from './command.ts';
import {appArgument} from './app-arg.ts';
import {UsageError} from '../core/errors.ts';
import {concurrencyOption, engineSelects, isBulk, printBulkSummary, runBulk, selectBulkApps, type RunOne} from './bulk-action.ts';
import {createComposeClient} from '../core/compose/client.ts';
import {resolveTarget} from '../core/compose/target.ts';
import {Ring} from '../core/compose/lines.ts';
import type {ActionName, ActionResult, ComposeClient, ComposeTarget, OutputLine} from '../core/compose/types.ts';

export interface ActionSpec {
	action: Exclude<ActionName, 'build'>;
	summary: string;
	/** What is done, for the human result line, e.g. "started". */
	done: string;
	extraUsage?: string;
	extraDetails?: string;
	options?: OptionSpec;
	timeout?: boolean;
	/** Runs the action; the default calls the client method of the same name. */
	run?(
		client: ComposeClient,
		target: ComposeTarget,
		context: CommandContext,
		common: {services: string[]; onLine: (line: OutputLine) => void; timeoutSeconds?: number},
	): Promise<ActionResult & {state?: string}>;
}

/** Parses --timeout SECONDS. */
export function timeoutOption(value: unknown): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'string' || !/^\d+$/.test(value))
		throw new UsageError(`invalid --timeout ${JSON.stringify(value)}: give whole seconds, e.g. --timeout 5`);
	return Number(value);
}

/** A `berth <action> <model>/app<N>` command: compose output streamed as lines, a result line or JSON. */
export function actionCommand(spec: ActionSpec): Command {
	const usage = `${spec.action} <model>/app<N> ... | --model M | --engine E | --all [--concurrency N] [--service S ...]${spec.timeout ? ' [--timeout SECONDS]' : ''}${spec.extraUsage ? ` ${spec.extraUsage}` : ''} [--json]`;
	return {
		name: spec.action,
		summary: spec.summary,
		usage,
		details: `Runs compose with the app's project name, folder and compose file; its output is shown line by line
(not with --json: the JSON result holds the last lines).

Several apps (more than one reference, --model M, --engine E: the apps placed on engine E, or --all) run
side by side: engines in parallel, on each at most --concurrency apps at a time (default: 4 per CPU of
the engine, 4 to 16; lower it for heavy builds). A line per app as it finishes, then a summary naming every failed app with its reason; exit status 1
when any failed. Ctrl-C starts nothing new, lets running compose calls finish, and says what state
each app was left in. --json gives one result per app.

Options:
  --model M            every app of model M
  --engine E           every app placed on engine E (a Docker context, see "berth engines")
  --all                every app under the apps root
  --concurrency N      apps at a time per engine
  --service, -s S      only this service (repeatable)${spec.timeout ? '\n  --timeout, -t SECS   seconds to wait for containers to stop before killing them' : ''}${spec.extraDetails ? `\n${spec.extraDetails}` : ''}`,
		options: {
			service: {type: 'string', multiple: true, short: 's'},
			...(spec.timeout ? {timeout: {type: 'string', short: 't'}} : {}),
			model: {type: 'string'},
			all: {type: 'boolean'},
			engine: {type: 'string'},
			concurrency: {type: 'string'},
			...spec.options,
		},
		positionals: {min: 0, max: 10_000},
		windsDown: context => (isBulk(context) ? 'nothing new is started; waiting for the running compose calls to finish' : null),
		async run(context) {
			const {positionals, values, root, storeFile, env, out} = context;
			const services = ((values['service'] as string[] | undefined) ?? []).filter(Boolean);
			const timeoutSeconds = spec.timeout ? timeoutOption(values['timeout']) : undefined;
			if (values['engine'] !== undefined && !engineSelects(context) && spec.action !== 'up') {
				throw new UsageError(
					`--engine E selects the apps placed on engine E by itself; beside app references, --model or --all only "berth up" takes it (to place apps). Usage: berth ${usage}`,
				);
			}
			const concurrency = concurrencyOption(values['concurrency']);
			if (isBulk(context)) {
				const apps = await selectBulkApps(context, usage);
				const client = await createComposeClient({env, fast: true, storeFile});
				// --engine that selected the apps is not a placement for `up`.
				const inner = engineSelects(context) ? {...context, values: {...values, engine: undefined}} : context;
				const runOne: RunOne = (c, target, common) =>
					spec.run
						? spec.run(c, target, inner, {services, onLine: common.onLine, timeoutSeconds})
						: (c[spec.action] as (t: ComposeTarget, o: object) => Promise<ActionResult>)(target, {
								services,
								onLine: common.onLine,
								timeoutSeconds,
								...pickOptions(spec.action, values),
							});
				const {results, interrupted} = await runBulk(context, apps, client, {action: spec.action, done: spec.done, runOne, concurrency});
				printBulkSummary(context, spec.action, spec.done, results, interrupted);
				return results.every(r => r.status === 'done') ? 0 : 1;
			}
			if (positionals.length === 0) throw new UsageError(`name the apps: <model>/app<N> ..., --model M, --engine E or --all. Usage: berth ${usage}`);
			const app = appArgument(positionals, usage);
			const target = await resolveTarget(root, storeFile, app);
			const client = await createComposeClient({env, fast: true, storeFile});
			const tail = new Ring<OutputLine>(200);
			const onLine = (line: OutputLine) => {
				tail.push(line);
				out.line(out.paint('dim', `  ${line.text}`));
			};
			const common = {services, onLine, timeoutSeconds};
			const result = spec.run
				? await spec.run(client, target, context, common)
				: await (client[spec.action] as (t: ComposeTarget, o: object) => Promise<ActionResult>)(target, {...common, ...pickOptions(spec.action, values)});
			if (out.json) {
				out.data({...result, ok: true, projectName: target.projectName, compose: client.binary.command.join(' '), output: tail.toArray()});
			} else {
				for (const warning of result.warnings ?? []) out.warn(warning);
				if (result.note) out.line(result.note);
				const state = 'state' in result && result.state ? ` — ${result.state}` : '';
				out.line(
					`${spec.done} ${target.id}${services.length ? ` (${services.join(', ')})` : ''} ${out.paint('dim', `in ${(result.durationMs / 1000).toFixed(1)} s`)}${state}`,
				);
			}
			return 0;
		},
	};
}

function pickOptions(action: ActionName, values: CommandContext['values']): object {
	if (action === 'down') return {volumes: values['volumes'] === true};
	if (action === 'up') return {build: values['build'] === true};
	return {};
}
