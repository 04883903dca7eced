import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import {test} from 'node:test';
import {openStore} from '../../../source/core/ports/store.ts';
import {getOrAllocate, releaseAllocation} from '../../../source/core/ports/service.ts';
import {tempDir} from '../../helpers/temp.ts';

const slots = [
	{name: 'api', base: 42_001, step: 2},
	{name: 'ui', base: 43_001, step: 2},
];

function listen(port: number, host: string): Promise<net.Server> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(port, host, () => resolve(server));
	});
}

test('get-or-allocate is idempotent and gives each (model, app) its own ports', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	const a1 = await getOrAllocate(store, {model: 'm1', number: 1}, {appPath: '/r/m1/app1', slots});
	const b1 = await getOrAllocate(store, {model: 'm2', number: 1}, {appPath: '/r/m2/app1', slots});
	const again = await getOrAllocate(store, {model: 'm1', number: 1}, {appPath: '/r/m1/app1', slots});
	assert.deepEqual(a1.allocation.ports, {api: 42_001, ui: 43_001});
	assert.deepEqual(b1.allocation.ports, {api: 42_003, ui: 43_003});
	assert.equal(a1.created, true);
	assert.equal(again.created, false);
	assert.deepEqual(again.allocation, a1.allocation);
	assert.notEqual(a1.allocation.projectName, b1.allocation.projectName);
});

test('a port bound on 127.0.0.1 or on the wildcard address is skipped', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	const loopback = await listen(42_001, '127.0.0.1');
	const wildcard = await listen(43_003, '0.0.0.0');
	try {
		const got = await getOrAllocate(store, {model: 'm', number: 1}, {appPath: '/r', slots});
		assert.deepEqual(got.allocation.ports, {api: 42_005, ui: 43_005});
	} finally {
		loopback.close();
		wildcard.close();
	}
});

test('released ports are reused first', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	for (let n = 1; n <= 3; n++) await getOrAllocate(store, {model: 'm', number: n}, {appPath: '/r', slots});
	const released = await releaseAllocation(store, {model: 'm', number: 2});
	assert.deepEqual(released?.ports, {api: 42_003, ui: 43_003});
	assert.equal(await releaseAllocation(store, {model: 'm', number: 2}), null);
	const next = await getOrAllocate(store, {model: 'other', number: 1}, {appPath: '/r', slots});
	assert.deepEqual(next.allocation.ports, {api: 42_003, ui: 43_003});
});

test('models that sanitise to the same compose name still get distinct project names', async () => {
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	const dotted = await getOrAllocate(store, {model: 'a.b', number: 1}, {appPath: '/r', slots});
	const dashed = await getOrAllocate(store, {model: 'a-b', number: 1}, {appPath: '/r', slots});
	assert.equal(dotted.allocation.projectName, 'a-b-app1');
	assert.notEqual(dashed.allocation.projectName, dotted.allocation.projectName);
	// The readable name is taken: the hashed one, in a namespace ("_") no readable name reaches.
	assert.match(dashed.allocation.projectName, /^a-b_[0-9a-f]{8}-app1$/);
});

test('the scaffold preview and the allocation search alike: same ports, and the same message when none is left', async () => {
	const {previewAllocation} = await import('../../../source/core/scaffold/plan.ts');
	const {ProjectNameIndex} = await import('../../../source/core/project-names.ts');
	const {hostProbe} = await import('../../../source/core/ports/probes.ts');
	const file = path.join(await tempDir(), 'ports.json');
	const store = openStore(file);
	const naming = {names: ProjectNameIndex.ofAllocations([]), state: null};
	const preview = await previewAllocation(file, {model: 'm', number: 2}, slots, hostProbe, naming);
	const taken = await getOrAllocate(store, {model: 'm', number: 2}, {appPath: '/r/m/app2', slots});
	assert.deepEqual(preview.ports, taken.allocation.ports);

	// One candidate only (65535), held by app1: both searches fail, with one message naming the slots.
	const last = [{name: 'web', base: 65_535, step: 2}];
	await getOrAllocate(store, {model: 'm', number: 1}, {appPath: '/r/m/app1', slots: last});
	const previewError = await previewAllocation(file, {model: 'm', number: 3}, last, hostProbe, naming).catch((error: unknown) => error);
	const allocateError = await getOrAllocate(store, {model: 'm', number: 3}, {appPath: '/r/m/app3', slots: last}).catch((error: unknown) => error);
	assert.ok(previewError instanceof Error && allocateError instanceof Error);
	assert.equal(previewError.message, allocateError.message);
	assert.match(
		previewError.message,
		/^no free ports left for m\/app3: every index of slots web \(from 65535, step 2\) reaches a used port or 65535\. Release unused apps/,
	);
});
