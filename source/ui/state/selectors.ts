/**
 * Pure derivations of what the screen shows from the workspace and the live states (unit-tested in
 * test/ui/state/selectors.test.ts). Every state word and total is core's (core/compose/state.ts): these
 * only look them up and count them per model.
 */
import {fleetTotals, needsAttention} from '../../core/compose/state.ts';
import {enginesInUse, severalEngines} from '../../core/compose/fleet-status.ts';
import type {FleetTotals} from '../../core/compose/types.ts';
import type {AppStateName, EngineState, ProjectStates, ServiceStatus, Workspace, WorkspaceApp} from '../services.ts';
import {applyFilter, selectedIndex, type UiState} from './ui-reducer.ts';

export type {FleetTotals};

/** A row of the models pane. */
export interface ModelRow {
	id: string;
	apps: number;
	/** Apps of the model with a running container; `null` while the Engine has told the state of none of them. */
	running: number | null;
	/** Apps of the model that need a look (unhealthy, crash-loop, error: core's `needsAttention`): the pane's mark. */
	attention: number;
	/** The state words of the model's apps and their services: what the models filter matches besides the id. */
	states: readonly string[];
	/** The engines its apps are on (`engine=<name>` finds the models holding an app there). */
	engines?: readonly string[];
}

const NO_SERVICES: readonly ServiceStatus[] = [];

/**
 * Core's word for an app from the live states; `undefined` (drawn `unknown`) for an app the watch has
 * not answered for: before its first snapshot, or a folder new since. Never "no containers": the Engine
 * was not asked about it yet, and a running app must not flash as not created.
 */
export function appStateIn(states: ProjectStates, app: WorkspaceApp): AppStateName | undefined {
	return states.get(app.projectName)?.state;
}

/**
 * The engine (Docker context) an app is on: as the live watch resolved it (an app placed nowhere is
 * on the current context), else as placed; `null` for an app placed nowhere before the watch answered.
 */
export function appEngineIn(states: ProjectStates, app: WorkspaceApp): string | null {
	return states.get(app.projectName)?.engine ?? app.engine;
}

/** An engine as the header lists it: answering (`ok`), not (`unreachable`), or not heard from yet (`waiting`). */
export interface EngineRow {
	name: string;
	state: 'ok' | 'unreachable' | 'waiting';
}

/**
 * The engines the workspace's apps are on, in the apps' order, each with its state from the last
 * snapshot; `null` while they are all on one engine (core's rule, the one `ps` adds its ENGINE column
 * by): the header then says `engine ok` and the rows carry no engine badge. An app whose engine is not
 * known yet (placed nowhere, no answer) is left out rather than counted as an engine of its own.
 */
export function engineRows(workspace: Workspace | null, states: ProjectStates, engines: readonly EngineState[]): EngineRow[] | null {
	const placed = (workspace?.models ?? []).flatMap(m => m.apps.flatMap(app => appEngineIn(states, app) ?? []).map(engine => ({engine})));
	if (!severalEngines(placed)) return null;
	return enginesInUse(placed).map(name => {
		const known = engines.find(e => e.name === name);
		return {name, state: known === undefined ? 'waiting' : known.reachable ? 'ok' : 'unreachable'};
	});
}

/** The app's services as last seen (none when not known). */
export function servicesOf(states: ProjectStates, app: WorkspaceApp | null): readonly ServiceStatus[] {
	return (app && states.get(app.projectName)?.services) || NO_SERVICES;
}

/** The status pane's selected service: the one named, else the first (`null` when the app has none). */
export function selectedService(services: readonly ServiceStatus[], name: string | null): ServiceStatus | null {
	return services.find(s => s.service === name) ?? services[0] ?? null;
}

/** Every app of the workspace by id. */
export function appsById(workspace: Workspace | null): Map<string, WorkspaceApp> {
	const map = new Map<string, WorkspaceApp>();
	for (const model of workspace?.models ?? []) for (const app of model.apps) map.set(app.id, app);
	return map;
}

/**
 * The state words an app is found by (the filters): its own (`unknown` when not known) and each of its
 * services' (berth's word and the Engine's: `restarting` finds a crash-looping app).
 */
export function appStateWords(states: ProjectStates, app: WorkspaceApp): string[] {
	const words = new Set<string>([appStateIn(states, app) ?? 'unknown']);
	for (const service of servicesOf(states, app)) words.add(service.status).add(service.state);
	return [...words];
}

