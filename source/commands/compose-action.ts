import type {Command, CommandContext, OptionSpec} from './command.ts';
import {appArgument} from './app-arg.ts';
import {UsageError} from '../core/errors.ts';
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
	const usage = `${spec.action} <model>/app<N> [--service S ...]${spec.timeout ? ' [--timeout SECONDS]' : ''}${spec.extraUsage ? ` ${spec.extraUsage}` : ''} [--json]`;
	return {
		name: spec.action,
		summary: spec.summary,
		usage,
		details: `Runs compose with the app's project name, folder and compose file; its output is shown line by line
(not with --json: the JSON result holds the last lines).

Options:
  --service, -s S      only this service (repeatable)${spec.timeout ? '\n  --timeout, -t SECS   seconds to wait for containers to stop before killing them' : ''}${spec.extraDetails ? `\n${spec.extraDetails}` : ''}`,
		options: {service: {type: 'string', multiple: true, short: 's'}, ...(spec.timeout ? {timeout: {type: 'string', short: 't'}} : {}), ...spec.options},
		positionals: {min: 1, max: 1},
		async run(context) {
			const {positionals, values, root, storeFile, env, out} = context;
			const app = appArgument(positionals, usage);
			const services = ((values['service'] as string[] | undefined) ?? []).filter(Boolean);
			const timeoutSeconds = spec.timeout ? timeoutOption(values['timeout']) : undefined;
			const target = await resolveTarget(root, storeFile, app);
			const client = await createComposeClient({env, fast: true});
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
