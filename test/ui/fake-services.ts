/** Fake `BerthServices` for UI tests: an in-memory workspace, live states the test pushes, logs it feeds. */
import type {
	AdoptedPort,
	AdoptionReport,
	AdoptionStatus,
	Allocation,
	AppPlan,
	BerthServices,
	ComposeAction,
	EngineInfo,
	EngineState,
	FlavourChoice,
	FlavourVariable,
	LogLine,
	NewAppRequest,
	PortConflict,
	ProjectState,
	ProjectStates,
	ServiceStatus,
	ShellTarget,
	Workspace,
	WorkspaceApp,
} from '../../source/ui/services.ts';
import type {z} from 'zod';
import {ProjectNameIndex} from '../../source/core/project-names.ts';
import {VariableSchema} from '../../source/core/plugins/manifest.ts';
import {variablePrompt} from '../../source/core/scaffold/answers.ts';
import {appStateOf, serviceStateOf} from '../../source/core/compose/state.ts';

/** A wizard prompt from a manifest variable, checked by core's own rules (as the real services do). */
export function promptOf(variable: z.input<typeof VariableSchema>): FlavourVariable {
	return variablePrompt(VariableSchema.parse(variable));
}

export function fakeApp(model: string, number: number, extra: Partial<WorkspaceApp> = {}): WorkspaceApp {
	return {
		id: `${model}/app${number}`,
		model,
		number,
		path: `/apps/${model}/app${number}`,
		flavour: 'react-flask',
		ports: {backend: 5000 + number * 2 - 1, frontend: 8000 + number * 2 - 1},
		projectName: `${model.replace(/[^a-z0-9]/g, '-')}-app${number}`,
		hasCompose: true,
		composeFile: `/apps/${model}/app${number}/docker-compose.yml`,
		berthOverride: null,
		engine: null,
		...extra,
	};
}

export function fakeWorkspace(models: number, appsPerModel: number): Workspace {
	return {
		root: '/apps',
		warnings: [],
		names: new ProjectNameIndex(),
		conflicts: [],
		models: Array.from({length: models}, (_, m) => {
			const id = `model-${String(m + 1).padStart(3, '0')}`;
			return {id, apps: Array.from({length: appsPerModel}, (_, a) => fakeApp(id, a + 1))};
		}),
	};
}

/** A service row as core hands it to the UI: its `status` word decided by core from state, health and exit code. */
export function runningService(service: string, extra: Partial<Omit<ServiceStatus, 'status'>> = {}): ServiceStatus {
	const row = {service, container: `c-${service}`, state: 'running', health: null, exitCode: null, ports: [], startedAt: 0, restarts: 0, ...extra};
	return {...row, status: serviceStateOf(row)};
}

/** The current context of the fake: where an app placed nowhere runs. */
export const CURRENT_ENGINE = 'default';

/**
 * Every app of `workspace` with core's word for it: the given services, else none (not created); on
 * its engine (placed nowhere: CURRENT_ENGINE). The apps of an engine in `down` are `unknown`, as the
 * real watch makes them while that engine does not answer.
 */
export function projectStates(workspace: Workspace, states: Record<string, ServiceStatus[]>, down: ReadonlySet<string> = new Set()): ProjectStates {
	const map = new Map<string, ProjectState>();
	for (const app of workspace.models.flatMap(m => m.apps)) {
		const engine = app.engine ?? CURRENT_ENGINE;
		const services = down.has(engine) ? [] : (states[app.projectName] ?? []);
		map.set(app.projectName, {state: down.has(engine) ? 'unknown' : appStateOf(services, app.hasCompose), services, engine});
	}
	return map;
}

/** The state of each engine holding an app of `workspace` (the current one when none does), as the real watch gives them. */
export function engineStates(workspace: Workspace, down: ReadonlyMap<string, string> = new Map()): EngineState[] {
	const names = new Set(workspace.models.flatMap(m => m.apps.map(app => app.engine ?? CURRENT_ENGINE)));
	if (names.size === 0) names.add(CURRENT_ENGINE);
	return [...names].map(name => ({name, reachable: !down.has(name), message: down.get(name) ?? null}));
}

function nothingToAdopt(app: WorkspaceApp): AdoptionReport {
	const flavour = app.flavour !== null;
	return {
		app: app.id,
		status: flavour ? 'flavour' : 'nothing-to-adopt',
		message: flavour
			? `scaffolded from flavour ${app.flavour}: its ports are allocated by berth already, nothing to adopt`
			: 'it publishes no fixed host port and sets no container name: nothing to adopt',
		projectName: app.projectName,
		ports: [],
		released: [],
		containerNames: [],
		kept: [],
		override: null,
		hazards: [],
	};
}

