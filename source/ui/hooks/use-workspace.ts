import {useCallback, useEffect, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import type {Workspace} from '../services.ts';

export interface WorkspaceState {
	workspace: Workspace | null;
	error: string | null;
	/** Scans again (after a new app or a release); resolves with the new workspace. */
	reload: () => Promise<Workspace | null>;
}

/**
 * Loads the workspace on mount, on `reload()` and whenever the apps root changes on disk (a folder
 * added, removed or renamed); a failed scan becomes `error`, never a crash.
 */
export function useWorkspace(): WorkspaceState {
	const services = useServices();
	const [workspace, setWorkspace] = useState<Workspace | null>(null);
	const [error, setError] = useState<string | null>(null);
	const generation = useRef(0);
	const mounted = useRef(true);

	const reload = useCallback(async () => {
		const mine = ++generation.current;
		try {
			const next = await services.loadWorkspace();
			// A slower, older scan must not overwrite a newer one.
			if (mine !== generation.current || !mounted.current) return null;
			setWorkspace(next);
			setError(null);
			return next;
		} catch (caught) {
			if (mine === generation.current && mounted.current) setError(errorMessage(caught));
			return null;
		}
	}, [services]);

	useEffect(() => {
		mounted.current = true;
		void reload();
		const watching = new AbortController();
		services.watchWorkspace(() => void reload(), watching.signal);
		return () => {
			mounted.current = false;
			watching.abort();
		};
	}, [reload, services]);

	return {workspace, error, reload};
}
