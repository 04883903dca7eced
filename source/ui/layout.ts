/**
 * The screen's geometry, overlay and footer line as pure functions of what is on screen (unit-tested
 * in test/ui/layout.test.ts): App.tsx only places the panes and overlays these give.
 */
import type {Scope} from './keymap.ts';
import type {UiMessage, UiState} from './state/ui-reducer.ts';

/** Sizes of the main area's panes, in terminal cells. */
export interface ScreenLayout {
	/** Rows between the header line and the two footer lines. */
	mainHeight: number;
	modelsWidth: number;
	appsWidth: number;
	/** The right column: status, activity (when it has lines), logs. */
	rightWidth: number;
	statusHeight: number;
	/** 0 while the activity pane has nothing to show. */
	activityHeight: number;
	logsHeight: number;
}

/** One header line and two footer lines (message, key hints); the panes never get fewer than 6 rows. */
const CHROME_ROWS = 3;
const MIN_MAIN_ROWS = 6;

/**
 * The panes' sizes for a terminal of `columns` x `rows`: models 20 % (at least 20 cells), apps 36 % (at
 * least 30), the rest on the right. On the right the status pane fits the selected app's services (a
 * title, a header and borders around them) up to 40 % of the height, the activity pane takes up to 8
 * rows (30 %) while it has lines, and the logs get the rest.
 */
export function screenLayout(columns: number, rows: number, content: {services: number; activityLines: number}): ScreenLayout {
	const mainHeight = Math.max(MIN_MAIN_ROWS, rows - CHROME_ROWS);
	const modelsWidth = Math.max(20, Math.floor(columns * 0.2));
	const appsWidth = Math.max(30, Math.floor(columns * 0.36));
	const rightWidth = Math.max(20, columns - modelsWidth - appsWidth);
	const statusHeight = Math.min(Math.max(6, content.services + 5), Math.floor(mainHeight * 0.4));
	const activityHeight = content.activityLines > 0 ? Math.min(8, Math.floor(mainHeight * 0.3)) : 0;
	return {mainHeight, modelsWidth, appsWidth, rightWidth, statusHeight, activityHeight, logsHeight: mainHeight - statusHeight - activityHeight};
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
}

/**
 * The footer's message line, most pressing first: a pending question, the last message, then the
 * workspace error, the live state's error, the engine's problem, the first workspace warning, why
 * the fixed ports could not be checked.
 */
export function footerMessage(sources: FooterSources): UiMessage | null {
	if (sources.overlay?.kind === 'confirm') return {text: `${sources.overlay.message} [y]es [n]o`, tone: 'warn'};
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
