import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LogMarkers, type ObservedContainer} from '../../../source/core/compose/log-markers.ts';

const web = (running: boolean): ObservedContainer => ({key: 'web#1', service: 'web', running});
const worker = (running: boolean): ObservedContainer => ({key: 'worker#1', service: 'worker', running});
/** The marker texts of a sequence of looks ('lost': the engine did not answer). */
function markers(...looks: (readonly ObservedContainer[] | 'lost' | {reran: string[]; containers: ObservedContainer[]})[]): string[] {
	const tracker = new LogMarkers('no containers yet');
	return looks
		.flatMap(look => {
			if (look === 'lost') return tracker.lost('connect ENOENT');
			if ('reran' in look) return tracker.observe(look.containers, new Set(look.reran));
			return tracker.observe(look);
		})
		.map(line => `${line.event}${line.service ? `:${line.service}` : ''} ${line.text}`);
}

test('a running app needs no words; a stop is said once, however many looks follow', () => {
	const running = [web(true), worker(true)];
	const stopped = [web(false), worker(false)];
	assert.deepEqual(markers(running, running, stopped, stopped, stopped), ['stopped stopped']);
});

test('a down that the looks see as stopped, then gone: each once; a first look at nothing says so', () => {
	const running = [web(true), worker(true)];
	assert.deepEqual(markers(running, [web(false), worker(false)], [], []), ['stopped stopped', 'removed removed']);
	assert.deepEqual(markers(running, [], []), ['removed removed'], 'a down between two looks');
	assert.deepEqual(markers([], [], running), ['no-containers no containers yet', 'restarted restarted']);
	assert.deepEqual(markers([web(false)]), ['stopped stopped'], 'the first look finds the app stopped');
});

test('a restart the looks never saw stopped is told by the streams that ended: the app, or one service', () => {
	const running = [web(true), worker(true)];
	assert.deepEqual(markers(running, {reran: ['web#1', 'worker#1'], containers: running}), ['restarted restarted']);
	assert.deepEqual(markers(running, {reran: ['worker#1'], containers: running}, running), ['restarted:worker worker restarted']);
});

test('one service stopping while the app runs on is said with its name; then the app stopping', () => {
	assert.deepEqual(markers([web(true), worker(true)], [web(true), worker(false)], [web(true), worker(false)], [web(false), worker(false)]), [
		'stopped:worker worker stopped',
		'stopped stopped',
	]);
	assert.deepEqual(markers([web(true), worker(true)], [web(true)]), ['removed:worker worker removed']);
});

test('an engine outage is one line when it goes and one when it is back, whatever the looks in between', () => {
	const running = [web(true), worker(true)];
	assert.deepEqual(markers(running, 'lost', 'lost', 'lost', 'lost', {reran: ['web#1', 'worker#1'], containers: running}, running), [
		'engine-lost engine lost (connect ENOENT): waiting for it to come back',
		'engine-back engine back',
	]);
	// The containers did not survive the outage: said after "engine back".
	assert.deepEqual(markers(running, 'lost', [web(false), worker(false)]), [
		'engine-lost engine lost (connect ENOENT): waiting for it to come back',
		'engine-back engine back',
		'stopped stopped',
	]);
	assert.deepEqual(markers('lost', running), ['engine-lost engine lost (connect ENOENT): waiting for it to come back', 'engine-back engine back']);
});

test('an app starting again says "restarted" once: a service that comes up a few looks later is part of it', () => {
	const stopped = [web(false), worker(false)];
	// compose starts worker after web is healthy: the looks see web first.
	assert.deepEqual(markers([web(true), worker(true)], stopped, [web(true), worker(false)], [web(true), worker(false)], [web(true), worker(true)]), [
		'stopped stopped',
		'restarted restarted',
	]);
	// Long after, worker stopping and starting on its own is said again.
	const later: ObservedContainer[][] = [stopped, [web(true), worker(false)], [web(true), worker(true)]];
	for (let i = 0; i < 40; i++) later.push([web(true), worker(true)]);
	later.push([web(true), worker(false)], [web(true), worker(true)]);
	assert.deepEqual(markers([web(true), worker(true)], ...later), [
		'stopped stopped',
		'restarted restarted',
		'stopped:worker worker stopped',
		'restarted:worker worker restarted',
	]);
});
