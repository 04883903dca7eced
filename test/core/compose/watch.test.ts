import {test} from 'node:test';
import assert from 'node:assert/strict';
import {concernsWatched, diffStatus, EVENT_FILTERS, watchState} from '../../../source/core/compose/watch.ts';
import {sleep} from '../../../source/core/sleep.ts';
import type {AppStatus, FleetStatus} from '../../../source/core/compose/types.ts';

const app = (id: string, state: AppStatus['state']): AppStatus => ({id, projectName: id.replace('/', '-'), state, services: []});
const fleet = (apps: AppStatus[], reachable = true): FleetStatus => ({
	at: '2026-01-01T00:00:00.000Z',
	engine: {reachable, message: reachable ? null : 'down'},
	apps,
	totals: {running: 0, unhealthy: 0, error: 0},
});

test('the first state reports every app and the engine', () => {
	const change = diffStatus(null, fleet([app('a/app1', 'running'), app('b/app1', 'stopped')]));
	assert.equal(change.engineChanged, true);
	assert.deepEqual(
		change.changed.map(a => a.id),
		['a/app1', 'b/app1'],
	);
});

test('only the apps that changed are reported', () => {
	const before = fleet([app('a/app1', 'running'), app('b/app1', 'stopped')]);
	const after = fleet([app('a/app1', 'partial'), app('b/app1', 'stopped'), app('c/app1', 'not-created')]);
	const change = diffStatus(before, after);
	assert.equal(change.engineChanged, false);
	assert.deepEqual(
		change.changed.map(a => `${a.id} ${a.state}`),
		['a/app1 partial', 'c/app1 not-created'],
	);
	assert.deepEqual(diffStatus(after, fleet(after.apps)).changed, []);
});

test('engine reachability changes are reported', () => {
	assert.equal(diffStatus(fleet([]), fleet([], false)).engineChanged, true);
	assert.equal(diffStatus(fleet([], false), fleet([])).engineChanged, true);
});

test('the event filter leaves out the health check exec events', () => {
	assert.ok(!EVENT_FILTERS['event']!.some(e => e.startsWith('exec_')));
	for (const needed of ['start', 'die', 'destroy', 'health_status']) assert.ok(EVENT_FILTERS['event']!.includes(needed));
	assert.deepEqual(EVENT_FILTERS['label'], ['com.docker.compose.project']);
});

test('events of compose projects that are not watched do not wake the watch', () => {
	const apps = [{id: 'a/app1', projectName: 'a-app1', hasCompose: true}];
	const event = (attributes: Record<string, string>) => ({type: 'container', action: 'die', id: 'x', attributes, timeNano: 0});
	assert.equal(concernsWatched(event({'com.docker.compose.project': 'a-app1'}), apps), true);
	assert.equal(concernsWatched(event({'com.docker.compose.project': 'someone-elses'}), apps), false);
	assert.equal(concernsWatched(event({}), apps), true, 'without the label it may be ours: look');
});

test('an app added to the list is answered for when the caller asks again, without waiting for an event', async () => {
	const apps = [{id: 'watch-refresh/app1', projectName: `berth-watch-refresh-${process.pid}-app1`, hasCompose: true}];
	const controller = new AbortController();
	const seen: string[][] = [];
	const handed: (() => void)[] = [];
	const done = watchState({
		apps: () => apps,
		signal: controller.signal,
		onChange: status => seen.push(status.apps.map(a => `${a.id} ${a.state}`)),
		refreshWith: r => handed.push(r),
	});
	try {
		const until = (n: number) => waitUntil(() => seen.length >= n);
		await until(1);
		assert.deepEqual(seen[0], ['watch-refresh/app1 not-created']);
		apps.push({id: 'watch-refresh/app2', projectName: `berth-watch-refresh-${process.pid}-app2`, hasCompose: false});
		assert.equal(handed.length, 1, 'the watch handed over its refresh');
		handed[0]!();
		await until(2);
		assert.deepEqual(seen[1], ['watch-refresh/app1 not-created', 'watch-refresh/app2 no-compose']);
	} finally {
		controller.abort();
		await done;
	}
});

async function waitUntil(ok: () => boolean, ms = 10_000): Promise<void> {
	const end = Date.now() + ms;
	while (!ok() && Date.now() < end) await sleep(20);
	assert.ok(ok(), `not within ${ms} ms`);
}
