/**
 * `berth move <app> --to ENGINE`: an app's stack leaves one Docker engine for another. The app is
 * taken down where it is (containers and networks; its volumes stay there, with their data), its
 * allocation is placed on the target with ports free there, berth's own files follow the new ports
 * (a flavour's .env port lines and unedited files, an adopted app's override), and it is started on
 * the target when it was running. Nothing is changed until the plan is known and both engines answer.
 */
import {BerthError, errorMessage} from '../errors.ts';
import {parseAppRef, type AppRef} from '../ids.ts';
import {readAppState} from '../app-state.ts';
import {contextEnv, engineFacts, isLocalEndpoint, resolveEngine} from '../docker/contexts.ts';
import {findAllocation, type Allocation} from '../ports/allocator.ts';
import {engineProbe} from '../ports/probes.ts';
import {moveAllocation, restoreAllocation} from '../ports/service.ts';
import {openStore} from '../ports/store.ts';
import type {Registry} from '../plugins/registry.ts';
import {planScaffold} from '../scaffold/plan.ts';
import {commitPlan} from '../scaffold/commit.ts';
import {adoptApp} from './adopt.ts';
import {remoteMountWarnings} from './hazards.ts';
import {loadModel, modelCacheDir} from './model-load.ts';
import type {AppStateName, ComposeClient, ComposeTarget, OutputLine} from './types.ts';

/** What a move would do, worked out before anything changes (`--dry-run` prints it). */
export interface MovePlan {
	app: string;
	from: string;
	to: string;
	/** The allocation now, and as it would be on the target (the same object when nothing moves). */
	before: Allocation;
	after: Allocation;
	/** The app's state on its engine now; `unknown` when that engine does not answer. */
	state: AppStateName;
	/** Containers of the app run there: it is started on the target after the move. */
	running: boolean;
	/** It has containers there (running or not): they are removed before the move. */
	hasContainers: boolean;
	/** The named volumes of the app (as compose names them): they stay on `from`. */
	volumes: string[];
	/** Said before acting: bind mounts a remote target will not see, an engine that does not answer. */
	warnings: string[];
}

export interface MoveOptions {
	root: string;
	storeFile: string;
	client: ComposeClient;
	env: NodeJS.ProcessEnv;
	/** Move although the app's engine does not answer (its containers, if it still runs there, keep running). */
	force?: boolean;
	signal?: AbortSignal;
}

/** The move's outcome, after `applyMove`. */
export interface MoveResult {
	/** Containers were removed on `from`. */
	stopped: boolean;
	/** berth's files rewritten for the new ports (paths relative to the app folder, or berth's override). */
	written: string[];
	/** Files that name ports but were left as they are, and why (edited since berth wrote them). */
	kept: {path: string; reason: string}[];
	/** Started on the target (it was running). */
	started: boolean;
}

/** Named volumes as compose creates them: `<project>_<key>`, or the `name:` the file gives. */
function volumeNames(config: Record<string, unknown> | null, projectName: string): string[] {
	const volumes = (config?.['volumes'] ?? {}) as Record<string, {name?: unknown; external?: unknown} | null>;
	return Object.entries(volumes).map(([key, value]) => (value && typeof value.name === 'string' ? value.name : `${projectName}_${key}`));
}

/**
 * Works out a move without changing anything: the target must be a Docker context that answers, the
 * app must be placed (have an allocation), and its engine must answer unless `force`.
 */
export async function planMove(target: ComposeTarget, to: string, options: MoveOptions): Promise<MovePlan> {
	const ref = parseAppRef(target.id);
	const store = openStore(options.storeFile, {signal: options.signal});
	const destination = resolveEngine(to, options.env);
	const placed = findAllocation(await store.read(), ref.model, ref.number);
	if (placed && placed.engine !== destination.name) {
		// Before its ports are worked out: a target that does not answer cannot say which it publishes.
		const facts = await engineFacts(contextEnv(destination.name, options.env));
		if (!facts.reachable) {
			throw new BerthError(`engine ${destination.name} does not answer (${facts.problem}): ${target.id} stays on ${placed.engine}; nothing was changed.`, {
				code: 'engine-unreachable',
			});
		}
	}
	const {before, after} = await moveAllocation(store, ref, destination.name, {probe: engineProbe(destination, options.env), dryRun: true});
	const from = before.engine;
	const here = {...target, engine: from};
	const status = await options.client.status([{id: target.id, projectName: target.projectName, hasCompose: target.composeFile !== null, engine: from}]);
	const app = status.apps[0];
	const services = app?.services ?? [];
	const warnings: string[] = [];
	if (!status.engine.reachable) {
		if (from !== destination.name && !options.force) {
			throw new BerthError(
				`engine ${from}, where ${target.id} is placed, does not answer (${status.engine.message}): berth cannot take the app down there. Nothing was changed. Bring the engine back, or move with --force (if the app still runs there, it keeps running there, on its old ports).`,
				{code: 'engine-unreachable'},
			);
		}
		warnings.push(`engine ${from} does not answer: ${target.id} cannot be taken down there; if it still runs there, it keeps running`);
	}
	let volumes: string[] = [];
	if (target.composeFile !== null && from !== destination.name) {
		const {model} = await loadModel(here, {
			binary: options.client.binary,
			env: options.env,
			cacheDir: modelCacheDir(options.storeFile),
			signal: options.signal,
		});
		if (!model.error) {
			volumes = volumeNames(model.config, target.projectName);
			if (!isLocalEndpoint(destination.endpoint)) warnings.push(...remoteMountWarnings(model, target, destination));
		}
	}
	return {
		app: target.id,
		from,
		to: destination.name,
		before,
		after,
		state: status.engine.reachable ? (app?.state ?? 'not-created') : 'unknown',
		running: services.some(s => s.state === 'running' || s.state === 'restarting' || s.state === 'paused'),
		hasContainers: services.length > 0,
		volumes,
		warnings,
	};
}