/** Whether the Engine told the state of `app` (not before the watch's first answer, nor while it is unreachable). */
const stateKnown = (states: ProjectStates, app: WorkspaceApp) => (appStateIn(states, app) ?? 'unknown') !== 'unknown';

/**
 * The models pane's rows and the header's totals: core's counts, per model and for the fleet. `known`
 * is false while the Engine has told the state of no app: a count of 0 would then claim what berth
 * does not know (a fleet of running apps shown as none running), so the screen shows "…" instead.
 */
export function fleetSummary(workspace: Workspace | null, states: ProjectStates): {modelRows: ModelRow[]; totals: FleetTotals; known: boolean} {
	const known = (apps: readonly WorkspaceApp[]) => apps.flatMap(app => states.get(app.projectName) ?? []);
	const models = workspace?.models ?? [];
	return {
		known: models.some(model => model.apps.some(app => stateKnown(states, app))),
		modelRows: models.map(model => ({
			id: model.id,
			apps: model.apps.length,
			running: model.apps.some(app => stateKnown(states, app)) ? fleetTotals(known(model.apps)).running : null,
			attention: known(model.apps).filter(app => needsAttention(app.state)).length,
			states: [...new Set(model.apps.flatMap(app => appStateWords(states, app)))],
			engines: [...new Set(model.apps.flatMap(app => appEngineIn(states, app) ?? []))],
		})),
		totals: fleetTotals(known(models.flatMap(m => m.apps))),
	};
}

/** The models and apps panes as shown: their filtered rows and the selected row of each. */
export interface PaneLists {
	models: ModelRow[];
	modelIds: string[];
	modelIndex: number;
	currentModelId: string | null;
	/** The apps of the selected model that pass the apps filter. */
	apps: WorkspaceApp[];
	appIds: string[];
	appIndex: number;
	currentApp: WorkspaceApp | null;
}

/** What the apps filter matches besides the state words: `app<N>`, the flavour and the ports. */
export const appFilterLabel = (app: WorkspaceApp) => `app${app.number} ${app.flavour ?? ''} ${Object.values(app.ports ?? {}).join(' ')}`;

/** `state=<word>` / `engine=<name>`: only the rows with that state word, or on that engine (docs/tui.md, "Filter"). */
const FIELD_FILTER = /^\s*(state|engine)\s*=\s*(\S+)\s*$/i;

/**
 * A list filter that knows states and engines: `state=<word>` keeps the rows one of whose state words
 * is `<word>`, `engine=<name>` those on that engine (a model: holding an app there; any case, whole
 * names: an engine no app is on keeps nothing); any other text is matched (a substring, as always)
 * against the label and the state words, so that `/unhealthy` finds the unhealthy apps, or in the
 * models pane the models holding one.
 */
export function filterByState<T>(
	items: readonly T[],
	text: string,
	label: (item: T) => string,
	words: (item: T) => readonly string[],
	engines: (item: T) => readonly string[] = () => [],
): T[] {
	const [, field, value] = FIELD_FILTER.exec(text) ?? [];
	if (field !== undefined && value !== undefined) {
		const wanted = value.toLowerCase();
		const values = field.toLowerCase() === 'engine' ? engines : words;
		return items.filter(item => values(item).some(v => v.toLowerCase() === wanted));
	}
	return applyFilter(items, text, item => `${label(item)} ${words(item).join(' ')}`);
}

/**
 * The filters applied to the models and the selected model's apps; a selection the filter hides (or
 * none yet) shows the first visible row.
 */
export function paneLists(
	workspace: Workspace | null,
	modelRows: readonly ModelRow[],
	ui: Pick<UiState, 'filters' | 'model' | 'app'>,
	states: ProjectStates = new Map(),
): PaneLists {
	const models = filterByState(
		modelRows,
		ui.filters.models,
		m => m.id,
		m => m.states,
		m => m.engines ?? [],
	);
	const modelIds = models.map(m => m.id);
	const modelIndex = selectedIndex(modelIds, ui.model);
	const currentModelId = modelIds[modelIndex] ?? null;
	const model = workspace?.models.find(m => m.id === currentModelId);
	const apps = filterByState(
		model?.apps ?? [],
		ui.filters.apps,
		appFilterLabel,
		app => appStateWords(states, app),
		app => {
			const engine = appEngineIn(states, app);
			return engine === null ? [] : [engine];
		},
	);
	const appIds = apps.map(a => a.id);
	const appIndex = selectedIndex(appIds, ui.app);
	return {models, modelIds, modelIndex, currentModelId, apps, appIds, appIndex, currentApp: apps[appIndex] ?? null};
}
