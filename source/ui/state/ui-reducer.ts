/**
 * Screen state that changes in many ways — focus, selection, filters, marks, overlays, messages,
 * the followed log stream — as one pure reducer (tested without rendering in test/ui/state).
 */
import type {PaneScope} from '../keymap.ts';
import type {Tone} from '../format.ts';
import type {ComposeAction} from '../services.ts';
import type {LogView} from './log-view.ts';

export const PANES: readonly PaneScope[] = ['models', 'apps', 'status', 'logs'];

export type FilterTarget = 'models' | 'apps' | 'logs';

/** Something the user asked for that needs a yes first. */
export type Intent =
	/**
	 * `services`: only these services of the app (the status pane's per-service actions); `marked`: the
	 * apps are the marks (those it does are unmarked after, however many: docs/tui.md, marks);
	 * `skipped`: marked apps left out because they were busy, with what they were doing.
	 */
	| {
			kind: 'action';
			action: ComposeAction;
			apps: readonly string[];
			services?: readonly string[];
			marked?: boolean;
			skipped?: readonly {app: string; message: string}[];
	  }
	| {kind: 'release'; app: string};

export type Overlay =
	/** `page`: which page of keys a small terminal shows. */
	| {kind: 'help'; page: number}
	| {kind: 'confirm'; message: string; intent: Intent}
	| {kind: 'ports'}
	/** The adoption preview of these apps (ids), then the adoption once confirmed; `marked`: they are the marks. */
	| {kind: 'adopt'; apps: readonly string[]; marked?: boolean}
	/** The palette being typed; `recall` = which history entry it shows (↑ ↓), counted from the newest. */
	| {kind: 'palette'; text: string; recall?: number}
	/** The output overlay: an app's last action output, or (`app: null`) the last bulk run's summary. */
	| {kind: 'output'; app: string | null}
	| {kind: 'wizard'}
	| null;

export interface UiMessage {
	text: string;
	tone: Tone;
}

export interface UiState {
	focus: PaneScope;
	/** Selected model id; `null` means the first visible one. */
	model: string | null;
	/** Selected app id (`<model>/app<N>`); `null` means the first visible app of the model. */
	app: string | null;
	/** Selected service of the app in the status pane; `null` means its first service. */
	service: string | null;
	filters: Record<FilterTarget, string>;
	/** The filter being typed, if any. */
	editing: FilterTarget | null;
	marks: readonly string[];
	overlay: Overlay;
	message: UiMessage | null;
	/** The app whose logs the log pane follows. */
	logsApp: string | null;
	/** The one service of `logsApp` the pane follows (the status pane's service logs); `null`: all of them. */
	logsService: string | null;
	/** The log pane scrolled back (a still view, state/log-view.ts); `null`: it follows new lines. */
	logView: LogView | null;
	/** Log pane toggles: long lines wrapped (else cut), each line's timestamp, the pane full-screen. */
	logWrap: boolean;
	logTimestamps: boolean;
	logFullscreen: boolean;
	/** The palette's commands run so far, oldest first (↑ recalls them). */
	history: readonly string[];
}

export type LogToggle = 'wrap' | 'timestamps' | 'fullscreen';

export type UiAction =
	| {type: 'focus'; pane: PaneScope}
	| {type: 'cycle-focus'; delta: 1 | -1}
	| {type: 'move'; list: 'models' | 'apps' | 'services'; ids: readonly string[]; to: number | 'top' | 'bottom'}
	| {type: 'select-app'; model: string; app: string}
	| {type: 'toggle-mark'; app: string}
	| {type: 'clear-marks'}
	/** A bulk action ended: the apps it acted on successfully are unmarked (docs/tui.md, marks). */
	| {type: 'unmark'; apps: readonly string[]}
	| {type: 'open-filter'}
	| {type: 'edit-filter'; text: string}
	| {type: 'close-filter'; keep: boolean}
	| {type: 'overlay'; overlay: Overlay}
	| {type: 'message'; message: UiMessage | null}
	/** Follows an app's logs, or one service's alone. */
	| {type: 'follow-logs'; app: string; service?: string}
	/** The log pane's view after a scroll (scrollLogView), `null` to follow again. */
	| {type: 'log-view'; view: LogView | null}
	| {type: 'toggle-log'; what: LogToggle}
	/** A palette command ran: it goes to the end of the history (once, the latest use). */
	| {type: 'remember'; text: string};

