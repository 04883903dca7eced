/**
 * Everything the terminal UI needs from berth's core, as one interface. The UI gets it through one
 * React context (`ServicesProvider`); components, hooks and screens never import I/O modules. The real
 * implementation is built by `createServices()` (create-services.ts); tests inject fakes.
 */
import type {Allocation} from '../core/ports/allocator.ts';
import type {PortConflict} from '../core/ports/check.ts';
import type {Workspace, WorkspaceApp, WorkspaceModel} from '../core/workspace/discover.ts';
import type {AppRef} from '../core/ids.ts';
import type {AppStateName, LogEvent, ServiceStateName} from '../core/compose/types.ts';
import type {AdoptedPort} from '../core/ports/allocator.ts';
import type {WantedSlot} from '../core/compose/adopt.ts';
import type {AdoptReport} from '../core/compose/adopt-report.ts';
import type {Hazard} from '../core/compose/hazards.ts';
import type {ShellTarget} from '../core/docker/shell.ts';
import type {VariablePrompt} from '../core/scaffold/answers.ts';
import type {EngineState} from '../core/compose/fleet-status.ts';

export type {
	Allocation,
	PortConflict,
	Workspace,
	WorkspaceApp,
	WorkspaceModel,
	AppRef,
	AppStateName,
	LogEvent,
	ServiceStateName,
	AdoptedPort,
	Hazard,
	WantedSlot,
	ShellTarget,
	EngineState,
};

/** What the header shows about the Docker Engine and compose. */
export interface EngineInfo {
	reachable: boolean;
	/** e.g. "1.29.2 (v1)", or `null` when no compose was found. */
	composeVersion: string | null;
	/** Why the engine or compose is not usable, in words a user can act on. */
	problem: string | null;
}

/** One compose service of an app, as the status pane shows it. */
export interface ServiceStatus {
	service: string;
	container: string;
	/** The Engine's state: created, running, paused, restarting, removing, exited, dead */
	state: string;
	/** berth's word for it, decided by core (`serviceStateOf`): what the status pane shows. */
	status: ServiceStateName;
	health: 'healthy' | 'unhealthy' | 'starting' | null;
	/** The exit code of a container that is not running (`null` while it runs). */
	exitCode: number | null;
	ports: {hostIp: string; hostPort: number; containerPort: number; protocol: string}[];
	/** When the container (last) started, ms since the epoch; `null` when unknown or not running. */
	startedAt: number | null;
	/** `null` until the Engine was asked about the container itself (the first frame shows the list's states). */
	restarts: number | null;
}

/** The live state of one app: core's word for it and its services. */
export interface ProjectState {
	state: AppStateName;
	services: readonly ServiceStatus[];
	/** The engine (Docker context) it is on, an app placed nowhere resolved to the current context's name. */
	engine?: string;
}

/**
 * The live state of every app of the workspace, keyed by project name (core decides every word: an
 * app missing from the map has had no answer yet; every app is `unknown` while the engine is gone).
 */
export type ProjectStates = ReadonlyMap<string, ProjectState>;

export type ComposeAction = 'up' | 'stop' | 'restart' | 'down' | 'build';

/** One line of a log stream. */
export interface LogLine {
	service: string;
	text: string;
	/** The container's RFC 3339 timestamp (`null` / absent on berth's own lines). */
	timestamp?: string | null;
	/** berth's own line (a marker, dropped lines, docker's message), not the container's. */
	berth?: boolean;
	/** On a marker: what happened (core's LogEvent); `service` set: to that service while the app runs on. */
	event?: LogEvent;
}

/** A flavour plugin as the new-app wizard offers it. */
export interface FlavourChoice {
	id: string;
	name: string;
	description: string;
	variables: FlavourVariable[];
}

/** A flavour's variable as the wizard asks for it: its kind, what it accepts, a check per value (core/scaffold/answers.ts). */
export type FlavourVariable = VariablePrompt;

export interface NewAppRequest {
	model: string;
	flavour: string;
	variables: Record<string, string>;
}

/** What creating an app would do; nothing is written until `createApp`. */
export interface AppPlan {
	/** `<model>/app<N>` */
	appId: string;
	appPath: string;
	files: {path: string; action: string}[];
	ports: Record<string, number>;
}

