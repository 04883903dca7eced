import {Box, Text, useApp, useWindowSize} from 'ink';
import {lazy, Suspense, useCallback, useMemo, useReducer, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useKeymap, useKeysProblem} from '../contexts/keymap-context.tsx';
import {useServices} from '../contexts/services-context.tsx';
import {useActivity} from '../hooks/use-activity.ts';
import {useAdoptionStatus} from '../hooks/use-adoption-status.ts';
import {useEngineInfo} from '../hooks/use-engine-info.ts';
import {useLiveStates} from '../hooks/use-live-states.ts';
import {useLogStream} from '../hooks/use-log-stream.ts';
import {useNow} from '../hooks/use-now.ts';
import {useInputRouting} from '../hooks/use-input-routing.ts';
import {useWorkspace} from '../hooks/use-workspace.ts';
import {keyFor, type Command} from '../keymap.ts';
import type {WorkspaceApp} from '../services.ts';
import {runCommand, runComposeIntent} from '../commands.ts';
import {adoptionBadge, adoptionStatusLines, appColumns, appsPaneWidths, BADGE_WIDTH, engineBadge, modelsPaneWidths} from '../format.ts';
import {initialUiState, uiReducer, type Intent, type UiAction} from '../state/ui-reducer.ts';
import {bulkOutput, busyBadgeText, busyMessage, lastRunLines, runOutput} from '../state/activity-log.ts';
import {ActivityPane} from './ActivityPane.tsx';
import {AdoptView} from './AdoptView.tsx';
import {AppsPane} from './AppsPane.tsx';
import {Footer} from './Footer.tsx';
import {Header} from './Header.tsx';
import {HelpOverlay, helpArea} from './HelpOverlay.tsx';
import {footerMessage, footerPrompt, overlayChoice, screenLayout} from '../layout.ts';
import {LogsPane, logLayout} from './LogsPane.tsx';
import type {LogLayout} from '../state/log-view.ts';
import {OutputView} from './OutputView.tsx';
import {ModelsPane} from './ModelsPane.tsx';
import {appEngineIn, appsById, appStateIn, engineRows, fleetSummary, paneLists, servicesOf} from '../state/selectors.ts';
import {PaneTabs, TooSmall} from './PaneTabs.tsx';
import {PortsView} from './PortsView.tsx';
import {StatusPane} from './StatusPane.tsx';

export interface AppProps {
	/** Fixed size (tests); by default the terminal's, following resizes. */
	size?: {columns: number; rows: number};
	/** Compose actions at once in a bulk start / stop. */
	concurrency?: number;
	logFlushMs?: number;
	clock?: () => number;
}

/** The rows' engine badge while the apps are on one engine: none (one function, so the columns are not measured again). */
const noEngine = () => null;

// The wizard (and ink-select-input with it) loads when first opened, not at start-up.
const NewAppWizard = lazy(async () => ({default: (await import('./NewAppWizard.tsx')).NewAppWizard}));

