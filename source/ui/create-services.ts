import path from 'node:path';
import {PROJECT_LABEL} from '../core/compose-labels.ts';
/**
 * Builds the real `BerthServices` from berth's core. This file is the UI's boundary: it may import
 * core I/O modules; components, hooks and screens get everything through the services context.
 */
import {BerthError, errorMessage} from '../core/errors.ts';
import {discoverWorkspace, type Workspace} from '../core/workspace/discover.ts';
import {watchWorkspace as followAppsRoot} from '../core/workspace/watch.ts';
import {openStore} from '../core/ports/store.ts';
import {listAllocations, releaseAllocation} from '../core/ports/service.ts';
import type {Plan} from '../core/scaffold/index.ts';
import type {AppStatus, ComposeClient, ListedServiceStatus} from '../core/compose/types.ts';
import {listContainers, type ContainerSummary} from '../core/docker/engine.ts';
import {listFleetContainers} from '../core/compose/status.ts';
import {watchFleet} from '../core/compose/fleet-status.ts';
import {findAllocation} from '../core/ports/allocator.ts';
import {traceStartup} from '../core/startup-trace.ts';
import {sleep} from '../core/sleep.ts';
import type {ComposeBinary} from '../core/compose/detect.ts';
import type {AdoptTarget} from '../core/compose/adopt.ts';

/** How long the first workspace waits for the first states (see loadWorkspace): an Engine answers in a few ms. */
const FIRST_STATES_WAIT_MS = 300;
/** How long after the first workspace was handed over the apps root starts being watched. */
const WATCH_DELAY_MS = 200;

/** Whether the app folders under `root` among `folders` (a workspace watch's first look) differ from those `workspace` lists. */
function differentApps(root: string, folders: readonly string[], workspace: Workspace): boolean {
	const depth = (folder: string) => path.relative(root, folder).split(path.sep).length;
	const onDisk = new Set(folders.filter(folder => folder !== root && depth(folder) === 2).map(folder => path.resolve(folder)));
	const listed = workspace.models.flatMap(model => model.apps.map(app => path.resolve(app.path)));
	return onDisk.size !== listed.length || listed.some(folder => !onDisk.has(folder));
}

// Compose, plugins, scaffolding and the conflict check are loaded on first use (zod, eta, the compose
// package cost hundreds of ms of start-up): the first frame does not wait for them.
const loadCompose = () => import('../core/compose/client.ts');
const loadRegistry = async (options: Parameters<typeof import('../core/plugins/registry.ts').loadRegistry>[0]) =>
	(await import('../core/plugins/registry.ts')).loadRegistry(options);
const loadScaffold = () => import('../core/scaffold/index.ts');
const loadAdopt = () => Promise.all([import('../core/compose/adopt.ts'), import('../core/compose/adopt-report.ts'), import('../core/compose/model-load.ts')]);
import type {AdoptionReport, AdoptionStatus, AppPlan, BerthServices, FlavourChoice, LogLine, ProjectState, ServiceStatus, WorkspaceApp} from './services.ts';

export interface ServicesOptions {
	root: string;
	storeFile: string;
	pluginDirs: string[];
	env: NodeJS.ProcessEnv;
	cwd: string;
	/**
	 * Hands the terminal to `run` (a child that owns it, e.g. a shell) and takes it back when `run`
	 * settles: the TUI suspends Ink (run-tui.ts). Without one, `openShell` refuses.
	 */
	handTerminal?: <T>(run: () => Promise<T>) => Promise<T>;
}

function toServiceStatus(service: AppStatus<ListedServiceStatus>['services'][number]): ServiceStatus {
	const started = service.startedAt ? Date.parse(service.startedAt) : NaN;
	return {
		service: service.service,
		container: service.container,
		state: service.state,
		status: service.status,
		health: service.health,
		exitCode: service.exitCode,
		ports: service.ports,
		startedAt: Number.isNaN(started) ? null : started,
		restarts: service.restartCount,
	};
}

/**
 * The services of the TUI. The workspace scan and the Engine's container list start at once, so that
 * they run while the caller still loads Ink, React and the components (run-tui.ts): the first frame
 * then shows every app with its state instead of waiting for them.
 */
