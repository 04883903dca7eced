/**
 * What each keymap command does, as one table keyed by the keymap's commands (keymap.ts): the App
 * builds a `CommandContext` per render and `runCommand` looks the handler up. Handlers only dispatch
 * to the reducer or call the context; they hold no state of their own.
 */
import type {Dispatch} from 'react';
import {openUrlOf} from './format.ts';
import type {Command, Scope} from './keymap.ts';
import type {AdoptionReport, ComposeAction, ServiceStatus, ShellTarget, WorkspaceApp} from './services.ts';
import type {ActionOutcome, RunOptions} from './hooks/use-activity.ts';
import {selectedService, type ModelRow} from './state/selectors.ts';
import type {Intent, UiAction, UiMessage, UiState} from './state/ui-reducer.ts';
import type {LogBuffer, LogEntry} from './state/log-buffer.ts';
import {scrollLogView, type LogLayout} from './state/log-view.ts';
import type {LogStatus} from './hooks/use-log-stream.ts';

export interface CommandContext {
	ui: UiState;
	dispatch: Dispatch<UiAction>;
	/** Terminal rows (a page of a list is the main area less its chrome). */
	rows: number;
	currentApp: WorkspaceApp | null;
	/** The selected app's services as last seen (the status pane's rows; what `o` opens). */
	currentServices: readonly ServiceStatus[];
	/** Why an action on this app is refused now ("m/app1 is already stopping (3s)"), or `null`. */
	busy(app: string): string | null;
	/** Whether berth kept output of an action of this app; of a bulk run for `null`. */
	hasOutput(app: string | null): boolean;
	allApps: ReadonlyMap<string, WorkspaceApp>;
	appIds: readonly string[];
	modelIds: readonly string[];
	modelRows: readonly ModelRow[];
	/** The log pane: its lines, how it lays them out, where its app is. */
	logs: {buffer: LogBuffer<LogEntry>; layout: LogLayout; status: LogStatus};
	clearLogs(): void;
	/** Attach the log stream again (after it ended or failed). */
	reattachLogs(): void;
	/** Scans the apps root and the store again. */
	reload(): void;
	exit(): void;
	say(text: string, tone?: 'ok' | 'warn' | 'error' | 'info'): void;
	runIntent(intent: Intent): void;
	openUrl(url: string): Promise<string>;
	/** Hands the terminal to a shell in the service's container; the App says how it ended. */
	openShell(target: ShellTarget): void;
	errorMessage(error: unknown): string;
	/** The label of the user's key for `command` in `scope` (keys.conf), for the messages that name one. */
	keyOf(scope: Scope, command: Command): string;
}

export type CommandHandler = (ctx: CommandContext, argument: string) => void;

/** The compose action of each lifecycle command. */
export const ACTION_OF: Partial<Record<Command, ComposeAction>> = {start: 'up', stop: 'stop', restart: 'restart', 'compose-down': 'down', rebuild: 'build'};

/** Most apps a question names before "+N more". */
const NAMED = 3;

/** "m/app1, m/app2, m/app3 +2 more": the apps a question acts on. */
export function nameApps(apps: readonly string[]): string {
	const more = apps.length - NAMED;
	return `${apps.slice(0, NAMED).join(', ')}${more > 0 ? ` +${more} more` : ''}`;
}

/**
 * A compose action on the marked apps, else the selected one; `down` asks first, naming them. An app
 * whose last action still runs is refused with what it is doing (a bulk action runs the others).
 */
function composeAction(action: ComposeAction): CommandHandler {
	return ({ui, currentApp, dispatch, say, runIntent, busy}) => {
		const targets = ui.marks.length > 0 ? [...ui.marks] : currentApp ? [currentApp.id] : [];
		if (targets.length === 0) return say('no app selected', 'warn');
		const free = targets.filter(app => busy(app) === null);
		if (free.length === 0) return say(busy(targets[0]!)!, 'warn');
		const skipped = targets.filter(app => !free.includes(app)).map(app => ({app, message: busy(app)!}));
		const intent: Intent = {
			kind: 'action',
			action,
			apps: free,
			...(ui.marks.length > 0 ? {marked: true} : {}),
			...(skipped.length > 0 ? {skipped} : {}),
		};
		if (action === 'down') {
			const what = free.length === 1 ? free[0] : `${free.length} apps (${nameApps(free)})`;
			dispatch({type: 'overlay', overlay: {kind: 'confirm', message: `Down ${what}? Containers and networks are removed (volumes kept).`, intent}});
			return;
		}
		runIntent(intent);
	};
}