/** A log stream the test writes into. */
class LogFeed {
	lines: LogLine[] = [];
	ended = false;
	wake: (() => void) | null = null;
	push(...lines: LogLine[]) {
		this.lines.push(...lines);
		this.wake?.();
	}
	end() {
		this.ended = true;
		this.wake?.();
	}
	/** The lines of `services` only (all when empty), as compose's `logs <service>` gives them. */
	async *iterate(signal: AbortSignal, services: readonly string[] = []): AsyncIterable<LogLine> {
		const onAbort = () => this.wake?.();
		signal.addEventListener('abort', onAbort);
		try {
			let index = 0;
			while (!signal.aborted) {
				while (index < this.lines.length) {
					const line = this.lines[index++]!;
					if (services.length === 0 || services.includes(line.service)) yield line;
				}
				if (this.ended) return;
				await new Promise<void>(resolve => (this.wake = resolve));
			}
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	}
}

export interface FakeServices extends BerthServices {
	workspace: Workspace;
	/** Every action run; `services` when it was limited to some services of the app. */
	calls: {action: ComposeAction; app: string; services?: string[]}[];
	/** Every shell opened (`openShell`), and what the next one answers: an exit code or a refusal. */
	shells: ShellTarget[];
	shellAnswer: number | Error;
	/** Most actions running at once so far. */
	maxConcurrent: number;
	/** Pushes a new live-state snapshot to the UI: these projects' services, every other app not created. */
	setStates(states: Record<string, ServiceStatus[]>): void;
	failState(message: string): void;
	/** Loses the Engine as the real watch does: every app `unknown`, then the error; `setStates` brings it back. */
	loseEngine(message?: string): void;
	/**
	 * Loses one of several engines as the real watch does: its apps `unknown`, the others as last set,
	 * then the error naming it; `setStates` brings every engine back.
	 */
	loseEngineNamed(name: string, message?: string): void;
	/** The apps root changed on disk: `workspace` is what a scan now finds (the UI is told, as by the real watch). */
	changeDisk(workspace: Workspace): void;
	/** The Engine is down (set before rendering: from the start); `loseEngine` sets it, `setStates` clears it. */
	engineDown: string | null;
	/**
	 * Like the real watch, a workspace (re)load makes the watch answer again for the apps it now holds;
	 * `true` holds that answer back (the moment between the two).
	 */
	watchLags: boolean;
	logs: Map<string, LogFeed>;
	feed(appId: string): LogFeed;
	/** Every `followLogs` call: the app and the services asked for (empty: all). */
	followed: {app: string; services: string[]}[];
	allocations: Allocation[];
	conflicts: PortConflict[];
	released: string[];
	created: NewAppRequest[];
	/** Makes every action take this long (ms). */
	actionMs: number;
	/** Actions of these apps fail. */
	failing: Set<string>;
	/** Lines each action prints. */
	actionOutput: string[];
	/** What `adoptionStatus` answers, by app id (see `adoptable`). */
	adoptions: Map<string, AdoptionStatus>;
	/** What `planAdoption` answers per app (see `adoptable`); an app without one has nothing to adopt. */
	adoptionPlans: Map<string, AdoptionReport>;
	/** Every `adoptionStatus`, `planAdoption` and `adopt` call, with the app ids asked about. */
	adoptionCalls: {call: 'status' | 'plan' | 'adopt'; apps: string[]}[];
	/** Makes `planAdoption` reject with this message (e.g. compose v1). */
	adoptionProblem: string | null;
}

/** A fixed host port of a compose app that `adopt` would remap. */
export function fixedPort(service: string, target: number, protocols: AdoptedPort['protocols'] = ['tcp'], original = [target]) {
	const slot = `${service}-${target}${protocols.includes('tcp') ? '' : `-${protocols.join('-')}`}`;
	return {slot, service, target, protocols, hostIps: [null], original};
}

/**
 * Makes `appId` a compose app (no flavour) that publishes fixed ports: badged, and `adopt` gives each
 * port the next of `allocated` (and replaces the container names). `hazards`: what cannot be made safe.
 */
export function adoptable(
	fake: FakeServices,
	appId: string,
	fixed: ReturnType<typeof fixedPort>[],
	{allocated = 20_000, containerNames = [] as string[], hazards = [] as string[]} = {},
): void {
	fake.workspace = {
		...fake.workspace,
		models: fake.workspace.models.map(m => ({...m, apps: m.apps.map(a => (a.id === appId ? {...a, flavour: null, ports: null} : a))})),
	};
	const app = fake.workspace.models.flatMap(m => m.apps).find(a => a.id === appId)!;
	fake.adoptions.set(appId, {fixed, containerNames, adopted: null, error: null});
	fake.adoptionPlans.set(appId, {
		app: appId,
		status: 'would-adopt',
		message: 'would be adopted (dry run: nothing written)',
		projectName: app.projectName,
		ports: fixed.map((p, i) => ({...p, allocated: allocated + i})),
		released: [],
		containerNames: containerNames.map(service => ({service, original: service, replaced: `${app.projectName}-${service}`})),
		kept: [],
		override: `/data/berth/overrides/${app.model}/app${app.number}.compose.yaml`,
		hazards: hazards.map(message => ({kind: 'bind-outside', service: null, message})),
	});
}

export function fakeServices(workspace: Workspace = fakeWorkspace(3, 4), overrides: Partial<BerthServices> = {}): FakeServices {
	type Listener = {onStates: (s: ProjectStates, engines?: readonly EngineState[]) => void; onError: (m: string) => void};
	const listeners = new Set<Listener>();
	let running = 0;
	let lastStates: Record<string, ServiceStatus[]> = {};
	// The engines that do not answer (loseEngineNamed), with their messages.
	const downEngines = new Map<string, string>();
	const diskListeners = new Set<() => void>();
	const snapshot = () => projectStates(fake.workspace, lastStates, new Set(downEngines.keys()));
	const pushStates = () => {
		for (const l of listeners) {
			l.onStates(snapshot(), engineStates(fake.workspace, downEngines));
			const [down] = downEngines;
			if (down) l.onError(`engine ${down[0]}: ${down[1]}`);
		}
	};
	const engineLost = (l: Listener, message: string) => {
		const engines = engineStates(fake.workspace);
		l.onStates(
			projectStates(fake.workspace, {}, new Set(engines.map(e => e.name))),
			engines.map(e => ({...e, reachable: false, message})),
		);
		l.onError(message);
	};
	const fake: FakeServices = {
		root: workspace.root,
		workspace,
		calls: [],
		shells: [],
		shellAnswer: 0,
		maxConcurrent: 0,
		logs: new Map(),
		followed: [],
		allocations: [],
		conflicts: [],
		released: [],
		created: [],
		actionMs: 0,
		failing: new Set(),
		actionOutput: [],
		adoptions: new Map(),
		adoptionPlans: new Map(),
		adoptionCalls: [],
		adoptionProblem: null,
		engineDown: null,
		watchLags: false,
		feed(appId) {
			let feed = this.logs.get(appId);
			if (!feed) {
				feed = new LogFeed();
				this.logs.set(appId, feed);
			}
			return feed;
		},
		setStates(states) {
			lastStates = states;
			fake.engineDown = null;
			downEngines.clear();
			pushStates();
		},
		loseEngineNamed(name, message = 'the Docker Engine is not reachable (tcp://10.99.1.2:2375: connect ECONNREFUSED)') {
			downEngines.set(name, message);
			pushStates();
		},
		failState(message) {
			for (const l of listeners) l.onError(message);
		},
		loseEngine(message = 'the Docker Engine is not reachable (/var/run/docker.sock: connect ENOENT). Start it') {
			fake.engineDown = message;
			for (const l of listeners) engineLost(l, message);
		},
		changeDisk(next) {
			fake.workspace = next;
			for (const onChange of diskListeners) onChange();
		},
		watchWorkspace(onChange, signal) {
			diskListeners.add(onChange);
			signal.addEventListener('abort', () => diskListeners.delete(onChange));
		},
		async loadWorkspace() {
			if (!fake.watchLags) setTimeout(() => (fake.engineDown === null ? pushStates() : fake.loseEngine(fake.engineDown)), 0);
			return fake.workspace;
		},
		async engineInfo(): Promise<EngineInfo> {
			return {reachable: true, composeVersion: '1.29.2 (v1)', problem: null};
		},
		watchStates(onStates, onError, signal) {
			const entry = {onStates, onError};
			listeners.add(entry);
			signal.addEventListener('abort', () => listeners.delete(entry));
			// Like the real watch: the first snapshot at once (nothing created yet, or nothing known).
			if (fake.engineDown !== null) engineLost(entry, fake.engineDown);
			else onStates(projectStates(fake.workspace, {}), engineStates(fake.workspace));
		},
		async runAction(action, app, {onLine, services}) {
			fake.calls.push({action, app: app.id, ...(services ? {services: [...services]} : {})});
			running++;
			fake.maxConcurrent = Math.max(fake.maxConcurrent, running);
			try {
				for (const line of fake.actionOutput) onLine(line);
				if (fake.actionMs > 0) await new Promise(resolve => setTimeout(resolve, fake.actionMs));
				if (fake.failing.has(app.id)) throw new Error(`port 5001 is already used by process 4121 (python3)`);
			} finally {
				running--;
			}
		},
		followLogs(app, {signal, services}) {
			fake.followed.push({app: app.id, services: [...(services ?? [])]});
			return fake.feed(app.id).iterate(signal, services);
		},
		async listAllocations() {
			return fake.allocations;
		},
		async checkPorts() {
			return fake.conflicts;
		},
		async releasePorts(app) {
			fake.released.push(`${app.model}/app${app.number}`);
			fake.allocations = fake.allocations.filter(a => !(a.model === app.model && a.app === app.number));
		},
		async listFlavours(): Promise<FlavourChoice[]> {
			return [
				{id: 'fastapi-vite', name: 'FastAPI + Vite', description: 'Python API with a Vite frontend', variables: []},
				{
					id: 'react-flask',
					name: 'React + Flask',
					description: 'Flask API, React SPA behind nginx',
					variables: [promptOf({name: 'appTitle', description: 'Title of the app', default: 'Shop'})],
				},
				{
					id: 'shop-kit',
					name: 'Shop kit',
					description: 'A shop with every kind of variable: text, choices, yes/no and numbers',
					variables: [
						promptOf({name: 'slug', description: 'URL slug', pattern: '[a-z]+'}),
						promptOf({name: 'size', description: 'Instance size', choices: ['small', 'medium', 'large'], default: 'medium'}),
						promptOf({name: 'seed', description: 'Seed demo data', type: 'boolean', default: false}),
						promptOf({name: 'replicas', description: 'Workers', type: 'number', default: 2}),
					],
				},
			];
		},
		async planApp(request): Promise<AppPlan> {
			const model = fake.workspace.models.find(m => m.id === request.model);
			const number = (model?.apps.length ?? 0) + 1;
			return {
				appId: `${request.model}/app${number}`,
				appPath: `/apps/${request.model}/app${number}`,
				files: [
					{path: 'docker-compose.yml', action: 'create'},
					{path: '.env', action: 'create'},
				],
				ports: {backend: 5101, frontend: 8101},
			};
		},
		async createApp(plan, request) {
			fake.created.push(request);
			const number = Number(plan.appId.split('/app')[1]);
			const app = fakeApp(request.model, number, {flavour: request.flavour});
			const model = fake.workspace.models.find(m => m.id === request.model);
			const models = model
				? fake.workspace.models.map(m => (m === model ? {...m, apps: [...m.apps, app]} : m))
				: [...fake.workspace.models, {id: request.model, apps: [app]}].sort((a, b) => (a.id < b.id ? -1 : 1));
			fake.workspace = {...fake.workspace, models};
		},
		async openUrl(url) {
			return `opened ${url}`;
		},
		async openShell(target) {
			fake.shells.push(target);
			if (fake.shellAnswer instanceof Error) throw fake.shellAnswer;
			return fake.shellAnswer;
		},
		async adoptionStatus(apps) {
			fake.adoptionCalls.push({call: 'status', apps: apps.map(a => a.id)});
			return new Map([...fake.adoptions].filter(([id]) => apps.some(a => a.id === id)));
		},
		async planAdoption(apps) {
			fake.adoptionCalls.push({call: 'plan', apps: apps.map(a => a.id)});
			if (fake.adoptionProblem) throw new Error(fake.adoptionProblem);
			return apps.map(app => fake.adoptionPlans.get(app.id) ?? nothingToAdopt(app));
		},
		async adopt(apps) {
			fake.adoptionCalls.push({call: 'adopt', apps: apps.map(a => a.id)});
			return apps.map(app => {
				const plan = fake.adoptionPlans.get(app.id);
				if (!plan) return nothingToAdopt(app);
				if (fake.failing.has(app.id)) return {...plan, status: 'failed', message: 'the store is locked by another berth', ports: []};
				// As the real one: the store holds the remapping, the app gets berth's override.
				const ports = Object.fromEntries(plan.ports.map(p => [p.slot, p.allocated]));
				fake.workspace = {
					...fake.workspace,
					models: fake.workspace.models.map(m => ({...m, apps: m.apps.map(a => (a.id === app.id ? {...a, ports, berthOverride: plan.override} : a))})),
				};
				fake.adoptions.set(app.id, {fixed: [], containerNames: [], adopted: plan.ports, error: null});
				return {...plan, status: 'adopted', message: `${plan.ports.length} port(s) remapped`};
			});
		},
		...overrides,
	};
	return fake;
}
