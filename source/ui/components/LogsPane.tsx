import {Text} from 'ink';
import {logWindow, type LogBuffer} from '../state/log-buffer.ts';
import type {LogStatus} from '../hooks/use-log-stream.ts';
import {Pane} from './Pane.tsx';

const STATUS_LABEL: Record<LogStatus, string> = {idle: '', following: 'following', ended: 'ended', error: 'failed'};

/**
 * The log pane: the newest lines that fit (or `scroll` lines up), optionally filtered. Plain text and
 * no mouse capture, so the terminal's own selection can copy from it.
 */
export function LogsPane({
	appId,
	service = null,
	buffer,
	status,
	scroll,
	filter,
	focused,
	width,
	height,
}: {
	appId: string | null;
	/** The one service followed (`null`: all of the app's). */
	service?: string | null;
	buffer: LogBuffer;
	status: LogStatus;
	scroll: number;
	filter: string;
	focused: boolean;
	width: number;
	height: number;
}) {
	const rows = Math.max(0, height - 3);
	const lines = logWindow(buffer.lines, rows, scroll, filter);
	const state = [STATUS_LABEL[status], scroll > 0 ? `${scroll} up` : '', filter ? `/${filter}` : ''].filter(Boolean).join(' · ');
	const title = `Logs${appId ? ` · ${appId}` : ''}${appId && service ? ` · ${service}` : ''}${state ? ` (${state})` : ''}`;
	return (
		<Pane title={title} focused={focused} width={width} height={height}>
			{appId === null ? <Text wrap="truncate">select an app and press l to follow its logs</Text> : null}
			{lines.map((line, i) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: a row is a place on the screen, not a line: lines repeat, and a Text holds no state
				<Text key={i} wrap="truncate">
					{line}
				</Text>
			))}
		</Pane>
	);
}
