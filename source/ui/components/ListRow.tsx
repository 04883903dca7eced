import {Text} from 'ink';
import {useTheme} from '../contexts/theme-context.tsx';
import {fit, type Badge} from '../format.ts';

/**
 * One row of a list: a cursor for the selection, the text, then optionally a coloured badge in a
 * column of `badgeWidth` cells and more text after it.
 */
export function ListRow({
	text,
	selected,
	focused,
	badge,
	badgeWidth = 0,
	tail = '',
}: {
	text: string;
	selected: boolean;
	focused: boolean;
	badge?: Badge;
	badgeWidth?: number;
	tail?: string;
}) {
	const theme = useTheme();
	const cursor = selected ? (focused ? '>' : '·') : ' ';
	return (
		<Text wrap="truncate" inverse={selected && focused} bold={selected}>
			{cursor}
			{text}
			{badge ? <Text color={theme.status[badge.tone]}>{fit(badge.text, badgeWidth || badge.text.length)}</Text> : null}
			{tail}
		</Text>
	);
}