/** Moves in the focused list, or scrolls the log pane (where up means older lines). */
type Move = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom';

/** Scrolls the log pane by rows (a page is the pane's rows); up stills the view, `G` follows again. */
function scrollLogs(command: Move, {ui, logs, dispatch}: CommandContext): void {
	const page = Math.max(1, logs.layout.rows - 1);
	const by = {up: -1, down: 1, 'page-up': -page, 'page-down': page, top: 'top', bottom: 'bottom'} as const;
	dispatch({type: 'log-view', view: scrollLogView(logs.buffer, ui.logView, logs.layout, by[command])});
}

function move(command: Move): CommandHandler {
	return ctx => {
		const {ui, rows, modelIds, appIds, currentServices, dispatch} = ctx;
		const page = Math.max(1, rows - 8);
		if (ui.focus === 'logs') return scrollLogs(command, ctx);
		const to = command === 'up' ? -1 : command === 'down' ? 1 : command === 'page-up' ? -page : command === 'page-down' ? page : command;
		if (ui.focus === 'models') return dispatch({type: 'move', list: 'models', ids: modelIds, to});
		if (ui.focus === 'apps') return dispatch({type: 'move', list: 'apps', ids: appIds, to});
		if (ui.focus === 'status') return dispatch({type: 'move', list: 'services', ids: currentServices.map(s => s.service), to});
	};
}

/** The status pane's selected service of the selected app; when there is none, says why and answers `null`. */
function pickService({ui, currentApp, currentServices, say, keyOf}: CommandContext): {app: WorkspaceApp; service: ServiceStatus} | null {
	if (!currentApp) {
		say('no app selected', 'warn');
		return null;
	}
	const service = selectedService(currentServices, ui.service);
	if (!service) say(`${currentApp.id} has no containers yet: start it with ${keyOf('apps', 'start')}`, 'warn');
	return service ? {app: currentApp, service} : null;
}

/** Engine states of a container that holds no process: nothing to stop, no shell to open. */
const NOT_RUNNING: ReadonlySet<string> = new Set(['created', 'exited', 'dead']);

/** A compose action on the selected service alone ("stop m/app1 web"); refused while the app is busy. */
function serviceAction(action: 'up' | 'stop' | 'restart'): CommandHandler {
	return ctx => {
		const picked = pickService(ctx);
		if (!picked) return;
		const {app, service} = picked;
		const busy = ctx.busy(app.id);
		if (busy) return ctx.say(busy, 'warn');
		if (action === 'stop' && NOT_RUNNING.has(service.state)) return ctx.say(`${service.service} is not running: nothing to stop`, 'warn');
		ctx.runIntent({kind: 'action', action, apps: [app.id], services: [service.service]});
	};
}

