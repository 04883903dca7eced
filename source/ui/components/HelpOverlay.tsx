import {Box, Text} from 'ink';
import {useTheme} from '../contexts/theme-context.tsx';
import {helpSections, keyLabel} from '../keymap.ts';

const TITLES: Record<string, string> = {global: 'Everywhere', list: 'Lists and logs', models: 'Models pane', apps: 'Apps pane', status: 'Status pane', logs: 'Logs pane', ports: 'Ports view', confirm: 'Questions', help: 'This help'};

/** Every key, generated from the keymap table, in two columns. */
export function HelpOverlay({width, height}: {width: number; height: number}) {
	const theme = useTheme();
	const sections = helpSections();
	const half = Math.ceil(sections.length / 2);
	const column = (part: typeof sections) => (
		<Box flexDirection="column" width={Math.floor((width - 4) / 2)}>
			{part.map(section => (
				<Box key={section.scope} flexDirection="column">
					<Text bold color={theme.text.accent}>{TITLES[section.scope]}</Text>
					{section.bindings.map(binding => (
						<Text key={`${binding.command}-${binding.keys[0]}`} wrap="truncate">{`  ${binding.keys.map(keyLabel).join('/').padEnd(14)}${binding.description}`}</Text>
					))}
				</Box>
			))}
		</Box>
	);
	return (
		<Box flexDirection="column" borderStyle="bold" borderColor={theme.border.focused} width={width} height={height} overflow="hidden">
			<Text bold>Keys (esc closes)</Text>
			<Box>
				{column(sections.slice(0, half))}
				{column(sections.slice(half))}
			</Box>
		</Box>
	);
}
