import {Text} from 'ink';
import {adoptionBadge, appBadge, appColumns, appRowCells, visibleWindow, type AppColumns, type Badge} from '../format.ts';
import type {AdoptionStatus, ProjectStates, WorkspaceApp} from '../services.ts';
import {Pane} from './Pane.tsx';
import {ListRow} from './ListRow.tsx';
import {appStateIn} from '../state/selectors.ts';

/**
 * The selected model's apps: number, flavour, ports and a live state badge, and an adoption badge
 * ("fixed 8080") on compose apps whose fixed host ports `A` would remap, and the app's engine when the
 * apps are on several; only visible rows render.
 */
export function AppsPane({
	model,
	apps,
	states,
	adoptions,
	busy,
	marks,
	selected,
	focused,
	width,
	height,
	filter,
	columns,
	engine = () => null,
}: {
	model: string | null;
	apps: readonly WorkspaceApp[];
	states: ProjectStates;
	adoptions: ReadonlyMap<string, AdoptionStatus>;
	/** The badge of an app with an action in progress ("stopping 3s"), shown in place of its state. */
	busy?: (app: string) => Badge | null;
	marks: readonly string[];
	selected: number;
	focused: boolean;
	width: number;
	height: number;
	filter: string;
	/** The columns' widths (the fleet's, so the pane keeps its layout as the selection moves); by default these apps'. */
	columns?: AppColumns;
	/** An app's engine badge: only while the apps are on several engines (`null` otherwise). */
	engine?: (app: WorkspaceApp) => Badge | null;
}) {
	const rows = Math.max(0, height - 3);
	const {start, end} = visibleWindow(apps.length, selected, rows);
	const marked = marks.length > 0 ? ` (${marks.length} marked)` : '';
	const shown = columns ?? appColumns(apps, app => adoptionBadge(app, adoptions.get(app.id)), engine);
	const title = `Apps${model ? ` · ${model}` : ''}${filter ? ` /${filter}` : ''}${marked}`;
	return (
		<Pane title={title} focused={focused} width={width} height={height}>
			{apps.length === 0 ? <Text wrap="truncate">{model ? (filter ? 'no app matches' : 'no apps') : ''}</Text> : null}
			{apps.slice(start, end).map((app, i) => {
				const badge = busy?.(app.id) ?? appBadge(appStateIn(states, app));
				const cells = appRowCells(app, marks.includes(app.id), width - 3, badge, shown, adoptionBadge(app, adoptions.get(app.id)), engine(app));
				return <ListRow key={app.id} cells={cells} selected={start + i === selected} focused={focused} />;
			})}
		</Pane>
	);
}
