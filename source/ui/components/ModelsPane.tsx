import {Text} from 'ink';
import {markPlacement, modelRowCells, visibleWindow} from '../format.ts';
import {Pane} from './Pane.tsx';
import {ListRow} from './ListRow.tsx';
import type {ModelRow} from '../state/selectors.ts';

export type {ModelRow};

/**
 * The models list (running count / app count; `!` in the error colour for a model holding unhealthy,
 * crash-looping or failed apps); renders only the rows that fit.
 */
export function ModelsPane({
	models,
	selected,
	focused,
	width,
	height,
	filter,
	total,
}: {
	models: readonly ModelRow[];
	selected: number;
	focused: boolean;
	width: number;
	height: number;
	filter: string;
	total: number;
}) {
	const rows = Math.max(0, height - 3);
	const {start, end} = visibleWindow(models.length, selected, rows);
	const marks = markPlacement(models, width - 3);
	const title = `Models ${models.length === total ? total : `${models.length}/${total}`}${filter ? ` /${filter}` : ''}`;
	return (
		<Pane title={title} focused={focused} width={width} height={height}>
			{models.length === 0 ? <Text wrap="truncate">{filter ? 'no model matches' : 'no models yet: press n'}</Text> : null}
			{models.slice(start, end).map((model, i) => (
				<ListRow key={model.id} cells={modelRowCells(model, width - 3, marks)} selected={start + i === selected} focused={focused} />
			))}
		</Pane>
	);
}
