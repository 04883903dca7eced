import {Box, Text} from 'ink';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {useTheme} from '../contexts/theme-context.tsx';
import {hintsFor, type Scope} from '../keymap.ts';
import type {UiMessage} from '../state/ui-reducer.ts';

/**
 * Two lines: the message line (a message, a prompt being typed, or a question) and the key hints of
 * the focused scope, both generated from the keymap table.
 */
export function Footer({scope, message, prompt, width}: {scope: Scope; message: UiMessage | null; prompt: string | null; width: number}) {
	const theme = useTheme();
	const hints = hintsFor(scope, useKeymap())
		.map(h => `${h.keys} ${h.label}`)
		.join('  ');
	return (
		<Box flexDirection="column" width={width}>
			{prompt !== null ? (
				<Text wrap="truncate" bold>{`${prompt}▏`}</Text>
			) : (
				<Text wrap="truncate" color={message ? theme.status[message.tone] : undefined}>
					{message?.text ?? ' '}
				</Text>
			)}
			<Text wrap="truncate" color={theme.text.muted}>
				{hints}
			</Text>
		</Box>
	);
}
