import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {useTheme} from '../contexts/theme-context.tsx';

/** A bordered pane with a title line; the border shows which pane has the focus. */
export function Pane({
	title,
	focused,
	width,
	height,
	children,
}: {
	title: string;
	focused: boolean;
	width?: number | string;
	height: number;
	children?: ReactNode;
}) {
	const theme = useTheme();
	return (
		<Box
			flexDirection="column"
			borderStyle={focused ? 'bold' : 'single'}
			borderColor={focused ? theme.border.focused : theme.border.idle}
			width={width}
			height={height}
			overflow="hidden"
		>
			<Box flexShrink={0}>
				<Text bold={focused} color={theme.text.accent} wrap="truncate">
					{title}
				</Text>
			</Box>
			{children}
		</Box>
	);
}
