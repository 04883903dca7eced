import {createContext, useContext, type ReactNode} from 'react';
import type {BerthServices} from '../services.ts';

const ServicesContext = createContext<BerthServices | null>(null);

/** Hands the core services to every hook below it (one context, one domain). */
export function ServicesProvider({services, children}: {services: BerthServices; children: ReactNode}) {
	return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): BerthServices {
	const services = useContext(ServicesContext);
	if (!services) throw new Error('useServices() needs a <ServicesProvider> above it');
	return services;
}
