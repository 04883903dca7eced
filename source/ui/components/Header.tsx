import {Box, Text} from 'ink';
import {useTheme} from '../contexts/theme-context.tsx';
import {engineHeaderVariants, textWidth, type Cell} from '../format.ts';
import type {EngineInfo} from '../services.ts';
import type {EngineRow} from '../state/selectors.ts';

/**
 * One line: engine state, compose version and fleet totals (apps in error only when there are some).
 * Apps on several engines: each engine with its state in place of the one engine's.
 */
export function Header({
	engine,
	engines = null,
	liveError,
	models,
	apps,
	running,
	unhealthy,
	errors = 0,
	width,
}: {
	engine: EngineInfo | null;
	/** The engines the apps are on, `null` while they are on one (selectors.ts engineRows). */
	engines?: readonly EngineRow[] | null;
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
	const variants: Cell[][] = engines ? engineHeaderVariants(engines) : [[{text: engineText, tone: engine === null ? 'muted' : reachable ? 'ok' : 'error'}]];
	// What a narrow terminal leaves out first: the compose version, then the model and app counts; then
	// the engines are shortened (counted, only those not answering named), with the counts if they fit.
	const compose = `  compose ${engine?.composeVersion ?? '-'}`;
	const counts = `  models ${models}  apps ${apps}`;
	const totals = `  running ${running ?? '…'}  unhealthy ${unhealthy ?? '…'}${errors > 0 ? `  error ${errors}` : ''}`;
	const [first, ...shorter] = variants as [Cell[], ...Cell[][]];
	const choices: [Cell[], string][] = [
		[first, compose + counts],
		[first, counts],
		[first, ''],
		...shorter.flatMap((cells): [Cell[], string][] => [
			[cells, counts],
			[cells, ''],
		]),
	];
	const fits = ([cells, shown]: [Cell[], string]) =>
		'berth  '.length + cells.reduce((sum, c) => sum + textWidth(c.text), 0) + shown.length + totals.length <= width;
	const [engineCells, shown] = choices.find(fits) ?? choices.at(-1)!;
	return (
		<Box width={width}>
			<Text wrap="truncate">
				<Text bold color={theme.text.accent}>
					berth
				</Text>
				{'  '}
				{engineCells.map((cell, i) => (
					// biome-ignore lint/suspicious/noArrayIndexKey: a cell is a place in the line, and a Text holds no state
					<Text key={i} color={cell.tone ? theme.status[cell.tone] : undefined}>
						{cell.text}
					</Text>
				))}
				{`${shown}  `}
				<Text color={running === null ? theme.status.muted : theme.status.ok}>{`running ${running ?? '…'}`}</Text>
				{'  '}
				<Text color={unhealthy === null ? theme.status.muted : unhealthy > 0 ? theme.status.error : undefined}>{`unhealthy ${unhealthy ?? '…'}`}</Text>
				{errors > 0 ? <Text color={theme.status.error}>{`  error ${errors}`}</Text> : null}
			</Text>
		</Box>
	);
}
