import {useEffect, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import type {EngineInfo} from '../services.ts';

/** Asks once for the engine and compose version (the header); `null` while asking. */
export function useEngineInfo(): EngineInfo | null {
	const services = useServices();
	const [info, setInfo] = useState<EngineInfo | null>(null);
	useEffect(() => {
		let live = true;
		services.engineInfo().then(
			next => live && setInfo(next),
			error => live && setInfo({reachable: false, composeVersion: null, problem: errorMessage(error)}),
		);
		return () => {
			live = false;
		};
	}, [services]);
	return info;
}