export const COMMANDS: Partial<Record<Command, CommandHandler>> = {
	reload: ({reload, say}) => {
		reload();
		say('reloading the apps root…');
	},
	// An app's own last run, else the last bulk run's summary (every failed app with its cause).
	'show-output': ({currentApp, hasOutput, dispatch, say, keyOf}) => {
		if (currentApp && hasOutput(currentApp.id)) return dispatch({type: 'overlay', overlay: {kind: 'output', app: currentApp.id}});
		if (hasOutput(null)) return dispatch({type: 'overlay', overlay: {kind: 'output', app: null}});
		const keys = (['start', 'stop', 'restart', 'compose-down', 'rebuild'] as const).map(c => keyOf('apps', c)).join(' ');
		say(`${currentApp?.id ?? 'this app'} has no action output yet (${keys} run one)`, 'info');
	},
	'service-start': serviceAction('up'),
	'service-stop': serviceAction('stop'),
	'service-restart': serviceAction('restart'),
	'service-logs': ctx => {
		const picked = pickService(ctx);
		if (!picked) return;
		const {app, service} = picked;
		// As follow-logs: the stream re-attaches by itself while it runs; only one that ended starts again.
		const ended = ctx.logs.status === 'ended' || ctx.logs.status === 'error';
		if (ctx.ui.logsApp === app.id && ctx.ui.logsService === service.service && ended) ctx.reattachLogs();
		ctx.dispatch({type: 'follow-logs', app: app.id, service: service.service});
	},
	shell: ctx => {
		const picked = pickService(ctx);
		if (!picked) return;
		const {app, service} = picked;
		if (NOT_RUNNING.has(service.state)) return ctx.say(`${service.service} is not running: start it with ${ctx.keyOf('status', 'service-start')}`, 'warn');
		ctx.openShell({app: app.id, service: service.service, container: service.container});
	},
	'toggle-wrap': ({dispatch}) => dispatch({type: 'toggle-log', what: 'wrap'}),
	'toggle-fullscreen': ({dispatch}) => dispatch({type: 'toggle-log', what: 'fullscreen'}),
	'toggle-timestamps': ({dispatch}) => dispatch({type: 'toggle-log', what: 'timestamps'}),
	// esc in the log pane, one step back: out of full-screen logs, else to the apps pane.
	close: ({ui, dispatch}) => {
		if (ui.focus !== 'logs') return;
		if (ui.logFullscreen) dispatch({type: 'toggle-log', what: 'fullscreen'});
		else dispatch({type: 'focus', pane: 'apps'});
	},
	start: composeAction('up'),
	stop: composeAction('stop'),
	restart: composeAction('restart'),
	'compose-down': composeAction('down'),
	rebuild: composeAction('build'),
	quit: ({exit}) => exit(),
	help: ({dispatch}) => dispatch({type: 'overlay', overlay: {kind: 'help', page: 0}}),
	'next-pane': ({dispatch}) => dispatch({type: 'cycle-focus', delta: 1}),
	'prev-pane': ({dispatch}) => dispatch({type: 'cycle-focus', delta: -1}),
	filter: ({dispatch}, argument) => {
		dispatch({type: 'open-filter'});
		if (!argument) return;
		dispatch({type: 'edit-filter', text: argument});
		dispatch({type: 'close-filter', keep: true});
	},
	'new-app': ({dispatch}) => dispatch({type: 'overlay', overlay: {kind: 'wizard'}}),
	'ports-view': ({dispatch}) => dispatch({type: 'overlay', overlay: {kind: 'ports'}}),
	palette: ({dispatch}) => dispatch({type: 'overlay', overlay: {kind: 'palette', text: ''}}),
	up: move('up'),
	down: move('down'),
	'page-up': move('page-up'),
	'page-down': move('page-down'),
	top: move('top'),
	bottom: move('bottom'),
	'pane-left': ({ui, dispatch}) => dispatch({type: 'focus', pane: ui.focus === 'apps' ? 'models' : 'apps'}),
	'pane-right': ({ui, dispatch}) => dispatch({type: 'focus', pane: ui.focus === 'models' ? 'apps' : 'logs'}),
	focus: ({ui, allApps, modelRows, dispatch, say}, argument) => {
		if (!argument) return dispatch({type: 'focus', pane: ui.focus === 'models' ? 'apps' : 'status'});
		const [model, app] = argument.split('/');
		const target = app ? allApps.get(argument) : undefined;
		if (target) return dispatch({type: 'select-app', model: target.model, app: target.id});
		if (model && !app && modelRows.some(m => m.id === model)) {
			dispatch({type: 'move', list: 'models', ids: [model], to: 'top'});
			return dispatch({type: 'focus', pane: 'apps'});
		}
		say(`no ${argument} in this workspace`, 'warn');
	},
	'follow-logs': ({ui, currentApp, logs, dispatch, say, reattachLogs}) => {
		if (!currentApp) return say('no app selected', 'warn');
		// The stream re-attaches by itself while it runs: only one that ended is started again.
		if (ui.logsApp === currentApp.id && !ui.logsService && (logs.status === 'ended' || logs.status === 'error')) reattachLogs();
		dispatch({type: 'follow-logs', app: currentApp.id});
	},
	mark: ({currentApp, appIds, dispatch}) => {
		if (!currentApp) return;
		dispatch({type: 'toggle-mark', app: currentApp.id});
		dispatch({type: 'move', list: 'apps', ids: appIds, to: 1});
	},
	'clear-marks': ({dispatch}) => dispatch({type: 'clear-marks'}),
	'clear-logs': ({clearLogs, dispatch}) => {
		clearLogs();
		dispatch({type: 'log-view', view: null});
	},
	// The preview (components/AdoptView.tsx) plans, asks and adopts; nothing is written before a yes.
	adopt: ({ui, currentApp, dispatch, say}) => {
		const apps = ui.marks.length > 0 ? [...ui.marks] : currentApp ? [currentApp.id] : [];
		if (apps.length === 0) return say('no app selected', 'warn');
		dispatch({type: 'overlay', overlay: {kind: 'adopt', apps, ...(ui.marks.length > 0 ? {marked: true} : {})}});
	},
	open: ({currentApp, currentServices, openUrl, say, errorMessage, keyOf}) => {
		if (!currentApp) return say('no app selected', 'warn');
		const url = openUrlOf(currentApp, currentServices);
		if (!url) {
			const running = currentServices.some(s => s.state === 'running');
			return say(
				`${currentApp.id} publishes no port${running ? ': none of its running services has one' : ` (start it with ${keyOf('apps', 'start')})`}`,
				'warn',
			);
		}
		openUrl(url).then(
			text => say(text, 'ok'),
			error => say(errorMessage(error), 'error'),
		);
	},
};

