import {Box, Text, usePaste} from 'ink';
import {useMemo, useRef, useState} from 'react';
import {useTheme} from '../contexts/theme-context.tsx';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {commandFor} from '../keymap.ts';
import {editText, pasteText} from '../input-routing.ts';
import {useKeys} from '../hooks/use-keys.ts';
import {wrapText} from '../format.ts';

/** What the output overlay shows: a title and its lines (an app's last run, or the last bulk summary). */
export interface OutputContent {
	title: string;
	lines: readonly string[];
	/** Lines dropped from the front to keep the output bounded. */
	dropped?: number;
}

/** Lines of `lines` that contain `needle` (case-insensitive). */
export function matchesOf(lines: readonly string[], needle: string): number[] {
	const text = needle.toLowerCase();
	if (!text) return [];
	return lines.flatMap((line, i) => (line.toLowerCase().includes(text) ? [i] : []));
}

/**
 * `a`: the whole output of an action (or the last bulk summary) over the main area: scrolled with the
 * list keys, searched with `/` then `n` / `N`, long lines wrapped with `w`. It opens at the end (where
 * compose says why it failed) and reads its own keys; `onClose` closes it.
 */
export function OutputView({content, width, height, onClose}: {content: OutputContent; width: number; height: number; onClose: () => void}) {
	const theme = useTheme();
	const keymap = useKeymap();
	const [top, setTop] = useState<number | 'end'>('end');
	const [wrap, setWrap] = useState(false);
	const [search, setSearch] = useState<{text: string; editing: boolean}>({text: '', editing: false});
	const [match, setMatch] = useState(-1);

	const inner = Math.max(10, width - 2);
	// Each source line as the rows it takes: one (cut), or several when wrapping.
	const rowsOf = useMemo(() => content.lines.map(line => (wrap ? wrapText(line, inner, '  ') : [line])), [content.lines, wrap, inner]);
	const rows = useMemo(() => rowsOf.flatMap((parts, i) => parts.map(text => ({text, line: i}))), [rowsOf]);
	const firstRow = useMemo(() => {
		const starts: number[] = [];
		let at = 0;
		for (const parts of rowsOf) {
			starts.push(at);
			at += parts.length;
		}
		return starts;
	}, [rowsOf]);
	const matches = useMemo(() => matchesOf(content.lines, search.text), [content.lines, search.text]);

	// Border, title and the status line.
	const view = Math.max(1, height - 4);
	const maxTop = Math.max(0, rows.length - view);
	const shown = top === 'end' ? maxTop : Math.min(top, maxTop);
	const page = Math.max(1, view - 1);

	// The search and its match as the last key left them, drawn or not: `/`, the text and enter typed
	// at once each build on the key before (the state of the last drawing has none of them yet).
	const keyed = useRef({search, match});
	keyed.current = {search, match};
	const changeSearch = (next: {text: string; editing: boolean}) => {
		keyed.current = {...keyed.current, search: next};
		setSearch(next);
	};
	const jump = (index: number) => {
		const found = matchesOf(content.lines, keyed.current.search.text);
		if (found.length === 0) return;
		const next = (index + found.length) % found.length;
		keyed.current = {...keyed.current, match: next};
		setMatch(next);
		setTop(Math.max(0, Math.min(maxTop, firstRow[found[next]!]! - Math.floor(view / 2))));
	};
	const firstMatchFrom = (row: number) => {
		const index = matchesOf(content.lines, keyed.current.search.text).findIndex(line => firstRow[line]! >= row);
		return index === -1 ? 0 : index;
	};

	// Moves from the previous position, not the one drawn: keys of one read each move.
	const scrollBy = (by: number) => setTop(t => Math.max(0, Math.min(maxTop, (t === 'end' ? maxTop : Math.min(t, maxTop)) + by)));
	useKeys(({input, name, ctrl}) => {
		const typed = keyed.current.search;
		if (typed.editing) {
			if (name === 'escape') return changeSearch({text: '', editing: false});
			if (name === 'enter') {
				changeSearch({...typed, editing: false});
				// The first match from the top line shown.
				return jump(firstMatchFrom(shown));
			}
			const text = editText(typed.text, input, name, ctrl);
			if (text !== null) changeSearch({text, editing: true});
			return;
		}
		const command = commandFor('output', name, keymap);
		const {match: current} = keyed.current;
		if (command === 'close') onClose();
		else if (command === 'up') scrollBy(-1);
		else if (command === 'down') scrollBy(1);
		else if (command === 'page-up') scrollBy(-page);
		else if (command === 'page-down') scrollBy(page);
		else if (command === 'top') setTop(0);
		else if (command === 'bottom') setTop('end');
		else if (command === 'toggle-wrap') setWrap(w => !w);
		else if (command === 'search') changeSearch({text: '', editing: true});
		else if (command === 'next-match') jump(current === -1 ? firstMatchFrom(shown) : current + 1);
		else if (command === 'prev-match') jump(current === -1 ? firstMatchFrom(shown) - 1 : current - 1);
	});
	// A paste goes whole into the search being typed, as one line.
	usePaste(
		text => {
			const line = pasteText(text);
			if (line) changeSearch({text: keyed.current.search.text + line, editing: true});
		},
		{isActive: search.editing},
	);

	const current = match >= 0 ? matches[match] : undefined;
	const position = rows.length > view ? ` · lines ${shown + 1}-${Math.min(rows.length, shown + view)} of ${rows.length}` : '';
	const dropped = content.dropped ? ` (first ${content.dropped} lines dropped)` : '';
	const status = search.editing
		? `/${search.text}▏`
		: search.text
			? `/${search.text}: ${matches.length === 0 ? 'no match' : `match ${match >= 0 ? match + 1 : '-'} of ${matches.length} (n / N)`}${wrap ? ' · wrap' : ''}`
			: `${content.lines.length} lines${dropped}${wrap ? ' · wrap' : ''}`;
	return (
		<Box flexDirection="column" borderStyle="bold" borderColor={theme.border.focused} width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate" color={theme.text.accent}>{`${content.title}${position}`}</Text>
			<Box flexDirection="column" height={view} overflow="hidden">
				{content.lines.length === 0 ? <Text>no output</Text> : null}
				{rows.slice(shown, shown + view).map((row, i) => (
					<Text
						// biome-ignore lint/suspicious/noArrayIndexKey: a window of plain lines that has no ids
						key={shown + i}
						wrap="truncate"
						inverse={row.line === current}
						color={row.text.startsWith('✗') ? theme.status.error : undefined}
					>
						{row.text || ' '}
					</Text>
				))}
			</Box>
			<Text wrap="truncate" color={theme.text.muted} bold={search.editing}>
				{status}
			</Text>
		</Box>
	);
}
