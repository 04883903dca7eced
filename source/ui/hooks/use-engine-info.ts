import {useEffect, useRef, useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import type {BerthServices, EngineInfo} from '../services.ts';

/**
 * The engine and compose version (the header); `null` while asking. Asked once, then again when the
 * live watch (`liveReachable`, `null` before it said anything) finds the Engine back after an answer
 * that said it was not: the compose version and the problem are then out of date. Reachability
 * itself follows the watch both ways, whatever the last answer said.
 */
export function useEngineInfo(liveReachable: boolean | null): EngineInfo | null {
	const services = useServices();
	const [info, setInfo] = useState<EngineInfo | null>(null);
	const askedOf = useRef<BerthServices | null>(null);
	const stale = liveReachable === true && info !== null && !info.reachable;
	useEffect(() => {
		if (askedOf.current === services && !stale) return;
		askedOf.current = services;
		let live = true;
		services.engineInfo().then(
			next => live && setInfo(next),
			error => live && setInfo({reachable: false, composeVersion: null, problem: errorMessage(error)}),
		);
		return () => {
			live = false;
		};
	}, [services, stale]);
	if (info === null || liveReachable === null || liveReachable === info.reachable) return info;
	// The watch is newer than the answer: back (the problem is the old one: asked again above), or lost.
	return liveReachable ? {...info, reachable: true, problem: null} : {...info, reachable: false};
}
