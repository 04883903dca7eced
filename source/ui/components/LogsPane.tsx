import {Text} from 'ink';
import type {LogBuffer, LogEntry} from '../state/log-buffer.ts';
import {logViewNote, visibleRows, type LogLayout, type LogView} from '../state/log-view.ts';
import type {LogStatus} from '../hooks/use-log-stream.ts';
import {Pane} from './Pane.tsx';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {keyFor} from '../keymap.ts';

const STATUS_LABEL: Record<LogStatus, string> = {
	idle: '',
	following: 'following',
	stopped: 'stopped',
	removed: 'removed',
	'no-containers': 'no containers',
	'engine-lost': 'waiting for the engine',
	ended: 'ended',
	error: 'failed',
};

/** Rows of the pane that are not log rows: its border and title. */
export const LOGS_CHROME = 3;

/** How the pane lays out lines at this size, with the UI's toggles and filter. */
export function logLayout(width: number, height: number, ui: {logWrap: boolean; logTimestamps: boolean; filter: string}): LogLayout {
	return {width: Math.max(1, width - 2), rows: Math.max(0, height - LOGS_CHROME), wrap: ui.logWrap, timestamps: ui.logTimestamps, filter: ui.filter};
}

/**
 * The log pane: the newest rows that fit, or the still view the reader scrolled back to (its title
 * counts the lines since), optionally filtered, wrapped, with timestamps. Plain text and no mouse
 * capture, so the terminal's own selection can copy from it.
 */
export function LogsPane({
	appId,
	service = null,
	buffer,
	status,
	view = null,
	filter,
	wrap = false,
	timestamps = false,
	focused,
	width,
	height,
}: {
	appId: string | null;
	/** The one service followed (`null`: all of the app's). */
	service?: string | null;
	buffer: LogBuffer<LogEntry>;
	status: LogStatus;
	/** Scrolled back: the still view (`null`: following). */
	view?: LogView | null;
	filter: string;
	wrap?: boolean;
	timestamps?: boolean;
	focused: boolean;
	width: number;
	height: number;
}) {
	const keymap = useKeymap();
	const layout = logLayout(width, height, {logWrap: wrap, logTimestamps: timestamps, filter});
	const rows = visibleRows(buffer, view, layout);
	const note = logViewNote(buffer, view, keyFor('logs', 'bottom', keymap));
	// Scrolled back, what came since says more than "following".
	const label = note && status === 'following' ? '' : STATUS_LABEL[status];
	const state = [label, note, filter ? `/${filter}` : '', wrap ? 'wrap' : ''].filter(Boolean).join(' · ');
	const suffix = state ? ` (${state})` : '';
	// The state is what changes: the app's name gives way first when the title does not fit.
	const head = `Logs${appId ? ` · ${appId}` : ''}${appId && service ? ` · ${service}` : ''}`;
	const room = layout.width - suffix.length;
	const title = (head.length <= room ? head : room >= 8 ? `${head.slice(0, room - 1)}…` : 'Logs') + suffix;
	return (
		<Pane title={title} focused={focused} width={width} height={height}>
			{appId === null ? <Text wrap="truncate">{`select an app and press ${keyFor('apps', 'follow-logs', keymap)} to follow its logs`}</Text> : null}
			{rows.map((row, i) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: a row is a place on the screen, not a line: lines repeat, and a Text holds no state
				<Text key={i} wrap="truncate">
					{row}
				</Text>
			))}
		</Pane>
	);
}
