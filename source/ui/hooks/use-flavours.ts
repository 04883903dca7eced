import {useEffect, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import type {FlavourChoice} from '../services.ts';

/** The flavour plugins on offer (wizard); `null` while loading, a load failure becomes `error`. */
export function useFlavours(): {flavours: FlavourChoice[] | null; error: string | null} {
	const services = useServices();
	const [flavours, setFlavours] = useState<FlavourChoice[] | null>(null);
	const [error, setError] = useState<string | null>(null);
	useEffect(() => {
		let live = true;
		services.listFlavours().then(
			list => live && setFlavours(list),
			caught => live && setError(errorMessage(caught)),
		);
		return () => {
			live = false;
		};
	}, [services]);
	return {flavours, error};
}