function samePorts(a: Allocation, b: Allocation): boolean {
	return JSON.stringify(a.ports) === JSON.stringify(b.ports);
}

/**
 * Carries out a plan: down on `from`, the allocation moved, berth's files rewritten, up on `to` when it
 * was running. A failure before the app starts on the target undoes the move (the allocation and the
 * files go back, and the app is started again where it was if it was running), and says so.
 */
export async function applyMove(
	plan: MovePlan,
	target: ComposeTarget,
	options: MoveOptions & {registry: () => Promise<Registry>; onLine?: (line: OutputLine) => void; resolve: (app: AppRef) => Promise<ComposeTarget>},
): Promise<MoveResult> {
	const ref = parseAppRef(plan.app);
	const here = {...target, engine: plan.from};
	const onLine = options.onLine ?? (() => {});
	const result: MoveResult = {stopped: false, written: [], kept: [], started: false};
	if (plan.hasContainers) {
		await options.client.down(here, {onLine});
		result.stopped = true;
	}
	// Ctrl-C: the step running is finished, the next one not started, and the app's state said.
	if (options.signal?.aborted) {
		throw new BerthError(
			`move of ${plan.app} interrupted: it was ${result.stopped ? `taken down on ${plan.from}` : `left as it was on ${plan.from}`} and not moved. "berth move ${plan.app} --to ${plan.to}" moves it${plan.running ? `; "berth up ${plan.app}" starts it where it is` : ''}.`,
			{code: 'interrupted'},
		);
	}
	const store = openStore(options.storeFile, {signal: options.signal});
	const {before, after} = await moveAllocation(store, ref, plan.to, {probe: engineProbe(resolveEngine(plan.to, options.env), options.env)});
	try {
		if (!samePorts(before, after)) await rewriteFiles(ref, target, after, options, result);
	} catch (error) {
		const undone = await restoreAllocation(store, before, after).catch(() => false);
		let again = '';
		if (plan.running) {
			again = await options.client.up(here, {onLine}).then(
				() => `, and it was started there again`,
				(upError: unknown) => `; starting it there again failed too (${errorMessage(upError)}): "berth up ${plan.app}"`,
			);
		}
		throw new BerthError(
			`${plan.app}: berth's files could not follow the new ports (${errorMessage(error)}). ${undone ? `The move was undone: it is on ${plan.from} again${again}.` : `It stays on ${plan.to} in the store: run "berth move ${plan.app} --to ${plan.from}" to put it back.`}`,
			{code: 'move-failed', cause: error},
		);
	}
	if (plan.running && options.signal?.aborted) {
		throw new BerthError(`move of ${plan.app} interrupted: it is on ${plan.to} now, not started there; "berth up ${plan.app}" starts it.`, {
			code: 'interrupted',
		});
	}
	if (plan.running) {
		const moved = await options.resolve(ref);
		try {
			await options.client.up(moved, {onLine});
		} catch (error) {
			throw new BerthError(
				`${plan.app} was moved to ${plan.to} but did not start there: ${errorMessage(error)}. Its volumes and nothing else stayed on ${plan.from}; start it with "berth up ${plan.app}" once the cause is fixed, or move it back with "berth move ${plan.app} --to ${plan.from}".`,
				{code: 'start-failed', cause: error},
			);
		}
		result.started = true;
	}
	return result;
}

/** berth's own files of the app for its new ports: a flavour's (.env port lines, files nobody edited), an adopted app's override. */
async function rewriteFiles(
	ref: AppRef,
	target: ComposeTarget,
	after: Allocation,
	options: MoveOptions & {registry: () => Promise<Registry>},
	result: MoveResult,
): Promise<void> {
	const state = await readAppState(target.path);
	if (state) {
		const plugin = (await options.registry()).get(state.flavour.id);
		const plan = await planScaffold({root: options.root, storeFile: options.storeFile, app: ref, plugin, mode: 'ports', engine: after.engine});
		const committed = await commitPlan(plan, options.signal ? {signal: options.signal} : {});
		result.written.push(...committed.written);
		for (const file of committed.plan.files) {
			if (!file.write && file.action === 'conflict')
				result.kept.push({path: file.path, reason: 'edited since berth wrote it: it may still name the old ports'});
		}
		return;
	}
	if (after.adoption) {
		const adopted = await adoptApp(
			{
				id: target.id,
				model: ref.model,
				number: ref.number,
				path: target.path,
				projectName: after.projectName,
				flavour: null,
				hasCompose: target.composeFile !== null,
			},
			{storeFile: options.storeFile, binary: options.client.binary, env: options.env, ...(options.signal ? {signal: options.signal} : {})},
		);
		if (adopted.status === 'failed') throw new BerthError(adopted.message, {code: 'adopt-failed'});
		if (adopted.override) result.written.push(adopted.override);
	}
}