/**
 * What the apps pane and the status pane show of a compose app's own ports: what `adopt` would remap
 * (the badge), or the remapping in force. Apps scaffolded from a flavour have none (berth wrote their ports).
 */
export interface AdoptionStatus {
	/** The fixed host ports `adopt` would remap, one per service and container port; empty when none or adopted. */
	fixed: WantedSlot[];
	/** Services whose fixed `container_name` `adopt` would replace. */
	containerNames: string[];
	/** The remapping in force (`berth adopt` ran); `null` when the app is not adopted. */
	adopted: AdoptedPort[] | null;
	/** Compose refused the app's files: why (the app is then not badged). */
	error: string | null;
}

/**
 * What adopting one app would do (a dry run) or did, as `berth adopt` reports it, with what cannot be
 * made safe (hazards: shared networks, volumes, host network ...).
 */
export type AdoptionReport = AdoptReport;

/**
 * The UI's window on berth's core. Methods that the running build cannot provide reject with a
 * `BerthError` whose message says so; the UI shows it as a message.
 */
export interface BerthServices {
	/** The apps root the UI shows. */
	readonly root: string;
	/** Scans the apps root and merges the port store. */
	loadWorkspace(): Promise<Workspace>;
	/**
	 * Calls `onChange` (once per burst) when a model or app folder is added, removed or renamed under the
	 * apps root, or an app's compose or state file comes or goes, until `signal` aborts: load it again then.
	 */
	watchWorkspace(onChange: () => void, signal: AbortSignal): void;
	engineInfo(): Promise<EngineInfo>;
	/**
	 * Follows the live state of every app (initial snapshot, then one call per change) until `signal`
	 * aborts. An unreachable engine is a snapshot (every app `unknown`) followed by `onError`; a later
	 * snapshot alone means it is back. Other errors go to `onError`. Each snapshot also gives the state
	 * of every engine that answered (the header lists them when the apps are on several).
	 */
	watchStates(onStates: (states: ProjectStates, engines?: readonly EngineState[]) => void, onError: (message: string) => void, signal: AbortSignal): void;
	/**
	 * Runs a compose action on an app; its output (pull / build / up progress) goes to `onLine`. When
	 * `signal` has aborted before the action starts, it rejects without running it. `services` limits it
	 * to those services of the app (the status pane's per-service actions).
	 */
	runAction(
		action: ComposeAction,
		app: WorkspaceApp,
		options: {signal: AbortSignal; onLine: (line: string) => void; services?: readonly string[]},
	): Promise<void>;
	/** Follows an app's logs, or only `services`' (a short tail first), until `signal` aborts. */
	followLogs(app: WorkspaceApp, options: {signal: AbortSignal; tail: number; services?: readonly string[]}): AsyncIterable<LogLine>;
	listAllocations(): Promise<Allocation[]>;
	checkPorts(): Promise<PortConflict[]>;
	releasePorts(app: AppRef): Promise<void>;
	listFlavours(): Promise<FlavourChoice[]>;
	planApp(request: NewAppRequest): Promise<AppPlan>;
	createApp(plan: AppPlan, request: NewAppRequest): Promise<void>;
	/**
	 * Each app's adoption status by app id (apps with no compose file or a flavour are absent). It may ask
	 * compose for the apps' models (cached beside the store): the UI loads it after the first frame.
	 */
	adoptionStatus(apps: readonly WorkspaceApp[]): Promise<ReadonlyMap<string, AdoptionStatus>>;
	/** What `adopt` would do to each app (a dry run: nothing is written). Rejects when this compose cannot adopt at all. */
	planAdoption(apps: readonly WorkspaceApp[]): Promise<AdoptionReport[]>;
	/** Adopts the apps one after the other; an app that fails is a `failed` report, the others are still done. */
	adopt(apps: readonly WorkspaceApp[]): Promise<AdoptionReport[]>;
	/**
	 * Opens a shell in a service's container (`docker exec -it`, bash when the image has it): the UI
	 * gives up the terminal until the shell exits, then draws itself again. Resolves with the shell's
	 * exit code; rejects, without touching the terminal, when the container is not running or the
	 * Engine does not answer.
	 */
	openShell(target: ShellTarget): Promise<number>;
	/** Opens a URL in the user's browser; resolves with what happened, for the footer. */
	openUrl(url: string): Promise<string>;
}
