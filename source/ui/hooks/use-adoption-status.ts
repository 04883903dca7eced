import {useEffect, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import type {AdoptionStatus, Workspace} from '../services.ts';

const NONE: ReadonlyMap<string, AdoptionStatus> = new Map();

/**
 * The adoption status of every app of the workspace (the apps pane's badge, the status pane's
 * remapping), asked again whenever the workspace is scanned again (after an adoption, a new app). It
 * may ask compose for models, so it starts only once the workspace is on screen.
 */
export function useAdoptionStatus(workspace: Workspace | null): {statuses: ReadonlyMap<string, AdoptionStatus>; error: string | null} {
	const services = useServices();
	const [statuses, setStatuses] = useState(NONE);
	const [error, setError] = useState<string | null>(null);
	const generation = useRef(0);
	useEffect(() => {
		if (!workspace) return;
		const mine = ++generation.current;
		let live = true;
		services.adoptionStatus(workspace.models.flatMap(m => m.apps)).then(
			next => {
				// A slower, older answer must not overwrite a newer one.
				if (!live || mine !== generation.current) return;
				setStatuses(next);
				setError(null);
			},
			caught => {
				if (live && mine === generation.current) setError(`fixed ports not checked: ${errorMessage(caught)}`);
			},
		);
		return () => {
			live = false;
		};
	}, [services, workspace]);
	return {statuses, error};
}
