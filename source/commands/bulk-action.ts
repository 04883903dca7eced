import type {CommandContext} from './command.ts';
import {BerthError, UsageError, errorMessage} from '../core/errors.ts';
import {formatAppRef, parseAppRef, parseModelId} from '../core/ids.ts';
import {openStore} from '../core/ports/store.ts';
import {discoverWorkspace, type WorkspaceApp} from '../core/workspace/discover.ts';
import {contextEnv, currentContextName, engineFacts} from '../core/docker/contexts.ts';
import {runBounded} from '../core/pool.ts';
import {noComposeFileError} from '../core/compose/client.ts';
import type {ActionResult, ComposeClient, ComposeTarget, OutputLine} from '../core/compose/types.ts';

/** What one app's part of a bulk action came to. */
export interface BulkResult {
	app: string;
	engine: string;
	/** done: the action succeeded; failed: it did not (see error); not-started: interrupted before its turn. */
	status: 'done' | 'failed' | 'not-started';
	durationMs?: number;
	/** The app's state: after `up --wait`, or (when interrupted) as it was left. */
	state?: string;
	error?: string;
	/** What the user should know although it succeeded (bind mounts a remote engine cannot see). */
	warnings?: string[];
}

export type RunOne = (client: ComposeClient, target: ComposeTarget, common: {onLine: (line: OutputLine) => void}) => Promise<ActionResult & {state?: string}>;

/** True when the command names several apps (more than one reference, or --model / --all / --engine as selector). */
export function isBulk({positionals, values}: Pick<CommandContext, 'positionals' | 'values'>): boolean {
	return positionals.length > 1 || values['model'] !== undefined || values['all'] === true || (positionals.length === 0 && values['engine'] !== undefined);
}

/** --engine alone selects the apps placed on an engine; beside other selectors only `up` takes it (it places apps). */
export function engineSelects({positionals, values}: Pick<CommandContext, 'positionals' | 'values'>): boolean {
	return positionals.length === 0 && values['model'] === undefined && values['all'] !== true && values['engine'] !== undefined;
}

/**
 * The apps a bulk command names: references, --model M, --all, or --engine E (the apps placed on E; an app
 * placed nowhere is on the current context). Every reference must name an app folder: otherwise nothing
 * runs and the error names each missing one.
 */
export async function selectBulkApps(context: CommandContext, usage: string): Promise<WorkspaceApp[]> {
	const {positionals, values, root, storeFile, env} = context;
	const byEngine = engineSelects(context);
	const chosen = [positionals.length > 0, values['model'] !== undefined, values['all'] === true, byEngine].filter(Boolean).length;
	if (chosen !== 1) throw new UsageError(`name the apps one way: <model>/app<N> ..., --model M, --engine E or --all. Usage: berth ${usage}`);
	const workspace = await discoverWorkspace(root, await openStore(storeFile).read());
	const apps = workspace.models.flatMap(m => m.apps);
	if (positionals.length > 0) {
		const refs = positionals.map(text => parseAppRef(text));
		const missing = refs.filter(ref => !apps.some(a => a.model === ref.model && a.number === ref.number)).map(formatAppRef);
		if (missing.length > 0)
			throw new BerthError(`no app folder under ${root} for ${missing.join(', ')}; nothing was run. Pass the right --root.`, {code: 'no-app'});
		const ids = [...new Set(refs.map(formatAppRef))];
		return ids.map(id => apps.find(a => a.id === id)!);
	}
	if (values['model'] !== undefined) {
		const model = parseModelId(String(values['model']));
		const list = apps.filter(a => a.model === model);
		if (list.length === 0) throw new BerthError(`model ${model} has no apps under ${root}; nothing was run.`, {code: 'no-app'});
		return list;
	}
	if (byEngine) {
		const engine = String(values['engine']);
		const current = currentContextName(env);
		const list = apps.filter(a => (a.engine ?? current) === engine);
		if (list.length === 0)
			throw new BerthError(`no app under ${root} is placed on engine ${engine}; nothing was run ("berth engines" lists them).`, {code: 'no-app'});
		return list;
	}
	if (apps.length === 0) throw new BerthError(`there are no apps under ${root}; nothing was run.`, {code: 'no-app'});
	return apps;
}

/** --concurrency N: whole numbers from 1. */
export function concurrencyOption(value: unknown): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value))
		throw new UsageError(`invalid --concurrency ${JSON.stringify(value)}: give a whole number from 1, e.g. --concurrency 4`);
	return Number(value);
}

/**
 * Runs one action over many apps: engines in parallel, within each at most `limit` apps at a time
 * (default: 4 per CPU of the engine, 4 to 16). Prints a line per app as it finishes (not with --json), and
 * once interrupted starts nothing new, lets running compose calls finish, and reports each app's state.
 */
