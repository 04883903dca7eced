import {actionCommand} from './compose-action.ts';
import type {CommandContext} from './command.ts';
import {ENGINE_HELP, ENGINE_OPTION, engineOption} from './engine-option.ts';
import {parseAppRef} from '../core/ids.ts';
import {openStore} from '../core/ports/store.ts';
import {getOrAllocate} from '../core/ports/service.ts';
import {BerthError, UsageError} from '../core/errors.ts';
import {sleep} from '../core/sleep.ts';
import type {ComposeClient, ComposeTarget} from '../core/compose/types.ts';

/**
 * `up --engine`: an app placed nowhere yet is placed there (an allocation without ports records it); an
 * app placed on another engine is an error that changes nothing.
 */
async function place(target: ComposeTarget, context: CommandContext): Promise<ComposeTarget> {
	const engine = await engineOption(context);
	if (engine === undefined || target.engine === engine) return target;
	const app = parseAppRef(target.id);
	const {allocation} = await getOrAllocate(openStore(context.storeFile, {signal: context.signal}), app, {
		appPath: target.path,
		slots: target.engine ? undefined : [],
		engine,
	});
	return {...target, engine: allocation.engine};
}

/** Polls the app's state until it runs (healthy where checked), fails, or `seconds` pass. */
async function waitRunning(client: ComposeClient, target: ComposeTarget, seconds: number, signal: AbortSignal): Promise<string> {
	const deadline = Date.now() + seconds * 1000;
	let state = 'unknown';
	while (!signal.aborted) {
		const status = await client.status([{id: target.id, projectName: target.projectName, hasCompose: true, engine: target.engine ?? null}]);
		if (!status.engine.reachable) throw new BerthError(status.engine.message ?? 'the Docker Engine is not reachable', {code: 'engine-unreachable'});
		const app = status.apps[0]!;
		state = app.state;
		if (state === 'running' || state === 'healthy') return state;
		if (state === 'error' || state === 'crash-loop') {
			const bad = app.services.find(s => s.error || s.state === 'dead' || s.state === 'restarting' || (s.exitCode !== null && s.exitCode !== 0));
			throw new BerthError(
				`${target.id} failed to start: ${bad ? `service ${bad.service} is ${bad.state}${bad.exitCode !== null ? ` (exit code ${bad.exitCode})` : ''}${bad.error ? `: ${bad.error}` : ''}` : 'state error'}. See "berth logs ${target.id}".`,
				{code: 'start-failed'},
			);
		}
		if (Date.now() > deadline) {
			const waiting = app.services
				.filter(s => s.state !== 'running' || (s.health !== null && s.health !== 'healthy'))
				.map(s => `${s.service} ${s.state}${s.health ? `/${s.health}` : ''}`);
			throw new BerthError(
				`${target.id} is not running and healthy after ${seconds} s (state ${state}${waiting.length ? `: ${waiting.join(', ')}` : ''}). See "berth logs ${target.id}".`,
				{code: 'wait-timeout'},
			);
		}
		await sleep(250, signal);
	}
	throw new BerthError(`interrupted while waiting for ${target.id} to run (state ${state}); its containers were left as they are`, {code: 'interrupted'});
}

export default actionCommand({
	action: 'up',
	summary: "Create and start an app's stack (after checking its ports are free)",
	done: 'started',
	extraUsage: '[--build] [--wait [--wait-timeout SECONDS]]',
	extraDetails: `  --build              build images before starting
  --wait               wait until every container runs and is healthy (where it has a health check)
  --wait-timeout SECS  give up waiting after this long (default 120)
${ENGINE_HELP}
                       (beside app references, --model or --all; an app already placed stays where it is:
                       "berth move" moves it. Alone, --engine E selects the apps placed on E)

Before anything starts, every allocated port of the app must be free or already published by the app's
own containers; otherwise the command fails naming the port and who holds it.`,
	options: {build: {type: 'boolean'}, wait: {type: 'boolean'}, 'wait-timeout': {type: 'string'}, ...ENGINE_OPTION},
	async run(client, placed, context, common) {
		const {values, signal} = context;
		const target = await place(placed, context);
		const waitValue = values['wait-timeout'];
		if (waitValue !== undefined && (typeof waitValue !== 'string' || !/^\d+$/.test(waitValue))) {
			throw new UsageError(`invalid --wait-timeout ${JSON.stringify(waitValue)}: give whole seconds, e.g. --wait-timeout 60`);
		}
		const result = await client.up(target, {services: common.services, onLine: common.onLine, build: values['build'] === true});
		if (values['wait'] !== true) return result;
		const started = Date.now();
		const state = await waitRunning(client, target, waitValue === undefined ? 120 : Number(waitValue), signal);
		return {...result, durationMs: result.durationMs + (Date.now() - started), state};
	},
});
