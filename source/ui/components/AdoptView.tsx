import {Box, Text} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {adoptionMessage} from '../commands.ts';
import {useServices} from '../contexts/services-context.tsx';
import {useTheme} from '../contexts/theme-context.tsx';
import {adoptionPreviewLines} from '../format.ts';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {commandFor, keyFor, yesNo} from '../keymap.ts';
import {useKeys} from '../hooks/use-keys.ts';
import type {AdoptionReport, WorkspaceApp} from '../services.ts';
import type {UiMessage} from '../state/ui-reducer.ts';

type Phase = {kind: 'planning'} | {kind: 'preview'; reports: AdoptionReport[]} | {kind: 'adopting'; reports: AdoptionReport[]};

/**
 * `A`: the adoption preview of the selected or marked apps — per app each fixed port as "service
 * target/proto: original -> allocated", the container names replaced and what cannot be made safe —
 * then, after a yes, the adoption. Nothing is written before the yes; `onFinish` closes it with what
 * to say and whether anything changed.
 */
export function AdoptView({
	apps,
	width,
	height,
	onFinish,
}: {
	apps: readonly WorkspaceApp[];
	width: number;
	height: number;
	/** `adopted`: the apps adopted (a bulk adoption unmarks them, docs/tui.md). */
	onFinish: (message: UiMessage, changed: boolean, adopted?: readonly string[]) => void;
}) {
	const services = useServices();
	const theme = useTheme();
	const keymap = useKeymap();
	const [phase, setPhase] = useState<Phase>({kind: 'planning'});
	const [scroll, setScroll] = useState(0);
	const open = useRef(true);
	// Planned once per opening, for the apps it opened on (the App hands a new array on every render).
	const opened = useRef({apps, onFinish});
	opened.current.onFinish = onFinish;

	useEffect(() => {
		open.current = true;
		services.planAdoption(opened.current.apps).then(
			reports => open.current && setPhase({kind: 'preview', reports}),
			error => open.current && opened.current.onFinish({text: `adopt: ${errorMessage(error)}`, tone: 'error'}, false),
		);
		return () => {
			open.current = false;
		};
	}, [services]);

	const inner = Math.max(10, width - 2);
	const lines = useMemo(() => (phase.kind === 'planning' ? [] : adoptionPreviewLines(phase.reports, inner)), [phase, inner]);
	// Border, title and the question line around the preview.
	const rows = Math.max(1, height - 4);
	const maxScroll = Math.max(0, lines.length - rows);
	const top = Math.min(scroll, maxScroll);

	const confirm = (reports: AdoptionReport[]) => {
		const todo = apps.filter(app => reports.some(r => r.app === app.id && r.status === 'would-adopt'));
		if (todo.length === 0) {
			const reason = reports.length === 1 ? `: ${reports[0]!.message}` : '';
			return onFinish({text: `nothing to adopt${reason}`, tone: 'info'}, false);
		}
		setPhase({kind: 'adopting', reports});
		services.adopt(todo).then(
			done =>
				onFinish(
					adoptionMessage(done, keyFor('apps', 'start', keymap)),
					done.some(r => r.status === 'adopted'),
					done.filter(r => r.status === 'adopted').map(r => r.app),
				),
			error => onFinish({text: `adopt failed: ${errorMessage(error)}`, tone: 'error'}, true),
		);
	};

	// Scrolls from the previous scroll, not the one drawn: keys of one read each move.
	const scrollBy = (by: number) => setScroll(s => Math.min(maxScroll, Math.max(0, Math.min(s, maxScroll) + by)));
	useKeys(({name}) => {
		const command = commandFor('adopt', name, keymap);
		if (phase.kind === 'adopting') return; // berth is writing: it finishes
		if (command === 'cancel') return onFinish({text: 'adoption cancelled: nothing was changed', tone: 'info'}, false);
		if (phase.kind !== 'preview') return;
		const page = Math.max(1, rows - 1);
		if (command === 'confirm') confirm(phase.reports);
		else if (command === 'up') scrollBy(-1);
		else if (command === 'down') scrollBy(1);
		else if (command === 'page-up') scrollBy(-page);
		else if (command === 'page-down') scrollBy(page);
	});

	const what = apps.length === 1 ? apps[0]!.id : `${apps.length} apps`;
	const position = lines.length > rows ? ` · lines ${top + 1}-${Math.min(lines.length, top + rows)} of ${lines.length} (↑↓)` : '';
	const question =
		phase.kind === 'planning'
			? "reading the apps' compose files…"
			: phase.kind === 'adopting'
				? `adopting ${what}…`
				: `Adopt? ${yesNo(keymap, 'adopt')} · berth writes its own override, never the apps' files`;
	return (
		<Box flexDirection="column" borderStyle="bold" borderColor={theme.border.focused} width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate" color={theme.text.accent}>{`Adopt ${what}${position}`}</Text>
			<Box flexDirection="column" height={rows} overflow="hidden">
				{lines.slice(top, top + rows).map((line, i) => (
					<Text
						// biome-ignore lint/suspicious/noArrayIndexKey: a window of plain lines that has no ids
						key={top + i}
						wrap="truncate"
						bold={line.tone === 'title'}
						color={line.tone === 'title' ? undefined : theme.status[line.tone]}
					>
						{line.text}
					</Text>
				))}
			</Box>
			<Text wrap="truncate" color={theme.status.warn}>
				{question}
			</Text>
		</Box>
	);
}
