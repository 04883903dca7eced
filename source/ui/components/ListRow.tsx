import {Text} from 'ink';
import {useTheme} from '../contexts/theme-context.tsx';
import type {Cell} from '../format.ts';

/**
 * One row of a list: a cursor for the selection, then the text, or `cells` each in its own colour
 * (the caller fits them to the row's width: format.ts fitCells).
 */
export function ListRow({text = '', cells = [], selected, focused}: {text?: string; cells?: readonly Cell[]; selected: boolean; focused: boolean}) {
	const theme = useTheme();
	const cursor = selected ? (focused ? '>' : '·') : ' ';
	return (
		<Text wrap="truncate" inverse={selected && focused} bold={selected}>
			{cursor}
			{text}
			{cells.map((cell, i) =>
				cell.tone ? (
					// biome-ignore lint/suspicious/noArrayIndexKey: a cell is a place in the row, and a Text holds no state
					<Text key={i} color={theme.status[cell.tone]}>
						{cell.text}
					</Text>
				) : (
					cell.text
				),
			)}
		</Text>
	);
}
