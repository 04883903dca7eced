import {Box, Text} from 'ink';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {useTheme} from '../contexts/theme-context.tsx';
import {wrapText} from '../format.ts';
import {keyFor, keyLabel, keysOf, type PaneScope} from '../keymap.ts';
import {MIN_SIZE} from '../layout.ts';
import {PANES} from '../state/ui-reducer.ts';

const NAMES: Record<PaneScope, string> = {models: 'Models', apps: 'Apps', status: 'Status', logs: 'Logs'};

/** The one-pane layout's first line: every pane by name, the one shown highlighted (tab / h / l move, as in the columns). */
export function PaneTabs({focus, width}: {focus: PaneScope; width: number}) {
	const theme = useTheme();
	// The keys as the keymap has them (a user's keys file may move "next pane" off tab).
	const next = keysOf('next-pane', useKeymap()).map(keyLabel);
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate">
				{PANES.map(pane => (
					<Text key={pane} inverse={pane === focus} bold={pane === focus} color={pane === focus ? theme.text.accent : theme.text.muted}>
						{` ${NAMES[pane]} `}
					</Text>
				))}
				<Text color={theme.text.muted}>{` ${next.join('/') || 'tab'}: next pane`}</Text>
			</Text>
		</Box>
	);
}

/** The whole screen of a terminal too small for berth: what size it needs, how to leave. */
export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	const text = `berth needs a terminal of at least ${MIN_SIZE.columns}x${MIN_SIZE.rows}; this one is ${columns}x${rows}. Make it larger, or press ${keyFor('global', 'quit', useKeymap())} to quit.`;
	const lines = wrapText(text, columns).slice(0, rows);
	return (
		<Box flexDirection="column" width={columns} height={rows}>
			{lines.map(line => (
				<Text key={line} wrap="truncate">
					{line}
				</Text>
			))}
		</Box>
	);
}
