/**
 * The screen's geometry, overlay and footer line as pure functions of what is on screen (unit-tested
 * in test/ui/layout.test.ts): App.tsx only places the panes and overlays these give.
 */
import {KEYMAP, yesNo, type Keymap, type PaneScope, type Scope} from './keymap.ts';
import type {UiMessage, UiState} from './state/ui-reducer.ts';

/**
 * How the main area is used: three columns of panes (`panes`), the focused pane alone under a line
 * naming the panes (`one-pane`, when the columns do not fit side by side), or a screen asking for a
 * larger terminal (`too-small`).
 */
export type LayoutMode = 'panes' | 'one-pane' | 'too-small';

/** Sizes of the main area's panes, in terminal cells. */
export interface ScreenLayout {
	mode: LayoutMode;
	/** Rows between the header line and the two footer lines. */
	mainHeight: number;
	modelsWidth: number;
	appsWidth: number;
	/** The right column: status, activity (when it has lines), logs. In one-pane mode every width is the terminal's. */
	rightWidth: number;
	/** 0 when the pane is not shown (a short terminal shows one of status and logs). */
	statusHeight: number;
	/** 0 while the activity pane has nothing to show, or no room. */
	activityHeight: number;
	logsHeight: number;
}

/** A pane's width: the least it can be drawn in, and what its content would like. */
export interface PaneWidth {
	min: number;
	want: number;
}

/** The smallest terminal berth draws in; below it, a screen asks for a larger one. */
export const MIN_SIZE = {columns: 40, rows: 10};

/** One header line and two footer lines (message, key hints). */
const CHROME_ROWS = 3;
/** The right column's narrowest (a service table's name, state and ports), and what it gets first of any room left. */
const RIGHT_MIN = 30;
const RIGHT_FIRST = 32;
/** Rows the right column needs to stack status (borders, title, about, one service) over logs (borders, title, one line). */
const STATUS_MIN = 5;
const LOGS_MIN = 4;
const DEFAULT_WIDTHS = {models: {min: 16, want: 24}, apps: {min: 31, want: 43}};

/**
 * The panes' sizes for a terminal of `columns` x `rows`. Widths: each column gets its minimum, the
 * right column two cells more, then the apps pane grows to what its content wants, then the models
 * pane, and everything left goes to the right column (logs). When the minimums do not fit side by side, the focused pane fills the main
 * area alone. On the right the status pane fits the selected app's services (a title, a header and
 * borders around them) up to 40 % of the height, the activity pane takes up to 8 rows (30 %) while it
 * has lines and room, and the logs get the rest; too short to stack them, the right column shows the
 * logs while they have the focus, else the status.
 */
export function screenLayout(
	columns: number,
	rows: number,
	content: {services: number; activityLines: number; models?: PaneWidth; apps?: PaneWidth; focus?: PaneScope},
): ScreenLayout {
	const mainHeight = Math.max(0, rows - CHROME_ROWS);
	const models = content.models ?? DEFAULT_WIDTHS.models;
	const apps = content.apps ?? DEFAULT_WIDTHS.apps;
	const none = {statusHeight: 0, activityHeight: 0, logsHeight: 0};
	if (columns < MIN_SIZE.columns || rows < MIN_SIZE.rows) {
		return {mode: 'too-small', mainHeight, modelsWidth: 0, appsWidth: 0, rightWidth: 0, ...none};
	}
	if (models.min + apps.min + RIGHT_MIN > columns) {
		// The one pane shown is as tall as the main area less the line naming the panes.
		const height = mainHeight - 1;
		return {
			mode: 'one-pane',
			mainHeight,
			modelsWidth: columns,
			appsWidth: columns,
			rightWidth: columns,
			statusHeight: height,
			activityHeight: 0,
			logsHeight: height,
		};
	}
	let extra = columns - models.min - apps.min - RIGHT_MIN;
	extra -= Math.min(extra, RIGHT_FIRST - RIGHT_MIN);
	const appsWidth = apps.min + Math.min(extra, Math.max(0, apps.want - apps.min));
	extra -= appsWidth - apps.min;
	const modelsWidth = models.min + Math.min(extra, Math.max(0, models.want - models.min));
	const rightWidth = columns - modelsWidth - appsWidth;
	const layout = {mode: 'panes' as const, mainHeight, modelsWidth, appsWidth, rightWidth};
	if (mainHeight < STATUS_MIN + LOGS_MIN) {
		return content.focus === 'logs' ? {...layout, ...none, logsHeight: mainHeight} : {...layout, ...none, statusHeight: mainHeight};
	}
	const statusHeight = Math.max(STATUS_MIN, Math.min(Math.max(6, content.services + 5), Math.floor(mainHeight * 0.4)));
	const activity = Math.min(8, Math.floor(mainHeight * 0.3));
	const activityHeight = content.activityLines > 0 && activity >= 4 && mainHeight - statusHeight - activity >= LOGS_MIN ? activity : 0;
	return {...layout, statusHeight, activityHeight, logsHeight: mainHeight - statusHeight - activityHeight};
}

