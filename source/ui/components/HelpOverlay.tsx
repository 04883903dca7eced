import {Box, Text} from 'ink';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {useTheme} from '../contexts/theme-context.tsx';
import {helpLayout} from '../help-layout.ts';

/** The inner area of the overlay: its border takes two columns and two rows, its title one row. */
export const helpArea = (width: number, height: number) => ({width: width - 2, height: height - 3});

/** Every key, generated from the keymap table, in as many columns as fit; pages when they do not. */
export function HelpOverlay({width, height, page}: {width: number; height: number; page: number}) {
	const theme = useTheme();
	const area = helpArea(width, height);
	const layout = helpLayout(area.width, area.height, page, useKeymap());
	const more = layout.pages > 1 ? `  page ${layout.page + 1}/${layout.pages} (←/→ more)` : '';
	return (
		<Box flexDirection="column" borderStyle="bold" borderColor={theme.border.focused} width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate">{`Keys (esc closes)${more}`}</Text>
			<Box>
				{layout.columns.map((column, index) => (
					// biome-ignore lint/suspicious/noArrayIndexKey: the columns of a fixed layout: their place is their identity
					<Box key={index} flexDirection="column" width={layout.columnWidth} flexShrink={0}>
						{column.map((line, row) =>
							line.kind === 'title' ? (
								// biome-ignore lint/suspicious/noArrayIndexKey: the rows of a fixed layout: their place is their identity
								<Text key={row} bold color={theme.text.accent} wrap="truncate">
									{line.text}
								</Text>
							) : (
								// biome-ignore lint/suspicious/noArrayIndexKey: the rows of a fixed layout: their place is their identity
								<Text key={row} wrap="truncate">
									{line.text}
								</Text>
							),
						)}
					</Box>
				))}
			</Box>
		</Box>
	);
}
