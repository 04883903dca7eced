/**
 * Waits `ms`, or less when `signal` is aborted first: it then resolves at once (callers check the
 * signal themselves). The timer and the abort listener are both removed whichever comes first, so a
 * loop that sleeps once a second does not pile listeners up on a long-lived signal.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, {once: true});
	});
}
