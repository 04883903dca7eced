/**
 * The one bounded pool: runs `task` over `items` with at most `limit` at a time; resolves with one
 * settled result per item, in order. Bulk start / stop use it so twenty marked apps do not start twenty
 * compose runs at once; inspect and compose-file reads so a fleet does not open hundreds of sockets or
 * files at once. Once `signal` is aborted no new item starts (those left out have no result: a hole).
 */
export async function runBounded<T, R>(
	items: readonly T[],
	limit: number,
	task: (item: T) => Promise<R>,
	signal?: AbortSignal,
): Promise<PromiseSettledResult<R>[]> {
	const results: PromiseSettledResult<R>[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length && !signal?.aborted) {
			const index = next++;
			try {
				results[index] = {status: 'fulfilled', value: await task(items[index]!)};
			} catch (error) {
				results[index] = {status: 'rejected', reason: error};
			}
		}
	};
	await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, worker));
	return results;
}