/** Runs `command` (with the palette's `argument`); commands with no handler here do nothing. */
export function runCommand(ctx: CommandContext, command: Command, argument = ''): void {
	COMMANDS[command]?.(ctx, argument);
}

const PAST: Record<ComposeAction, string> = {up: 'started', stop: 'stopped', restart: 'restarted', down: 'taken down', build: 'rebuilt'};

/** What a confirmed compose action needs: the apps by id, the bounded runner (hooks/use-activity.ts), the footer. */
export interface ActionRunner {
	allApps: ReadonlyMap<string, WorkspaceApp>;
	run(action: ComposeAction, apps: WorkspaceApp[], options?: RunOptions): Promise<Pick<ActionOutcome, 'failed'> & Partial<Pick<ActionOutcome, 'refused'>>>;
	say: CommandContext['say'];
	dispatch: Dispatch<UiAction>;
}

/** "2 of 5 failed: a/app1: <cause>; a/app3: <cause>" (the footer cuts it; the output overlay has it whole). */
export function failureSummary(failed: readonly {app: string; message: string}[], of: number): string {
	return `${failed.length} of ${of} failed: ${failed.map(f => `${f.app}: ${f.message}`).join('; ')}`;
}

/**
 * Runs an intent's compose action on its apps, saying that it starts and how it ended (every failed
 * app with its cause). Marks follow one rule (docs/tui.md): an action on the marks, one or many, unmarks
 * the apps it acted on successfully; the failed ones (and busy ones skipped) stay marked for a retry. A release intent is the ports view's own.
 */
export async function runComposeIntent({allApps, run, say, dispatch}: ActionRunner, intent: Intent): Promise<void> {
	if (intent.kind !== 'action') return;
	const targets = intent.apps.map(id => allApps.get(id)).filter((a): a is WorkspaceApp => a !== undefined);
	// "stop m/app1 web": the services acted on, when not the whole app.
	const scope = intent.services?.length ? ` ${intent.services.join(' ')}` : '';
	const label = `${targets.length === 1 ? targets[0]!.id : `${targets.length} apps`}${scope}`;
	say(`${intent.action} ${label}…`);
	const outcome = await run(intent.action, targets, intent.services ? {services: intent.services} : {});
	const {failed} = outcome;
	// Busy when the key was pressed (left out then), or by the time the action started.
	const refused = [...(intent.skipped ?? []), ...(outcome.refused ?? [])];
	const ran = targets.filter(t => !refused.some(r => r.app === t.id));
	if (ran.length === 0 && refused.length > 0) return say(refused[0]!.message, 'warn');
	const skipped = refused.length > 0 ? ` (${refused.length} skipped: ${refused[0]!.message})` : '';
	if (failed.length === 0) say(`${ran.length === 1 ? ran[0]!.id : `${ran.length} apps`}${scope} ${PAST[intent.action]}${skipped}`, 'ok');
	else say(failureSummary(failed, ran.length) + skipped, 'error');
	if (intent.marked) dispatch({type: 'unmark', apps: ran.filter(t => !failed.some(f => f.app === t.id)).map(t => t.id)});
}

/**
 * What the footer says after an adoption: every failure, of how many, else what was remapped.
 * A running app keeps its old ports until compose starts it again, so it says so.
 */
export function adoptionMessage(reports: readonly AdoptionReport[], startKey = 'u'): UiMessage {
	const failed = reports.filter(r => r.status === 'failed');
	if (failed.length > 0) return {text: failureSummary(failed, reports.length), tone: 'error'};
	const adopted = reports.filter(r => r.status === 'adopted');
	if (adopted.length === 0) return {text: `nothing to adopt: ${reports[0]?.message ?? 'no app'}`, tone: 'info'};
	const what = adopted.length === 1 ? `${adopted[0]!.app}: ${adopted[0]!.message}` : `${adopted.length} apps`;
	return {text: `adopted ${what} (a running app moves to its new ports on its next start: ${startKey})`, tone: 'ok'};
}
