import {Text} from 'ink';
import type {LogBuffer} from '../state/log-buffer.ts';
import {Pane} from './Pane.tsx';

/** Output of compose actions (pull / build / up), newest at the bottom; `outputKey` (a) opens an app's whole output (OutputView). */
export function ActivityPane({
	buffer,
	running,
	outputKey = 'a',
	width,
	height,
}: {
	buffer: LogBuffer;
	running: number;
	outputKey?: string;
	width: number;
	height: number;
}) {
	const rows = Math.max(0, height - 3);
	return (
		<Pane title={`Activity${running > 0 ? ` (${running} running)` : ''} · ${outputKey}: whole output`} focused={false} width={width} height={height}>
			{buffer.lines.slice(-rows).map((line, i) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: a row is a place on the screen, not a line: lines repeat, and a Text holds no state
				<Text key={i} wrap="truncate">
					{line}
				</Text>
			))}
		</Pane>
	);
}
