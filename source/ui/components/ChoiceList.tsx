import SelectInput from 'ink-select-input';
import {useRef, useState, type FC} from 'react';
import {useKeys} from '../hooks/use-keys.ts';

export interface ChoiceItem {
	key: string;
	label: string;
	value: string;
}

/**
 * A list to pick one item from (the wizard's model, flavour, choice and yes / no). ink-select-input
 * draws it; berth reads its keys, because ink-select-input reads a whole read of the terminal as one
 * key and moves from the index it last drew: `jj` in one read did nothing, two arrows arriving
 * together moved once. Here each key of a read is its own and moves from where the one before left
 * it (up/k, down/j, wrapping round; 1-9 picks the row shown with that number; enter picks).
 */
export function ChoiceList({
	items,
	initialIndex,
	limit,
	itemComponent,
	onSelect,
}: {
	items: readonly ChoiceItem[];
	initialIndex: number;
	limit: number;
	itemComponent: FC<{isSelected?: boolean; label: string}>;
	onSelect: (item: ChoiceItem) => void;
}) {
	const [index, setIndex] = useState(initialIndex);
	// Where the last key left the selection, drawn or not; and whether a pick ended the list's part.
	const latest = useRef(initialIndex);
	const picked = useRef(false);
	const rows = Math.min(Math.max(1, limit), items.length);
	useKeys(({name}) => {
		const count = items.length;
		if (count === 0 || picked.current) return;
		if (name === 'up' || name === 'k') latest.current = (latest.current - 1 + count) % count;
		else if (name === 'down' || name === 'j') latest.current = (latest.current + 1) % count;
		else if (name === 'enter' || /^[1-9]$/.test(name)) {
			// The rows shown: ink-select-input keeps the selected one on the last row once it is past the first window.
			const first = latest.current > rows - 1 ? latest.current - rows + 1 : 0;
			const at = name === 'enter' ? latest.current : first + Number(name) - 1;
			if (name !== 'enter' && (Number(name) > rows || at >= count)) return;
			picked.current = true;
			onSelect(items[at]!);
			return;
		} else return;
		setIndex(latest.current);
	});
	// Drawn afresh at the selection (its own keys off): the window follows the selection as it does.
	return <SelectInput key={index} items={[...items]} initialIndex={index} isFocused={false} itemComponent={itemComponent} limit={limit} />;
}
