import {Text} from 'ink';
import {appBadge, appRowText, BADGE_WIDTH, visibleWindow} from '../format.ts';
import type {ProjectStates, WorkspaceApp} from '../services.ts';
import {Pane} from './Pane.tsx';
import {ListRow} from './ListRow.tsx';
import {appStateIn} from '../state/selectors.ts';

/** The selected model's apps: number, flavour, ports and a live state badge; only visible rows render. */
export function AppsPane({
	model,
	apps,
	states,
	marks,
	selected,
	focused,
	width,
	height,
	filter,
}: {
	model: string | null;
	apps: readonly WorkspaceApp[];
	states: ProjectStates;
	marks: readonly string[];
	selected: number;
	focused: boolean;
	width: number;
	height: number;
	filter: string;
}) {
	const rows = Math.max(0, height - 3);
	const {start, end} = visibleWindow(apps.length, selected, rows);
	const marked = marks.length > 0 ? ` (${marks.length} marked)` : '';
	const title = `Apps${model ? ` · ${model}` : ''}${filter ? ` /${filter}` : ''}${marked}`;
	return (
		<Pane title={title} focused={focused} width={width} height={height}>
			{apps.length === 0 ? <Text>{model ? (filter ? 'no app matches' : 'no apps') : ''}</Text> : null}
			{apps.slice(start, end).map((app, i) => {
				const {head, tail} = appRowText(app, marks.includes(app.id), width - 3);
				return (
					<ListRow
						key={app.id}
						text={head}
						tail={tail}
						badgeWidth={BADGE_WIDTH}
						selected={start + i === selected}
						focused={focused}
						badge={appBadge(appStateIn(states, app))}
					/>
				);
			})}
		</Pane>
	);
}
