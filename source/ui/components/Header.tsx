import {Box, Text} from 'ink';
import {useTheme} from '../contexts/theme-context.tsx';
import type {EngineInfo} from '../services.ts';

/** One line: engine state, compose version and fleet totals (apps in error only when there are some). */
export function Header({
	engine,
	liveError,
	models,
	apps,
	running,
	unhealthy,
	errors = 0,
	width,
}: {
	engine: EngineInfo | null;
	liveError: string | null;
	models: number;
	apps: number;
	/** `null` while the Engine has told no app's state: shown as "…", never as a count berth does not know. */
	running: number | null;
	unhealthy: number | null;
	errors?: number;
	width: number;
}) {
	const theme = useTheme();
	const reachable = engine?.reachable === true && !liveError;
	const engineText = engine === null ? 'engine …' : reachable ? 'engine ok' : 'engine unreachable';
	// What a narrow terminal leaves out first: the compose version, then the model and app counts.
	const compose = `  compose ${engine?.composeVersion ?? '-'}`;
	const counts = `  models ${models}  apps ${apps}`;
	const fixed = `berth  ${engineText}  running ${running ?? '…'}  unhealthy ${unhealthy ?? '…'}${errors > 0 ? `  error ${errors}` : ''}`;
	const shown = fixed.length + counts.length + compose.length <= width ? compose + counts : fixed.length + counts.length <= width ? counts : '';
	return (
		<Box width={width}>
			<Text wrap="truncate">
				<Text bold color={theme.text.accent}>
					berth
				</Text>
				{'  '}
				<Text color={engine === null ? theme.status.muted : reachable ? theme.status.ok : theme.status.error}>{engineText}</Text>
				{`${shown}  `}
				<Text color={running === null ? theme.status.muted : theme.status.ok}>{`running ${running ?? '…'}`}</Text>
				{'  '}
				<Text color={unhealthy === null ? theme.status.muted : unhealthy > 0 ? theme.status.error : undefined}>{`unhealthy ${unhealthy ?? '…'}`}</Text>
				{errors > 0 ? <Text color={theme.status.error}>{`  error ${errors}`}</Text> : null}
			</Text>
		</Box>
	);
}
