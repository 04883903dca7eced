/**
 * Moving an allocation to another engine (issue 13, `berth move`): ports keep their numbers where the
 * target engine has them free, else take the next free one; the store's per-engine ports stay exact
 * for later allocations in the same process (the TUI keeps one store open).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {openStore} from '../../../source/core/ports/store.ts';
import {getOrAllocate, moveAllocation, portsOnEngine, restoreAllocation} from '../../../source/core/ports/service.ts';
import type {PortProbe} from '../../../source/core/ports/probes.ts';
import {tempDir} from '../../helpers/temp.ts';

const probe = (published: number[] = [], bound: number[] = []): PortProbe => ({
	isBound: async port => bound.includes(port),
	publishedPorts: async () => new Map(published.map(p => [p, {} as never])),
});
const web = (base: number) => [{name: 'web', base, step: 1}];

test('a moved app keeps its port numbers where the target engine has them free, else takes the next free one', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	await getOrAllocate(
		store,
		{model: 'm', number: 1},
		{appPath: '/r/m/app1', slots: [...web(6000), {name: 'api', base: 7000, step: 1}], engine: 'a', probe: probe()},
	);
	// On b, 6000 is another app's and 7000 is published by a container there.
	await getOrAllocate(store, {model: 'm', number: 2}, {appPath: '/r/m/app2', slots: web(6000), engine: 'b', probe: probe()});
	const {before, after} = await moveAllocation(store, {model: 'm', number: 1}, 'b', {probe: probe([7000])});
	assert.deepEqual(before.ports, {web: 6000, api: 7000});
	assert.deepEqual(after.ports, {web: 6001, api: 7001});
	assert.equal(after.engine, 'b');
	const doc = await openStore(store.file).read();
	assert.deepEqual(
		doc.allocations.map(a => [a.model, a.app, a.engine, a.ports]),
		[
			['m', 1, 'b', {web: 6001, api: 7001}],
			['m', 2, 'b', {web: 6000}],
		],
	);
});

test('a dry run of a move writes nothing; a move to the engine it is on changes nothing', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	await getOrAllocate(store, {model: 'm', number: 1}, {appPath: '/r', slots: web(6000), engine: 'a', probe: probe()});
	const dry = await moveAllocation(store, {model: 'm', number: 1}, 'b', {probe: probe([6000]), dryRun: true});
	assert.deepEqual(dry.after.ports, {web: 6001});
	assert.equal((await openStore(store.file).read()).allocations[0]!.engine, 'a');
	const same = await moveAllocation(store, {model: 'm', number: 1}, 'a', {probe: probe()});
	assert.equal(same.after, same.before);
});

test('moving an app with no allocation names how to place it', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	await assert.rejects(moveAllocation(store, {model: 'm', number: 3}, 'b', {probe: probe()}), /m\/app3 has no allocation.*berth up m\/app3 --engine b/);
});

test('an app moved into the middle of the store is seen by the next allocation on that engine in the same process', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	const p = probe();
	await getOrAllocate(store, {model: 'm', number: 1}, {appPath: '/r', slots: web(6000), engine: 'e1', probe: p}); // e1: 6000
	await getOrAllocate(store, {model: 'm', number: 2}, {appPath: '/r', slots: web(6001), engine: 'default', probe: p}); // default: 6001
	await getOrAllocate(store, {model: 'm', number: 3}, {appPath: '/r', slots: web(6001), engine: 'default', probe: p}); // default: 6002
	await moveAllocation(store, {model: 'm', number: 2}, 'e1', {probe: p}); // keeps 6001, now on e1
	const next = await getOrAllocate(store, {model: 'm', number: 4}, {appPath: '/r', slots: web(6000), engine: 'e1', probe: p});
	assert.deepEqual(next.allocation.ports, {web: 6002}, 'the moved app holds 6001 on e1');
});

test('restoring a move puts the allocation back unless it changed since', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	await getOrAllocate(store, {model: 'm', number: 1}, {appPath: '/r', slots: web(6000), engine: 'a', probe: probe()});
	const {before, after} = await moveAllocation(store, {model: 'm', number: 1}, 'b', {probe: probe([6000])});
	assert.equal(await restoreAllocation(store, before, after), true);
	assert.deepEqual((await openStore(store.file).read()).allocations[0], before);
	assert.equal(await restoreAllocation(store, before, after), false, 'already restored: nothing to undo');
});

test('ports on an engine: two slots never share a number, and a full range is an error naming the slot', async () => {
	const ports = await portsOnEngine({model: 'm', number: 1}, {a: 6000, b: 6001}, new Set([6000]), new Map(), {isBound: async () => false});
	assert.deepEqual(ports, {a: 6001, b: 6002});
	await assert.rejects(
		portsOnEngine({model: 'm', number: 1}, {web: 65_535}, new Set([65_535]), new Map(), {isBound: async () => false}),
		/no free port from 65535 up for m\/app1 slot web/,
	);
});