export const initialUiState: UiState = {
	focus: 'models',
	model: null,
	app: null,
	service: null,
	filters: {models: '', apps: '', logs: ''},
	editing: null,
	marks: [],
	overlay: null,
	message: null,
	logsApp: null,
	logsService: null,
	logView: null,
	logWrap: false,
	logTimestamps: false,
	logFullscreen: false,
	history: [],
};

/** The ids that match a filter (case-insensitive substring; empty matches all). */
export function applyFilter<T>(items: readonly T[], text: string, label: (item: T) => string): T[] {
	const needle = text.trim().toLowerCase();
	if (!needle) return [...items];
	return items.filter(item => label(item).toLowerCase().includes(needle));
}

/** The index of `current` in `ids`, 0 when absent (the display's default selection). */
export function selectedIndex(ids: readonly string[], current: string | null): number {
	const index = current === null ? -1 : ids.indexOf(current);
	return index === -1 ? 0 : index;
}

function filterTarget(focus: PaneScope): FilterTarget {
	if (focus === 'models') return 'models';
	if (focus === 'logs') return 'logs';
	return 'apps';
}

/** Focus moves: full-screen logs end when the log pane loses the focus (the other panes are not on screen). */
function focused(state: UiState, focus: PaneScope): UiState {
	return {...state, focus, logFullscreen: state.logFullscreen && focus === 'logs'};
}

/** Most palette commands the history keeps. */
const HISTORY = 100;

const TOGGLE_FIELD = {wrap: 'logWrap', timestamps: 'logTimestamps', fullscreen: 'logFullscreen'} as const;

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'focus':
			return focused(state, action.pane);
		case 'cycle-focus': {
			const index = PANES.indexOf(state.focus);
			return focused(state, PANES[(index + action.delta + PANES.length) % PANES.length]!);
		}
		case 'move': {
			if (action.ids.length === 0) return state;
			const current = selectedIndex(action.ids, action.list === 'models' ? state.model : action.list === 'apps' ? state.app : state.service);
			const last = action.ids.length - 1;
			const target = action.to === 'top' ? 0 : action.to === 'bottom' ? last : Math.min(last, Math.max(0, current + action.to));
			const id = action.ids[target]!;
			// Another app (or model) starts again at its first service.
			if (action.list === 'models') return id === state.model ? state : {...state, model: id, app: null, service: null};
			if (action.list === 'apps') return id === state.app ? state : {...state, app: id, service: null};
			return id === state.service ? state : {...state, service: id};
		}
		case 'select-app':
			return {
				...focused(state, 'apps'),
				model: action.model,
				app: action.app,
				service: action.app === state.app ? state.service : null,
				filters: {...state.filters, apps: ''},
			};
		case 'toggle-mark':
			return {...state, marks: state.marks.includes(action.app) ? state.marks.filter(m => m !== action.app) : [...state.marks, action.app]};
		case 'clear-marks':
			return state.marks.length === 0 ? state : {...state, marks: []};
		case 'unmark':
			return state.marks.some(m => action.apps.includes(m)) ? {...state, marks: state.marks.filter(m => !action.apps.includes(m))} : state;
		case 'open-filter':
			return {...state, editing: filterTarget(state.focus)};
		case 'edit-filter':
			return state.editing ? {...state, filters: {...state.filters, [state.editing]: action.text}} : state;
		case 'close-filter':
			if (!state.editing) return state;
			return {...state, editing: null, filters: action.keep ? state.filters : {...state.filters, [state.editing]: ''}};
		case 'overlay':
			return {...state, overlay: action.overlay};
		case 'message':
			return {...state, message: action.message};
		case 'follow-logs':
			return {...state, logsApp: action.app, logsService: action.service ?? null, logView: null, focus: 'logs'};
		case 'log-view':
			return action.view === state.logView ? state : {...state, logView: action.view};
		case 'remember':
			return action.text ? {...state, history: [...state.history.filter(h => h !== action.text), action.text].slice(-HISTORY)} : state;
		case 'toggle-log': {
			const field = TOGGLE_FIELD[action.what];
			return {...state, [field]: !state[field]};
		}
	}
}
