import {useEffect, useState} from 'react';

/** The current time, refreshed every `intervalMs` while `active` (uptime cells); idle otherwise. */
export function useNow(intervalMs: number, active: boolean, clock: () => number = Date.now): number {
	const [now, setNow] = useState(clock);
	useEffect(() => {
		if (!active) return;
		setNow(clock());
		const timer = setInterval(() => setNow(clock()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs, active, clock]);
	return now;
}