export async function createServices(options: ServicesOptions): Promise<BerthServices & {dispose(): void}> {
	const store = openStore(options.storeFile);
	let lastWorkspace: Workspace | null = null;
	let firstLoad: Promise<Workspace> | null = null;
	// The first answers, taken by the first loadWorkspace() and the first watch.
	let earlyScan: Promise<Workspace> | null = null;
	let earlyList: Promise<ContainerSummary[]> | null = listFleetContainers(options.env);
	earlyList.catch(() => undefined); // the watch reports an unreachable engine itself
	// Compose is detected once, on first use: the UI draws its first frame without waiting for it.
	let composeClient: Promise<ComposeClient> | null = null;
	const compose = () => (composeClient ??= loadCompose().then(m => m.createComposeClient({env: options.env, storeFile: options.storeFile})));
	const plans = new WeakMap<AppPlan, Plan>();
	const disposers = new Set<AbortController>();
	// The live watches' "ask again now": a new app folder has no container event to wait for.
	const refreshWatches = new Set<() => void>();

	// The first workspace is handed over with the first states (or after FIRST_STATES_WAIT_MS without
	// them): the UI then draws the fleet once, with its states, instead of a frame of 1,500 rows without
	// them and another right after (each ~50 ms of React work on Node, ~300 ms on Deno's cold start).
	let statesArrived!: () => void;
	const firstStates = new Promise<void>(resolve => (statesArrived = resolve));
	let waitForStates = true;
	let handedOver!: () => void;
	const firstHandedOver = new Promise<void>(resolve => (handedOver = resolve));
	const scan = async () => discoverWorkspace(options.root, await store.read());
	const loadWorkspace = async () => {
		const load = earlyScan ?? scan();
		earlyScan = null;
		firstLoad ??= load;
		try {
			// Set before the wait: the live watch asks for the state of these apps.
			lastWorkspace = await load;
			if (waitForStates) {
				waitForStates = false;
				const waited = new AbortController();
				await Promise.race([firstStates, sleep(FIRST_STATES_WAIT_MS, waited.signal)]);
				waited.abort();
			}
		} finally {
			// A failed first scan (an unreadable store) still starts the watch: it reports the next change.
			handedOver();
		}
		traceStartup('workspace loaded');
		for (const refresh of refreshWatches) refresh();
		return lastWorkspace;
	};
	// The compose adoption runs with (`null`: none installed): the one the client detected.
	const composeBinary = (): Promise<ComposeBinary | null> =>
		compose().then(
			client => client.binary,
			() => null,
		);
	/** A signal that aborts when the UI closes, for work that may outlive it. */
	const closing = () => {
		const controller = new AbortController();
		disposers.add(controller);
		return {signal: controller.signal, done: () => disposers.delete(controller)};
	};
	/** `berth adopt` (or its dry run) on each app in turn: each takes the store's lock. */
	const adoptEach = async (apps: readonly WorkspaceApp[], dryRun: boolean): Promise<AdoptionReport[]> => {
		const [{adoptComposeProblem}, {adoptReport}] = await loadAdopt();
		const binary = await composeBinary();
		const problem = adoptComposeProblem(binary, options.env);
		if (problem) throw new BerthError(problem, {code: 'compose-too-old'});
		const names = (lastWorkspace ?? (await loadWorkspace())).names;
		const {signal, done} = closing();
		try {
			const reports: AdoptionReport[] = [];
			for (const app of apps) {
				if (signal.aborted) break;
				reports.push(await adoptReport(app satisfies AdoptTarget, {storeFile: options.storeFile, binary, env: options.env, dryRun, names, signal}));
			}
			return reports;
		} finally {
			done();
		}
	};
	earlyScan = scan();
	earlyScan.catch(() => undefined); // the first loadWorkspace() reports it
	const registry = () => loadRegistry({pluginDirs: options.pluginDirs, cwd: options.cwd, env: options.env});

	return {
		root: options.root,
		loadWorkspace,
		watchWorkspace(onChange, signal) {
			// Watching reads every folder of the tree (twice) and puts a watch on each: 30-90 ms of CPU on
			// 1,500 apps, taken after the first workspace was handed over rather than from the first frame.
			// A folder added or removed in between is caught by comparing the first look with that scan.
			void (async () => {
				await firstHandedOver;
				await sleep(WATCH_DELAY_MS, signal);
				if (signal.aborted) return;
				const scanned = lastWorkspace;
				followAppsRoot(options.root, onChange, signal, {
					onFirstLook(folders) {
						if (scanned === null || differentApps(options.root, folders, scanned)) onChange();
					},
				});
			})();
		},
		async engineInfo() {
			// After the workspace: detecting compose spawns processes and loads modules that would
			// otherwise delay the first full frame.
			await (firstLoad ?? loadWorkspace()).catch(() => undefined);
			const [engine, client] = await Promise.allSettled([listContainers({labels: [PROJECT_LABEL]}, options.env), compose()]);
			const problems = [engine, client].flatMap(r => (r.status === 'rejected' ? [errorMessage(r.reason)] : []));
			return {
				reachable: engine.status === 'fulfilled',
				composeVersion: client.status === 'fulfilled' ? `${client.value.binary.version} (${client.value.binary.flavour})` : null,
				problem: problems[0] ?? null,
			};
		},
		watchStates(onStates, onError, signal) {
			const controller = new AbortController();
			disposers.add(controller);
			signal.addEventListener('abort', () => controller.abort(), {once: true});
			void (async () => {
				try {
					// The watch asks for the app list on every refresh; start it once there is one.
					lastWorkspace ??= await (firstLoad ?? loadWorkspace());
					const early = earlyList ?? undefined;
					earlyList = null;
					// Not through the compose client (whose watch is the same watchFleet): states come from the
					// engines, and detecting compose must not delay them.
					await watchFleet(
						{
							...(early !== undefined ? {early} : {}),
							apps: () => lastWorkspace?.models.flatMap(m => m.apps) ?? [],
							signal: controller.signal,
							refreshWith(refresh) {
								refreshWatches.add(refresh);
								controller.signal.addEventListener('abort', () => refreshWatches.delete(refresh), {once: true});
							},
							onChange(status) {
								traceStartup('states');
								statesArrived();
								const states = new Map<string, ProjectState>();
								for (const app of status.apps) {
									states.set(app.projectName, {state: app.state, services: app.services.map(toServiceStatus), engine: app.engine});
								}
								onStates(states, status.engines);
								if (!status.engine.reachable) onError(status.engine.message ?? 'the Docker Engine is not reachable');
							},
						},
						options.env,
					);
				} catch (error) {
					if (!controller.signal.aborted) onError(`live state stopped: ${errorMessage(error)}`);
				} finally {
					statesArrived();
					disposers.delete(controller);
				}
			})();
		},
		async runAction(action, app, {signal, onLine, services}) {
			// An action already running is not killed (compose stopped half-way leaves a half-made stack);
			// one whose turn comes after the UI closed does not start.
			if (signal.aborted) throw new BerthError(`${action} of ${app.id} cancelled: berth is closing`, {code: 'cancelled'});
			const client = await compose();
			const forward = {onLine: (line: {text: string}) => onLine(line.text), ...(services ? {services} : {})};
			switch (action) {
				case 'up':
					await client.up(app, forward);
					return;
				case 'build':
					await client.up(app, {...forward, build: true});
					return;
				case 'stop':
					await client.stop(app, forward);
					return;
				case 'restart':
					await client.restart(app, forward);
					return;
				case 'down':
					await client.down(app, forward);
					return;
			}
		},
		async *followLogs(app, {signal, tail, services}): AsyncIterable<LogLine> {
			const client = await compose();
			for await (const line of client.logs(app, {follow: true, tail, signal, services})) {
				yield {service: line.service, text: line.text, timestamp: line.timestamp, berth: line.stream === 'berth', ...(line.event ? {event: line.event} : {})};
			}
		},
		listAllocations: () => listAllocations(store),
		async checkPorts() {
			const {checkFleetPorts} = await import('../core/compose/fleet-ports.ts');
			return (await checkFleetPorts(await store.read(), lastWorkspace ?? (await loadWorkspace()), {storeFile: options.storeFile})).conflicts;
		},
		async releasePorts(app) {
			const removed = await releaseAllocation(store, app);
			if (!removed) throw new BerthError(`${app.model}/app${app.number} has no allocation in ${options.storeFile}`, {code: 'not-found'});
		},
		async listFlavours(): Promise<FlavourChoice[]> {
			const {variablePrompt} = await import('../core/scaffold/answers.ts');
			return (await registry()).usable().map(plugin => ({
				id: plugin.id,
				name: plugin.name,
				description: plugin.description,
				variables: plugin.manifest.variables.filter(v => !v.secret).map(variablePrompt),
			}));
		},
		async planApp(request) {
			const {nextAppNumber, planScaffold} = await loadScaffold();
			const plugin = (await registry()).get(request.flavour);
			const number = await nextAppNumber(options.root, request.model, options.storeFile);
			const plan = await planScaffold({
				root: options.root,
				storeFile: options.storeFile,
				app: {model: request.model, number},
				plugin,
				answers: request.variables,
				mode: 'new',
			});
			const view: AppPlan = {
				appId: `${request.model}/app${number}`,
				appPath: plan.appDir,
				files: [...plan.files.map(f => ({path: f.path, action: f.action})), {path: plan.stateFile.path, action: plan.stateFile.action}],
				ports: plan.ports,
			};
			plans.set(view, plan);
			return view;
		},
		async createApp(view) {
			const plan = plans.get(view);
			if (!plan) throw new BerthError(`no plan for ${view.appId}: plan it again`, {code: 'stale-plan'});
			const {commitPlan} = await loadScaffold();
			await commitPlan(plan);
		},
		async adoptionStatus(apps) {
			// After the workspace, like engineInfo: the first frame does not wait for compose.
			await (firstLoad ?? loadWorkspace()).catch(() => undefined);
			const statuses = new Map<string, AdoptionStatus>();
			// Flavour apps publish the ports berth allocated them: nothing to adopt, no model to read.
			const candidates = apps.filter(app => app.hasCompose && !app.flavour);
			if (candidates.length === 0) return statuses;
			const doc = await store.read();
			for (const app of candidates.filter(a => a.berthOverride)) {
				const adoption = findAllocation(doc, app.model, app.number)?.adoption;
				statuses.set(app.id, {fixed: [], containerNames: [], adopted: adoption?.ports ?? [], error: null});
			}
			const unadopted = candidates.filter(a => !a.berthOverride);
			if (unadopted.length === 0) return statuses;
			// The model loader (yaml, compose) loads only for a fleet that has apps to check.
			const [{wantedSlots, fixedContainerNames}, , {loadModels, modelCacheDir}] = await loadAdopt();
			const {signal, done} = closing();
			try {
				const {models} = await loadModels(unadopted, {binary: await composeBinary(), env: options.env, cacheDir: modelCacheDir(options.storeFile), signal});
				for (const app of unadopted) {
					const model = models.get(app.id);
					if (!model) continue;
					if (model.error) {
						statuses.set(app.id, {fixed: [], containerNames: [], adopted: null, error: model.error});
						continue;
					}
					// The rule `adopt` plans by: what it would remap is what the badge shows.
					const {slots} = wantedSlots(model, new Set(Object.values(app.ports ?? {})));
					const names = fixedContainerNames(model, app.projectName).map(n => n.service);
					statuses.set(app.id, {fixed: slots, containerNames: names, adopted: null, error: null});
				}
				return statuses;
			} finally {
				done();
			}
		},
		planAdoption: apps => adoptEach(apps, true),
		adopt: apps => adoptEach(apps, false),
		async openShell(target) {
			const {handTerminal} = options;
			if (!handTerminal) throw new BerthError('a shell needs the terminal UI', {code: 'no-tty'});
			const {checkShellTarget, runShell} = await import('../core/docker/shell.ts');
			await checkShellTarget(target, options.env);
			return handTerminal(() => runShell(target, options.env));
		},
		async openUrl(url) {
			const {openUrl} = await import('../core/open-url.ts');
			return openUrl(url, options.env);
		},
		dispose() {
			for (const controller of disposers) controller.abort();
		},
	};
}