export async function runBulk(
	context: CommandContext,
	apps: readonly WorkspaceApp[],
	client: ComposeClient,
	options: {action: string; done: string; runOne: RunOne; concurrency: number | undefined},
): Promise<{results: BulkResult[]; interrupted: boolean}> {
	const {env, out, signal} = context;
	const current = currentContextName(env);
	const groups = new Map<string, WorkspaceApp[]>();
	for (const app of apps) {
		const engine = app.engine ?? current;
		groups.set(engine, [...(groups.get(engine) ?? []), app]);
	}
	const results = new Map<string, BulkResult>();
	const say = (result: BulkResult) => {
		results.set(result.app, result);
		if (out.json) return;
		const took = result.durationMs === undefined ? '' : ` ${out.paint('dim', `in ${(result.durationMs / 1000).toFixed(1)} s`)}`;
		const engine = groups.size > 1 ? out.paint('dim', ` [${result.engine}]`) : '';
		if (result.status === 'done') out.line(`${options.done} ${result.app}${engine}${took}${result.state ? ` — ${result.state}` : ''}`);
		else out.line(`${out.paint('red', 'failed')} ${result.app}${engine}${took}: ${result.error}`);
		for (const warning of result.warnings ?? []) out.warn(warning);
	};
	await Promise.all(
		[...groups].map(async ([engine, group]) => {
			const limit = options.concurrency ?? (await defaultConcurrency(engine, env));
			await runBounded(
				group,
				limit,
				async app => {
					const started = performance.now();
					const took = () => Math.round(performance.now() - started);
					try {
						if (!app.composeFile) throw noComposeFileError(app);
						const result = await options.runOne(client, app, {onLine: () => {}});
						say({
							app: app.id,
							engine,
							status: 'done',
							durationMs: result.durationMs ?? took(),
							...(result.state ? {state: result.state} : {}),
							...(result.warnings?.length ? {warnings: result.warnings} : {}),
						});
					} catch (error) {
						if (!(error instanceof BerthError)) throw error;
						say({app: app.id, engine, status: 'failed', durationMs: took(), error: errorMessage(error)});
					}
				},
				signal,
			);
		}),
	);
	const interrupted = signal.aborted;
	if (interrupted) {
		// What each app was left as: one state query per engine (the signal is spent: a fresh wait).
		const status = await client.status(apps.map(a => ({id: a.id, projectName: a.projectName, hasCompose: a.hasCompose, engine: a.engine}))).catch(() => null);
		for (const app of apps) {
			const state = status?.apps.find(s => s.id === app.id)?.state ?? 'unknown';
			const known = results.get(app.id);
			if (known) results.set(app.id, {...known, state});
			else results.set(app.id, {app: app.id, engine: app.engine ?? current, status: 'not-started', state});
		}
	}
	return {results: apps.map(a => results.get(a.id)!).filter(Boolean), interrupted};
}

/**
 * The default number of apps at a time on one engine: 4 per CPU, 4 to 16 (4 when it does not answer).
 * A compose `up --wait` mostly waits (for the Engine, for health checks): bench/fleet, 30 small stacks on
 * one 2-CPU engine, took 39.0 s at 2 at a time (the old default, its CPUs), 25.6 s at 4, 22.3 s at 8 and
 * 19.0 s at 30, next to 18.9 s for a shell starting every app at once. --concurrency lowers it for heavy builds.
 */
async function defaultConcurrency(engine: string, env: NodeJS.ProcessEnv): Promise<number> {
	const facts = await engineFacts(contextEnv(engine, env), 3000);
	return facts.reachable ? Math.min(16, Math.max(4, 4 * facts.cpus)) : 4;
}

/** The closing lines of a bulk run: counts, then every failed app with its reason, then what an interruption left. */
export function printBulkSummary(context: CommandContext, action: string, done: string, results: readonly BulkResult[], interrupted: boolean): void {
	const {out} = context;
	const count = (status: BulkResult['status']) => results.filter(r => r.status === status).length;
	const engines = new Set(results.map(r => r.engine)).size;
	const failed = results.filter(r => r.status === 'failed');
	if (out.json) {
		out.data({
			action,
			interrupted,
			results,
			summary: {apps: results.length, done: count('done'), failed: count('failed'), notStarted: count('not-started')},
		});
		return;
	}
	out.line(
		`${results.length} app${results.length === 1 ? '' : 's'}${engines > 1 ? ` on ${engines} engines` : ''}: ${count('done')} ${done}, ${failed.length} failed${interrupted ? `, ${count('not-started')} not started (interrupted)` : ''}.`,
	);
	for (const r of failed) out.line(`  ${out.paint('red', 'failed')} ${r.app}: ${r.error}`);
	if (interrupted) for (const r of results) out.line(`  ${r.app}: ${r.status === 'not-started' ? 'not started' : r.status}, now ${r.state ?? 'unknown'}`);
}
