import {useCallback, useEffect, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import type {Allocation, PortConflict} from '../services.ts';

export interface PortsData {
	allocations: Allocation[] | null;
	conflicts: PortConflict[];
	error: string | null;
	/** Reads the store and checks for conflicts again. */
	refresh: () => Promise<void>;
}

/** The port allocations and their conflicts (`ports check`), loaded when the ports view opens. */
export function usePorts(): PortsData {
	const services = useServices();
	const [allocations, setAllocations] = useState<Allocation[] | null>(null);
	const [conflicts, setConflicts] = useState<PortConflict[]>([]);
	const [error, setError] = useState<string | null>(null);
	const refresh = useCallback(async () => {
		try {
			setAllocations(await services.listAllocations());
			setError(null);
		} catch (caught) {
			setError(errorMessage(caught));
			return;
		}
		try {
			setConflicts(await services.checkPorts());
		} catch (caught) {
			setError(`conflict check failed: ${errorMessage(caught)}`);
		}
	}, [services]);
	useEffect(() => {
		void refresh();
	}, [refresh]);
	return {allocations, conflicts, error, refresh};
}