/** The whole screen: header, models / apps / status / activity / logs panes, footer, overlays. */
export function App({size, concurrency = 4, logFlushMs = 100, clock}: AppProps) {
	const services = useServices();
	const {exit} = useApp();
	const terminal = useWindowSize();
	const {columns, rows} = size ?? terminal;
	const keymap = useKeymap();
	const keysProblem = useKeysProblem();
	// A keys file berth refused says so first (the defaults apply meanwhile).
	const [ui, dispatchToReact] = useReducer(uiReducer, initialUiState, initial =>
		keysProblem ? {...initial, message: {text: keysProblem, tone: 'error' as const}} : initial,
	);
	// The state with every action applied, drawn or not: keys faster than the screen read it (use-input-routing.ts).
	const latest = useRef(ui);
	const dispatch = useCallback((action: UiAction) => {
		latest.current = uiReducer(latest.current, action);
		dispatchToReact(action);
	}, []);
	const {workspace, error: workspaceError, reload} = useWorkspace();
	const {states, error: liveError, reachable: liveReachable, engines: engineStates} = useLiveStates();
	const engine = useEngineInfo(liveReachable);
	const {statuses: adoptions, error: adoptionError} = useAdoptionStatus(workspace);
	const activity = useActivity({concurrency, ...(clock ? {clock} : {})});
	const [attachKey, setAttachKey] = useState(0);
	// How the log pane lays out lines (its size and toggles), as drawn last: what scrolling moves through.
	const logsLayout = useRef<LogLayout>(logLayout(0, 0, {logWrap: false, logTimestamps: false, filter: ''}));

	const allApps = useMemo(() => appsById(workspace), [workspace]);
	const allAppIds = useMemo(() => [...allApps.keys()], [allApps]);
	const {modelRows, totals, known: countsKnown} = useMemo(() => fleetSummary(workspace, states), [workspace, states]);
	const allModelIds = useMemo(() => modelRows.map(m => m.id), [modelRows]);

	const {models, modelIndex, currentModelId, apps, appIndex, currentApp} = useMemo(
		() => paneLists(workspace, modelRows, {filters: ui.filters, model: ui.model, app: ui.app}, states),
		[workspace, modelRows, ui.filters, ui.model, ui.app, states],
	);
	const currentServices = servicesOf(states, currentApp);
	const currentAdoption = currentApp ? adoptions.get(currentApp.id) : undefined;
	const logsApp = ui.logsApp ? (allApps.get(ui.logsApp) ?? null) : null;
	const logs = useLogStream(logsApp, {flushMs: logFlushMs, attachKey, service: ui.logsService});
	// The clock ticks for uptimes and for the elapsed time of actions in progress.
	const now = useNow(1000, currentServices.some(s => s.state === 'running') || activity.log.anyBusy, clock);
	const busyNow = useCallback(
		(app: string) => {
			const run = activity.log.busy(app);
			return run ? busyMessage(run, (clock ?? Date.now)()) : null;
		},
		[activity.log, clock],
	);

	const say = useCallback((text: string, tone: 'ok' | 'warn' | 'error' | 'info' = 'info') => dispatch({type: 'message', message: {text, tone}}), [dispatch]);

	const runIntent = useCallback((intent: Intent) => runComposeIntent({allApps, run: activity.run, say, dispatch}, intent), [activity, allApps, say, dispatch]);

	const execute = useCallback(
		(command: Command, argument = '') => {
			// What the keys before this one did, drawn or not.
			const now = latest.current;
			const lists = paneLists(workspace, modelRows, {filters: now.filters, model: now.model, app: now.app}, states);
			runCommand(
				{
					ui: now,
					dispatch,
					rows,
					currentApp: lists.currentApp,
					currentServices: servicesOf(states, lists.currentApp),
					busy: busyNow,
					hasOutput: app => (app === null ? activity.log.bulk !== null : activity.log.last(app) !== null),
					allApps,
					appIds: lists.appIds,
					modelIds: lists.modelIds,
					modelRows,
					logs: {buffer: logs.buffer, layout: logsLayout.current, status: logs.status},
					clearLogs: logs.clear,
					reattachLogs: () => setAttachKey(k => k + 1),
					reload: () => void reload(),
					exit,
					say,
					runIntent: intent => void runIntent(intent),
					openUrl: url => services.openUrl(url),
					openShell: target => {
						const what = `${target.app} ${target.service}`;
						services.openShell(target).then(
							code => say(`shell in ${what} closed${code === 0 ? '' : ` (exit ${code})`}`, code === 0 ? 'ok' : 'info'),
							error => say(errorMessage(error), 'error'),
						);
					},
					errorMessage,
					keyOf: (scope, command) => keyFor(scope, command, keymap),
				},
				command,
				argument,
			);
		},
		[workspace, states, dispatch, busyNow, activity.log, allApps, modelRows, rows, logs, exit, say, runIntent, services, reload, keymap],
	);

	const lastRun = currentApp ? activity.log.last(currentApp.id) : null;
	// The lists are as wide as the whole fleet's rows need, so the panes keep their places as the selection moves.
	// Apps on several engines: the header lists them, each app row carries its engine's badge.
	const engines = useMemo(() => engineRows(workspace, states, engineStates), [workspace, states, engineStates]);
	const engineOf = useMemo(() => {
		if (!engines) return noEngine;
		const byName = new Map(engines.map(e => [e.name, engineBadge(e)]));
		return (app: WorkspaceApp) => byName.get(appEngineIn(states, app) ?? '') ?? null;
	}, [engines, states]);
	const columnsOfApps = useMemo(() => appColumns(allApps.values(), app => adoptionBadge(app, adoptions.get(app.id)), engineOf), [allApps, adoptions, engineOf]);
	const widths = useMemo(
		() => ({models: modelsPaneWidths(modelRows), apps: appsPaneWidths(columnsOfApps), focus: ui.focus}),
		[modelRows, columnsOfApps, ui.focus],
	);
	// The right column's width does not depend on what the panes hold: the failure's lines are wrapped to it.
	const outputKey = keyFor('apps', 'show-output', keymap);
	const runLines = lastRunLines(lastRun, now, screenLayout(columns, rows, {services: 0, activityLines: 0, ...widths}).rightWidth - 2, outputKey);
	const {mode, mainHeight, modelsWidth, appsWidth, rightWidth, statusHeight, activityHeight, logsHeight} = screenLayout(columns, rows, {
		services: currentServices.length + adoptionStatusLines(currentApp, currentAdoption).length + runLines.length,
		activityLines: activity.buffer.lines.length,
		...widths,
	});
	const view = overlayChoice(ui);
	// Full-screen logs (f) take the whole main area while the log pane has the focus.
	const fullLogs = ui.logFullscreen && ui.focus === 'logs';
	const [logsWidth, logsPaneHeight] = fullLogs ? [columns, mainHeight] : [rightWidth, logsHeight];
	logsLayout.current = logLayout(logsWidth, logsPaneHeight, {logWrap: ui.logWrap, logTimestamps: ui.logTimestamps, filter: ui.filters.logs});
	const logsPane = (
		<LogsPane
			appId={ui.logsApp}
			service={ui.logsService}
			buffer={logs.buffer}
			status={logs.status}
			view={ui.logView}
			filter={ui.filters.logs}
			wrap={ui.logWrap}
			timestamps={ui.logTimestamps}
			focused={ui.focus === 'logs'}
			width={logsWidth}
			height={logsPaneHeight}
		/>
	);
	const prompt = footerPrompt(ui);
	const message = footerMessage({
		overlay: ui.overlay,
		message: ui.message,
		workspaceError,
		liveError,
		engineProblem: engine?.problem ?? null,
		workspaceWarning: workspace?.warnings[0] ?? null,
		adoptionError,
		keymap,
	});

	useInputRouting({
		latest: () => latest.current,
		dispatch,
		execute,
		runIntent: intent => void runIntent(intent),
		helpArea: helpArea(columns, mainHeight),
		models: allModelIds,
		apps: allAppIds,
		running: activity.running,
		keymap,
	});

	let main;
	if (view.main === 'help') main = <HelpOverlay width={columns} height={mainHeight} page={view.page} />;
	else if (view.main === 'ports') {
		main = <PortsView width={columns} height={mainHeight} onClose={() => dispatch({type: 'overlay', overlay: null})} onReleased={() => void reload()} />;
	} else if (view.main === 'output' && ui.overlay?.kind === 'output') {
		const run = ui.overlay.app === null ? null : activity.log.last(ui.overlay.app);
		const bulk = activity.log.bulk;
		const content = run ? runOutput(run, now, bulk) : bulk ? bulkOutput(bulk, now) : {title: 'Output', lines: []};
		main = <OutputView content={content} width={columns} height={mainHeight} onClose={() => dispatch({type: 'overlay', overlay: null})} />;
	} else if (view.main === 'adopt' && ui.overlay?.kind === 'adopt') {
		const {apps: ids, marked} = ui.overlay;
		const targets = ids.map(id => allApps.get(id)).filter(a => a !== undefined);
		main = (
			<AdoptView
				apps={targets}
				width={columns}
				height={mainHeight}
				onFinish={(message, changed, adopted = []) => {
					dispatch({type: 'overlay', overlay: null});
					dispatch({type: 'message', message});
					// The marks' one rule (docs/tui.md): what a bulk action did is unmarked, the rest stays.
					if (marked) dispatch({type: 'unmark', apps: adopted});
					if (changed) void reload();
				}}
			/>
		);
	} else if (view.main === 'wizard') {
		main = (
			<Suspense
				fallback={
					<Box height={mainHeight}>
						<Text>loading the wizard…</Text>
					</Box>
				}
			>
				<NewAppWizard
					models={modelRows.map(m => m.id)}
					initialModel={currentModelId}
					width={columns}
					height={mainHeight}
					onCancel={() => dispatch({type: 'overlay', overlay: null})}
					onCreated={(appId, model) => {
						dispatch({type: 'overlay', overlay: null});
						say(`created ${appId}`, 'ok');
						void reload().then(() => dispatch({type: 'select-app', model, app: appId}));
					}}
				/>
			</Suspense>
		);
	} else if (fullLogs) {
		main = logsPane;
	} else if (mode !== 'too-small') {
		// One pane at a time (a narrow terminal): the focused one under a line naming them all.
		const onePane = mode === 'one-pane';
		const paneHeight = onePane ? mainHeight - 1 : mainHeight;
		const modelsPane = (
			<ModelsPane
				models={models}
				total={modelRows.length}
				selected={modelIndex}
				focused={ui.focus === 'models'}
				width={modelsWidth}
				height={paneHeight}
				filter={ui.filters.models}
			/>
		);
		const appsPane = (
			<AppsPane
				model={currentModelId}
				apps={apps}
				states={states}
				adoptions={adoptions}
				busy={id => {
					const run = activity.log.busy(id);
					return run ? {text: busyBadgeText(run, now, BADGE_WIDTH), tone: 'info'} : null;
				}}
				marks={ui.marks}
				selected={appIndex}
				focused={ui.focus === 'apps'}
				width={appsWidth}
				height={paneHeight}
				filter={ui.filters.apps}
				columns={columnsOfApps}
				engine={engineOf}
			/>
		);
		const statusPane = (
			<StatusPane
				app={currentApp}
				services={currentServices}
				selected={ui.service}
				adoption={currentAdoption}
				lastRun={runLines}
				now={now}
				known={currentApp !== null && (appStateIn(states, currentApp) ?? 'unknown') !== 'unknown'}
				focused={ui.focus === 'status'}
				width={rightWidth}
				height={statusHeight}
			/>
		);
		if (onePane) {
			const panes = {models: modelsPane, apps: appsPane, status: statusPane, logs: logsPane};
			main = (
				<Box flexDirection="column" height={mainHeight}>
					<PaneTabs focus={ui.focus} width={columns} />
					{panes[ui.focus]}
				</Box>
			);
		} else {
			main = (
				<Box height={mainHeight}>
					{modelsPane}
					{appsPane}
					<Box flexDirection="column" width={rightWidth}>
						{statusHeight > 0 ? statusPane : null}
						{activityHeight > 0 ? (
							<ActivityPane buffer={activity.buffer} running={activity.running} outputKey={outputKey} width={rightWidth} height={activityHeight} />
						) : null}
						{logsHeight > 0 ? logsPane : null}
					</Box>
				</Box>
			);
		}
	}

	if (mode === 'too-small') return <TooSmall columns={columns} rows={rows} />;
	return (
		<Box flexDirection="column" width={columns} height={rows}>
			<Header
				engine={engine}
				engines={engines}
				liveError={liveError}
				models={modelRows.length}
				apps={allApps.size}
				running={countsKnown ? totals.running : null}
				unhealthy={countsKnown ? totals.unhealthy : null}
				errors={totals.error}
				width={columns}
			/>
			{main}
			<Footer scope={view.scope} message={message} prompt={prompt} width={columns} />
		</Box>
	);
}
