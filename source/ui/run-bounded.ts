/**
 * Runs `task` over `items` with at most `limit` at a time; resolves with one settled result per item,
 * in order. Bulk start / stop use it so twenty marked apps do not start twenty compose runs at once.
 */
export async function runBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
	const results: PromiseSettledResult<R>[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
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
