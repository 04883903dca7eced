import {Text} from 'ink';
import {useTheme} from '../contexts/theme-context.tsx';
import {fit, type Badge} from '../format.ts';

/**
 * One row of a list: a cursor for the selection, the text, then optionally a coloured badge in a
 * column of `badgeWidth` cells, a second coloured badge (`note`, its text as wide as it should show)
 * and more text after it.
 */
export function ListRow({
	text,
	selected,
	focused,
	badge,
	badgeWidth = 0,
	tail = '',
	note,
}: {
	text: string;
	selected: boolean;
	focused: boolean;
	badge?: Badge;
	badgeWidth?: number;
	tail?: string;
	note?: Badge | null;
}) {
	const theme = useTheme();
	const cursor = selected ? (focused ? '>' : '·') : ' ';
	return (
		<Text wrap="truncate" inverse={selected && focused} bold={selected}>
			{cursor}
			{text}
			{badge ? <Text color={theme.status[badge.tone]}>{fit(badge.text, badgeWidth || badge.text.length)}</Text> : null}
			{note ? <Text color={theme.status[note.tone]}>{note.text}</Text> : null}
			{tail}
		</Text>
	);
}