/**
 * What fills the main area (the panes, or an overlay drawn over all of them; the help with its page),
 * and `scope`: the keymap scope whose keys work and whose hints the footer shows.
 */
export type OverlayChoice = {main: 'panes' | 'ports' | 'adopt' | 'wizard' | 'output'; scope: Scope} | {main: 'help'; page: number; scope: Scope};

/**
 * Which overlay is shown. Help, the ports view, the adoption preview and the wizard take the main area; a question (confirm)
 * and the palette live in the footer over the panes, the question taking the keys. Under the wizard
 * (which reads its own keys) the footer keeps the focused pane's hints.
 */
export function overlayChoice(ui: Pick<UiState, 'overlay' | 'focus'>): OverlayChoice {
	switch (ui.overlay?.kind) {
		case 'help':
			return {main: 'help', page: ui.overlay.page, scope: 'help'};
		case 'ports':
			return {main: 'ports', scope: 'ports'};
		case 'adopt':
			return {main: 'adopt', scope: 'adopt'};
		case 'output':
			return {main: 'output', scope: 'output'};
		case 'wizard':
			return {main: 'wizard', scope: ui.focus};
		case 'confirm':
			return {main: 'panes', scope: 'confirm'};
		// The palette is typed in the footer over the panes: the footer shows its keys (tab completes, ↑ ↓ history).
		case 'palette':
			return {main: 'panes', scope: 'prompt'};
		default:
			return {main: 'panes', scope: ui.focus};
	}
}

/** What the footer's message line can tell, besides the user's own messages. */
export interface FooterSources {
	overlay: UiState['overlay'];
	message: UiMessage | null;
	workspaceError: string | null;
	liveError: string | null;
	engineProblem: string | null;
	workspaceWarning: string | null;
	/** Why the apps' fixed ports could not be checked (the adoption badge). */
	adoptionError?: string | null;
	/** The keys a question is answered with (the user's keymap). */
	keymap?: Keymap;
}

/**
 * The footer's message line, most pressing first: a pending question, the last message, then the
 * workspace error, the live state's error, the engine's problem, the first workspace warning, why
 * the fixed ports could not be checked.
 */
export function footerMessage(sources: FooterSources): UiMessage | null {
	if (sources.overlay?.kind === 'confirm') return {text: `${sources.overlay.message} ${yesNo(sources.keymap ?? KEYMAP)}`, tone: 'warn'};
	if (sources.message) return sources.message;
	if (sources.workspaceError) return {text: sources.workspaceError, tone: 'error'};
	if (sources.liveError) return {text: sources.liveError, tone: 'error'};
	if (sources.engineProblem) return {text: sources.engineProblem, tone: 'error'};
	if (sources.workspaceWarning) return {text: sources.workspaceWarning, tone: 'warn'};
	if (sources.adoptionError) return {text: sources.adoptionError, tone: 'warn'};
	return null;
}

/** The text being typed, shown in the footer: a filter (`/text`) or the command palette (`:text`). */
export function footerPrompt(ui: Pick<UiState, 'editing' | 'filters' | 'overlay'>): string | null {
	if (ui.editing) return `/${ui.filters[ui.editing]}`;
	return ui.overlay?.kind === 'palette' ? `:${ui.overlay.text}` : null;
}
