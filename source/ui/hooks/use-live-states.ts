import {useEffect, useState} from 'react';
import {useServices} from '../contexts/services-context.tsx';
import type {ProjectStates} from '../services.ts';

const EMPTY: ProjectStates = new Map();

/**
 * Follows the live state of every compose project through `services.watchStates` (event-driven:
 * no polling loop here) until unmount. An engine error becomes `error`; the next snapshot clears it.
 */
export function useLiveStates(): {states: ProjectStates; error: string | null} {
	const services = useServices();
	const [states, setStates] = useState<ProjectStates>(EMPTY);
	const [error, setError] = useState<string | null>(null);
	useEffect(() => {
		const controller = new AbortController();
		services.watchStates(
			next => {
				if (controller.signal.aborted) return;
				setStates(next);
				setError(null);
			},
			message => {
				if (!controller.signal.aborted) setError(message);
			},
			controller.signal,
		);
		return () => controller.abort();
	}, [services]);
	return {states, error};
}
