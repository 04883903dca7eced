import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ActivityLog, busyBadgeText, busyMessage, elapsed, lastRunLines, runOutput} from '../../../source/ui/state/activity-log.ts';

test('an app busy with an action refuses a second one until it ends', () => {
	const log = new ActivityLog();
	const run = log.begin('m/app1', 'stop', 1000)!;
	assert.equal(log.begin('m/app1', 'stop', 2000), null);
	assert.equal(busyMessage(log.busy('m/app1')!, 4000), 'm/app1 is already stopping (3s)');
	log.finish(run, 5000, null);
	assert.equal(log.busy('m/app1'), null);
	assert.ok(log.begin('m/app1', 'up', 6000));
});

test('output is bounded per app and for the number of apps; a failure stays until the next run', () => {
	const log = new ActivityLog({linesPerApp: 3, apps: 2});
	const one = log.begin('m/app1', 'up', 0)!;
	log.append(one, ['a', 'b', 'c', 'd', 'e']);
	assert.deepEqual([one.lines, one.dropped], [['c', 'd', 'e'], 2]);
	log.finish(one, 10, 'Bind for 127.0.0.1:5001 failed: port is already allocated');
	assert.equal(log.last('m/app1')?.cause, 'Bind for 127.0.0.1:5001 failed: port is already allocated');
	log.finish(log.begin('m/app2', 'up', 20)!, 30, null);
	log.begin('m/app3', 'up', 40);
	assert.equal(log.last('m/app1'), null, 'the oldest app is forgotten');
	assert.ok(log.last('m/app2') && log.last('m/app3'));
	assert.equal(log.begin('m/app3', 'stop', 50), null);
});

test('the busy badge always shows the elapsed time', () => {
	const log = new ActivityLog();
	assert.equal(busyBadgeText(log.begin('a', 'stop', 0)!, 3000, 11), 'stopping 3s');
	assert.equal(busyBadgeText(log.begin('b', 'restart', 0)!, 3000, 11), 'restart… 3s');
	assert.equal(busyBadgeText(log.begin('c', 'build', 0)!, 75_000, 11), 'rebu… 1m15s');
	assert.equal(elapsed(0, 3_599_000), '59m59s');
});

test("an app's output from a bulk run ends with that run's summary; its next run of its own does not", () => {
	const log = new ActivityLog();
	// As the runner does: each app's run begins, then the bulk (a clock tick later here).
	const one = log.begin('m/app1', 'up', 1000)!;
	const two = log.begin('m/app2', 'up', 1000)!;
	const bulk = log.beginBulk('up', ['m/app1', 'm/app2'], 1001);
	log.append(one, ['Bind for 127.0.0.1:5001 failed: port is already allocated']);
	log.finish(one, 3000, 'Bind for 127.0.0.1:5001 failed: port is already allocated');
	bulk.failed.push({app: 'm/app1', cause: 'Bind for 127.0.0.1:5001 failed: port is already allocated'});
	log.finish(two, 3000, null);
	bulk.endedAt = 3000;
	assert.deepEqual(runOutput(two, 4000, log.bulk), {
		title: 'Output · start m/app2 · done',
		lines: ['', '── start of 2 apps · 1 of 2 failed ──', '✗ m/app1: Bind for 127.0.0.1:5001 failed: port is already allocated', '  m/app2: done'],
		dropped: 0,
	});
	const again = log.begin('m/app2', 'stop', 5000)!;
	log.finish(again, 6000, null);
	assert.deepEqual(runOutput(again, 7000, log.bulk).lines, []);
});

test('an action on one service names it: busy, in progress and failed', () => {
	const log = new ActivityLog();
	const run = log.begin('m/app1', 'stop', 1000, ['worker'])!;
	assert.equal(busyMessage(run, 4000), 'm/app1 is already stopping worker (3s)');
	assert.deepEqual(lastRunLines(run, 4000, 40), [{text: 'stopping worker 3s…', tone: 'info'}]);
	log.finish(run, 5000, 'No such service: worker');
	assert.deepEqual(lastRunLines(log.last('m/app1'), 5000, 60), [{text: '✗ stop worker failed: No such service: worker', tone: 'error'}]);
});
