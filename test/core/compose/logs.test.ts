import {test} from 'node:test';
import assert from 'node:assert/strict';
import {comparableTimestamp, logsArgs, splitTimestamp, validSince} from '../../../source/core/compose/logs.ts';

test('docker logs timestamps compare correctly although docker trims trailing zeros', () => {
	const a = comparableTimestamp('2026-11-22T02:45:50.1Z');
	const b = comparableTimestamp('2026-11-22T02:45:50.099999999Z');
	assert.equal(a, '2026-11-22T02:45:50.100000000Z');
	assert.ok(b < a);
	assert.equal(comparableTimestamp('2026-11-22T02:45:50Z'), '2026-11-22T02:45:50.000000000Z');
});

test('a docker logs -t line splits into timestamp and text', () => {
	assert.deepEqual(splitTimestamp('2026-11-22T02:45:50.123456789Z worker line 3'), {timestamp: '2026-11-22T02:45:50.123456789Z', text: 'worker line 3'});
	assert.deepEqual(splitTimestamp('2026-11-22T02:45:50.1Z '), {timestamp: '2026-11-22T02:45:50.1Z', text: ''});
	assert.deepEqual(splitTimestamp('no timestamp here'), {timestamp: null, text: 'no timestamp here'});
});

test('docker logs arguments', () => {
	assert.deepEqual(logsArgs('abc', {follow: true, tail: 10, since: '5m'}), ['logs', '--timestamps', '--follow', '--tail', '10', '--since', '5m', 'abc']);
	assert.deepEqual(logsArgs('abc', {follow: false}), ['logs', '--timestamps', 'abc']);
});

test('--since values docker accepts', () => {
	for (const ok of ['10m', '1h30m', '45s', '1.5h', '1763779549', '2026-11-22', '2026-11-22T02:45:50Z', '2026-11-22T02:45:50.5+01:00'])
		assert.ok(validSince(ok), ok);
	for (const bad of ['yesterday', '10 minutes', '-5m', '']) assert.ok(!validSince(bad), bad);
});
