import {useEffect, useState} from 'react';
import {useServices} from '../contexts/services-context.tsx';
import type {EngineState, ProjectStates} from '../services.ts';

const EMPTY: ProjectStates = new Map();
const NO_ENGINES: readonly EngineState[] = [];

export interface LiveStates {
	states: ProjectStates;
	error: string | null;
	/**
	 * Whether the Engine answers, as the watch last found it (`null` before it said anything): a
	 * snapshot alone means it answers, an error means it does not. The header follows this both ways.
	 */
	reachable: boolean | null;
	/** Each engine's state as the last snapshot gave it (empty before the first, or from a watch that gives none). */
	engines: readonly EngineState[];
}

/**
 * Follows the live state of every compose project through `services.watchStates` (event-driven:
 * no polling loop here) until unmount. An engine error becomes `error`; the next snapshot clears it.
 */
export function useLiveStates(): LiveStates {
	const services = useServices();
	const [live, setLive] = useState<LiveStates>({states: EMPTY, error: null, reachable: null, engines: NO_ENGINES});
	useEffect(() => {
		const controller = new AbortController();
		services.watchStates(
			(next, engines = NO_ENGINES) => {
				if (!controller.signal.aborted) setLive({states: next, error: null, reachable: true, engines});
			},
			message => {
				if (!controller.signal.aborted) setLive(current => ({...current, error: message, reachable: false}));
			},
			controller.signal,
		);
		return () => controller.abort();
	}, [services]);
	return live;
}
