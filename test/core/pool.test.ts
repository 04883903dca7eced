import {test} from 'node:test';
import assert from 'node:assert/strict';
import {runBounded} from '../../source/core/pool.ts';

test('runBounded never runs more than the limit and keeps results in order', async () => {
	let running = 0;
	let most = 0;
	const results = await runBounded([30, 10, 20, 5, 15, 25], 2, async ms => {
		running++;
		most = Math.max(most, running);
		await new Promise(resolve => setTimeout(resolve, ms));
		running--;
		if (ms === 5) throw new Error('five failed');
		return ms * 2;
	});
	assert.equal(most, 2);
	assert.deepEqual(
		results.map(r => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
		[60, 20, 40, 'five failed', 30, 50],
	);
});

test('runBounded starts no new item once its signal is aborted', async () => {
	const controller = new AbortController();
	const started: number[] = [];
	const results = await runBounded(
		[1, 2, 3, 4, 5, 6],
		2,
		async n => {
			started.push(n);
			if (n === 2) controller.abort();
			await new Promise(resolve => setTimeout(resolve, 5));
			return n;
		},
		controller.signal,
	);
	assert.deepEqual(started, [1, 2]);
	assert.equal(results.filter(Boolean).length, 2);
});
