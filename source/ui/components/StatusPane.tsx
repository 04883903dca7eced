import {Text} from 'ink';
import {adoptionStatusLines, serviceTable, type PreviewLine} from '../format.ts';
import {useTheme} from '../contexts/theme-context.tsx';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {keyFor} from '../keymap.ts';
import type {AdoptionStatus, ServiceStatus, WorkspaceApp} from '../services.ts';
import {ListRow} from './ListRow.tsx';
import {Pane} from './Pane.tsx';

/**
 * The selected app's services: state, health, published ports, uptime, restarts; for a compose app
 * berth adopted, each remapped port as original -> allocated, and for one it would, its fixed ports.
 * One service is selected (`selected`, else the first): the per-service keys act on it.
 */
export function StatusPane({
	app,
	services,
	selected = null,
	adoption,
	lastRun = [],
	now,
	known = true,
	focused,
	width,
	height,
}: {
	app: WorkspaceApp | null;
	services: readonly ServiceStatus[];
	/** The selected service's name; `null` (or one that is gone) selects the first. */
	selected?: string | null;
	adoption?: AdoptionStatus | undefined;
	/** The app's action in progress, or its last failure and the line that explains it (kept until its next action). */
	lastRun?: readonly PreviewLine[];
	now: number;
	/** Whether the app's state is known (false: the Engine has not answered for it, or is unreachable). */
	known?: boolean;
	focused: boolean;
	width: number;
	height: number;
}) {
	const theme = useTheme();
	const keymap = useKeymap();
	const inner = width - 2;
	const extra = [...lastRun, ...adoptionStatusLines(app, adoption)];
	const rows = Math.max(0, height - 5 - extra.length);
	const title = app ? `Status · ${app.id}` : 'Status';
	const adopted = app?.berthOverride && adoption?.adopted;
	const about = app
		? `${app.flavour ?? (adopted ? 'adopted' : 'no flavour')} · ${
				adopted
					? 'original -> allocated:'
					: app.ports
						? Object.entries(app.ports)
								.map(([slot, port]) => `${slot} ${port}`)
								.join(' · ')
						: 'no ports'
			}`
		: '';
	// The first column is the selection cursor.
	const table = serviceTable(services, now, inner - 1);
	const index = Math.max(
		0,
		services.findIndex(s => s.service === selected),
	);
	// The rows that fit, scrolled so that the selected one is among them.
	const start = index < rows ? 0 : index - rows + 1;
	return (
		<Pane title={title} focused={focused} width={width} height={height}>
			{!app ? (
				<Text wrap="truncate">no app selected</Text>
			) : (
				<Text wrap="truncate" color={theme.text.muted}>
					{about}
				</Text>
			)}
			{extra.map(line => (
				<Text key={line.text} wrap="truncate" bold={line.tone === 'error'} color={line.tone === 'title' ? undefined : theme.status[line.tone]}>
					{line.text}
				</Text>
			))}
			{app && !app.hasCompose ? <Text wrap="truncate">{`no compose file in ${app.path}`}</Text> : null}
			{app?.hasCompose && services.length === 0 ? (
				<Text wrap="truncate">{known ? `not started (press ${keyFor('apps', 'start', keymap)})` : 'state unknown: no Engine answer'}</Text>
			) : null}
			{services.length > 0 ? <Text wrap="truncate" color={theme.text.muted}>{` ${table.header.map(cell => cell.text).join('')}`}</Text> : null}
			{services.slice(start, start + rows).map((service, i) => (
				<ListRow
					key={service.container}
					cells={table.rows[start + i]}
					// Only while the pane has the focus: the apps pane's keys act on the whole app.
					selected={focused && start + i === index}
					focused={focused}
				/>
			))}
		</Pane>
	);
}
