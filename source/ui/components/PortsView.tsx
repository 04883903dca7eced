import {Box, Text} from 'ink';
import {useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import {useTheme} from '../contexts/theme-context.tsx';
import {usePorts} from '../hooks/use-ports.ts';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {commandFor, hintsFor, yesNo} from '../keymap.ts';
import {useKeys} from '../hooks/use-keys.ts';
import {fit, visibleWindow} from '../format.ts';

/**
 * Every allocation in the store, conflicting ports marked `!` with the reason under the list;
 * `x` releases the selected allocation after a yes.
 */
export function PortsView({width, height, onClose, onReleased}: {width: number; height: number; onClose: () => void; onReleased: (appId: string) => void}) {
	const services = useServices();
	const theme = useTheme();
	const keymap = useKeymap();
	const {allocations, conflicts, error, refresh} = usePorts();
	const [selected, setSelected] = useState(0);
	const [asking, setAsking] = useState(false);
	const [message, setMessage] = useState<string | null>(null);
	const list = allocations ?? [];
	const current = list[Math.min(selected, list.length - 1)];
	const currentId = current ? `${current.model}/app${current.app}` : null;
	const conflictPorts = new Set(conflicts.map(c => c.port));

	useKeys(({name}) => {
		if (asking) {
			const command = commandFor('confirm', name, keymap);
			if (command === 'confirm' && current && currentId) {
				setAsking(false);
				services.releasePorts({model: current.model, number: current.app}).then(
					async () => {
						setMessage(`released the ports of ${currentId}`);
						await refresh();
						onReleased(currentId);
					},
					error => setMessage(`release failed: ${errorMessage(error)}`),
				);
			} else if (command === 'cancel') {
				setAsking(false);
				setMessage(null);
			}
			return;
		}
		const command = commandFor('ports', name, keymap);
		if (command === 'up') setSelected(s => Math.max(0, s - 1));
		else if (command === 'down') setSelected(s => Math.min(Math.max(0, list.length - 1), s + 1));
		else if (command === 'close') onClose();
		else if (command === 'release' && current) setAsking(true);
	});

	const rows = Math.max(1, height - 6 - Math.min(conflicts.length, 5));
	const {start, end} = visibleWindow(list.length, selected, rows);
	const footer = asking && currentId ? `Release the ports of ${currentId}? Its containers keep running until stopped. ${yesNo(keymap)}` : message;
	return (
		<Box flexDirection="column" borderStyle="bold" borderColor={theme.border.focused} width={width} height={height} overflow="hidden">
			<Text bold color={theme.text.accent}>{`Ports · ${list.length} allocations · ${conflicts.length} conflicts`}</Text>
			{error ? <Text color={theme.status.error}>{error}</Text> : null}
			{allocations === null && !error ? <Text>reading the store…</Text> : null}
			{allocations !== null && list.length === 0 ? <Text>no allocations yet</Text> : null}
			{list.slice(start, end).map((a, i) => {
				const index = start + i;
				const id = `${a.model}/app${a.app}`;
				const ports = Object.entries(a.ports)
					.map(([slot, port]) => `${conflictPorts.has(port) ? '!' : ''}${slot} ${port}`)
					.join('  ');
				const bad = Object.values(a.ports).some(port => conflictPorts.has(port));
				return (
					<Text key={id} wrap="truncate" bold={index === selected} color={bad ? theme.status.error : undefined} inverse={index === selected}>
						{`${index === selected ? '>' : ' '}${fit(id, Math.max(10, Math.floor(width / 2) - 2))} ${ports}`}
					</Text>
				);
			})}
			{conflicts.slice(0, 5).map(c => (
				<Text key={`${c.kind}-${c.port}-${c.apps.join()}`} wrap="truncate" color={theme.status.error}>{`! ${c.message}`}</Text>
			))}
			<Text wrap="truncate" color={asking ? theme.status.warn : undefined}>
				{footer ?? ' '}
			</Text>
			<Text wrap="truncate" color={theme.text.muted}>
				{hintsFor(asking ? 'confirm' : 'ports', keymap)
					.map(h => `${h.keys} ${h.label}`)
					.join('  ')}
			</Text>
		</Box>
	);
}
