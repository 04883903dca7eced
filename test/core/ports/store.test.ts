import assert from 'node:assert/strict';
import {mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {openStore} from '../../../source/core/ports/store.ts';
import {getOrAllocate, releaseAllocation} from '../../../source/core/ports/service.ts';
import {StoreError} from '../../../source/core/errors.ts';
import {documentProblems, type StoreDocument} from '../../../source/core/ports/allocator.ts';
import {tempDir} from '../../helpers/temp.ts';
import {runtimeCommand} from '../../helpers/runtime.ts';

const WORKER = 'test/fixtures/allocate-worker.ts';

function assertSound(doc: StoreDocument): void {
	assert.deepEqual(documentProblems(doc), []);
	const seen = new Map<number, string>();
	for (const a of doc.allocations) {
		for (const port of Object.values(a.ports)) {
			assert.ok(!seen.has(port), `port ${port} given to ${seen.get(port)} and ${a.model}/app${a.app}`);
			seen.set(port, `${a.model}/app${a.app}`);
		}
	}
	const keys = doc.allocations.map(a => `${a.model}/app${a.app}`);
	assert.equal(new Set(keys).size, keys.length, 'an app has two allocations');
}

test('8 processes allocating 25 apps each give 200 allocations, no port used twice', {timeout: 180_000}, async () => {
	const file = path.join(await tempDir(), 'ports.json');
	const [cmd, prefix] = runtimeCommand(WORKER);
	const runs = await Promise.all(Array.from({length: 8}, (_, i) => execa(cmd, [...prefix, file, `model-${i}`, '1', '25'], {reject: false})));
	for (const run of runs) assert.equal(run.exitCode, 0, run.stderr);
	const reported = runs.flatMap(run => run.stdout.trim().split('\n')).map(line => JSON.parse(line) as {ports: Record<string, number>});
	assert.equal(reported.length, 200);
	const doc = JSON.parse(await readFile(file, 'utf8')) as StoreDocument;
	assert.equal(doc.allocations.length, 200);
	assertSound(doc);
	// What each process was told is what the store holds.
	const stored = new Set(doc.allocations.map(a => JSON.stringify(a.ports)));
	for (const r of reported) assert.ok(stored.has(JSON.stringify(r.ports)));
});

test('processes killed with SIGKILL mid-allocation leave a sound store holding every reported allocation', {timeout: 240_000}, async () => {
	const file = path.join(await tempDir(), 'ports.json');
	const [cmd, prefix] = runtimeCommand(WORKER);
	const reported: {model: string; app: number; ports: Record<string, number>}[] = [];
	const collect = (output: string) => {
		for (const line of output.split('\n').filter(l => l.trim().endsWith('}'))) reported.push(JSON.parse(line));
	};
	/** Starts a writer that allocates until killed, and kills it at a random moment after its first report. */
	const killMidway = async (model: string) => {
		const victim = execa(cmd, [...prefix, file, model, '1', '100000'], {reject: false, buffer: false});
		let out = '';
		victim.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
		const started = Date.now();
		while (!out.includes('\n') && Date.now() - started < 60_000) await new Promise(r => setTimeout(r, 10));
		await new Promise(r => setTimeout(r, 20 + Math.floor(Math.random() * 150)));
		victim.kill('SIGKILL');
		await victim;
		collect(out);
	};
	const lockLeft = () =>
		stat(`${file}.lock`).then(
			() => true,
			() => false,
		);
	let attempt = 0;
	for (let round = 0; round < 8; round++) {
		if (round % 2 === 0) {
			// Two writers at once, one of them killed while it allocates.
			const peer = execa(cmd, [...prefix, file, `peer-${round}`, '1', '5'], {reject: false});
			await killMidway(`victim-${round}`);
			const peerResult = await peer;
			assert.equal(peerResult.exitCode, 0, peerResult.stderr);
			collect(peerResult.stdout);
		} else {
			// A writer alone, killed until a kill lands inside its locked read-modify-write (the lock folder
			// is left behind, and nobody else could have made it); the next writer must take that over.
			let inside = false;
			for (let tries = 0; tries < 12 && !inside; tries++) {
				await killMidway(`victim-${round}-${attempt++}`);
				inside = await lockLeft();
			}
			assert.ok(inside, 'no kill landed inside the lock in 12 tries');
			const next = await execa(cmd, [...prefix, file, `after-${round}`, '1', '3'], {reject: false});
			assert.equal(next.exitCode, 0, next.stderr);
			collect(next.stdout);
		}
	}
	const doc = JSON.parse(await readFile(file, 'utf8')) as StoreDocument;
	assertSound(doc);
	for (const r of reported) {
		const found = doc.allocations.find(a => a.model === r.model && a.app === r.app);
		assert.ok(found, `${r.model}/app${r.app} was reported but is not in the store`);
		assert.deepEqual(found.ports, r.ports);
	}
	assert.ok(reported.length >= 8 * 4, `only ${reported.length} allocations reported`);
});

test('a long-lived process allocates again after the store folder was removed under it', async () => {
	const dir = path.join(await tempDir(), 'data', 'berth');
	const file = path.join(dir, 'ports.json');
	const store = openStore(file);
	const slots = [{name: 'web', base: 42_001, step: 2}];
	await getOrAllocate(store, {model: 'a', number: 1}, {appPath: '/x', slots});
	await rm(path.dirname(dir), {recursive: true, force: true});
	const again = await getOrAllocate(store, {model: 'b', number: 1}, {appPath: '/y', slots});
	assert.deepEqual(again.allocation.ports, {web: 42_001}, 'a new, empty store');
	assert.equal(JSON.parse(await readFile(file, 'utf8')).allocations.length, 1);
});

test('a corrupt store is an error naming the file, and the file is left as it was', async () => {
	const file = path.join(await tempDir(), 'ports.json');
	const corrupt = '{"version": 1, "allocations": [ {"model": "m"';
	await writeFile(file, corrupt);
	const store = openStore(file);
	await assert.rejects(getOrAllocate(store, {model: 'm', number: 1}, {appPath: '/x'}), (error: unknown) => {
		assert.ok(error instanceof StoreError);
		assert.ok(error.message.includes(file));
		assert.match(error.message, /corrupt/);
		return true;
	});
	await assert.rejects(releaseAllocation(store, {model: 'm', number: 1}), StoreError);
	assert.equal(await readFile(file, 'utf8'), corrupt);
});

test('a JSON file that is not a berth store is refused, not overwritten', async () => {
	const file = path.join(await tempDir(), 'ports.json');
	await writeFile(file, '{"hello": "world"}');
	await assert.rejects(openStore(file).read(), /not a berth store/);
	assert.equal(await readFile(file, 'utf8'), '{"hello": "world"}');
});

test('an unreadable store is an error naming the file', async () => {
	// A folder where the file should be: unreadable even for root, which ignores file modes.
	const file = path.join(await tempDir(), 'ports.json');
	await mkdir(file);
	await assert.rejects(
		openStore(file).read(),
		(error: unknown) => error instanceof StoreError && error.message.includes(file) && /cannot read/.test(error.message),
	);
});

test('a store written by another process is seen at once by a long-lived one', async () => {
	const file = path.join(await tempDir(), 'ports.json');
	const mine = openStore(file);
	const slots = [{name: 'web', base: 41_001, step: 2}];
	await getOrAllocate(mine, {model: 'a', number: 1}, {appPath: '/x', slots});
	const theirs = openStore(file);
	await getOrAllocate(theirs, {model: 'b', number: 1}, {appPath: '/y', slots});
	const third = await getOrAllocate(mine, {model: 'c', number: 1}, {appPath: '/z', slots});
	assert.deepEqual(third.allocation.ports, {web: 41_005});
	assert.equal((await mine.read()).allocations.length, 3);
	// A release by the other process frees the lowest port: the long-lived one offers it first again.
	await releaseAllocation(theirs, {model: 'a', number: 1});
	const fourth = await getOrAllocate(mine, {model: 'd', number: 1}, {appPath: '/w', slots});
	assert.deepEqual(fourth.allocation.ports, {web: 41_001});
});

test('an allocation replaced in the middle of the list is written, not the text it had before', async () => {
	// adopt and move replace one allocation by a new object: the store kept the old bytes when the list's
	// length and last entry were unchanged, so a long-lived process wrote the old allocation back.
	const store = openStore(path.join(await tempDir(), 'ports.json'));
	const slots = [{name: 'web', base: 41_001, step: 1}];
	for (const number of [1, 2, 3]) await getOrAllocate(store, {model: 'm', number}, {appPath: '/r', slots});
	await store.update(doc => {
		doc.allocations.splice(1, 1, {...doc.allocations[1]!, ports: {web: 41_999}});
		return {value: null, write: true};
	});
	const written = JSON.parse(await readFile(store.file, 'utf8')) as StoreDocument;
	assert.deepEqual(
		written.allocations.map(a => a.ports['web']),
		[41_001, 41_999, 41_003],
	);
});
