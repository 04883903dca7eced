import {Text} from 'ink';
import {adoptionBadge, appBadge, appRowText, BADGE_WIDTH, visibleWindow, type Badge} from '../format.ts';
import type {AdoptionStatus, ProjectStates, WorkspaceApp} from '../services.ts';
import {Pane} from './Pane.tsx';
import {ListRow} from './ListRow.tsx';
import {appStateIn} from '../state/selectors.ts';

/**
 * The selected model's apps: number, flavour, ports and a live state badge, and an adoption badge
 * ("fixed 8080") on compose apps whose fixed host ports `A` would remap; only visible rows render.
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
}) {
	const rows = Math.max(0, height - 3);
	const {start, end} = visibleWindow(apps.length, selected, rows);
	const marked = marks.length > 0 ? ` (${marks.length} marked)` : '';
	const title = `Apps${model ? ` · ${model}` : ''}${filter ? ` /${filter}` : ''}${marked}`;
	return (
		<Pane title={title} focused={focused} width={width} height={height}>
			{apps.length === 0 ? <Text>{model ? (filter ? 'no app matches' : 'no apps') : ''}</Text> : null}
			{apps.slice(start, end).map((app, i) => {
				const adoption = adoptionBadge(app, adoptions.get(app.id));
				const {head, note, tail} = appRowText(app, marks.includes(app.id), width - 3, adoption);
				return (
					<ListRow
						key={app.id}
						text={head}
						tail={tail}
						note={adoption && note ? {text: note, tone: adoption.tone} : null}
						badgeWidth={BADGE_WIDTH}
						selected={start + i === selected}
						focused={focused}
						badge={busy?.(app.id) ?? appBadge(appStateIn(states, app))}
					/>
				);
			})}
		</Pane>
	);
}
