/** The one abortable sleep (core/sleep.ts): the log follower, the watch loop, the store lock and up --wait use it. */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {getEventListeners} from 'node:events';
import {sleep} from '../../source/core/sleep.ts';

test('sleep ends at once when its signal is aborted, and leaves no listener behind either way', async () => {
	const controller = new AbortController();
	for (let i = 0; i < 50; i++) await sleep(1, controller.signal);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'no listener piles up on a long-lived signal');
	const started = Date.now();
	const long = sleep(60_000, controller.signal);
	controller.abort();
	await long;
	assert.ok(Date.now() - started < 5_000, 'an aborted sleep does not wait out its time');
	await sleep(60_000, controller.signal);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});
