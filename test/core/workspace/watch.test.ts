import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {watchWorkspace, type WorkspaceWatchOptions} from '../../../source/core/workspace/watch.ts';
import {sleep} from '../../../source/core/sleep.ts';

const COMPOSE = 'services:\n  web:\n    image: berth-test/busybox:latest\n';

/** A watched apps root with model `m` holding app1: how many changes were reported, and a wait for the next. */
async function watched(options: WorkspaceWatchOptions = {}) {
	const root = path.join(await tempDir('berth-watch-'), 'apps');
	await mkdir(path.join(root, 'm', 'app1'), {recursive: true});
	await writeFile(path.join(root, 'm', 'app1', 'docker-compose.yml'), COMPOSE);
	const controller = new AbortController();
	let changes = 0;
	watchWorkspace(root, () => changes++, controller.signal, options);
	// Let the watch take its first look (the tree as it is is no change).
	await sleep(300);
	return {
		root,
		stop: () => controller.abort(),
		count: () => changes,
		/** Waits until more than `seen` changes were reported (generous: the machine may be loaded); returns the time taken. */
		async next(seen: number, ms = 5000) {
			const start = Date.now();
			while (changes <= seen && Date.now() - start < ms) await sleep(20);
			assert.ok(changes > seen, `no change reported within ${ms} ms`);
			return Date.now() - start;
		},
	};
}

test('an app folder added, renamed and removed on disk is reported within a second each', async () => {
	const w = await watched();
	try {
		assert.equal(w.count(), 0, 'the tree as found is no change');
		let seen = w.count();
		await mkdir(path.join(w.root, 'm', 'app2'));
		assert.ok((await w.next(seen)) < 1000);
		seen = w.count();
		await rename(path.join(w.root, 'm', 'app2'), path.join(w.root, 'm', 'app7'));
		assert.ok((await w.next(seen)) < 1000);
		seen = w.count();
		await rm(path.join(w.root, 'm', 'app7'), {recursive: true});
		assert.ok((await w.next(seen)) < 1000);
	} finally {
		w.stop();
	}
});

test('a model folder added, renamed and removed is reported; so is a compose file appearing in an app', async () => {
	const w = await watched();
	try {
		let seen = w.count();
		await mkdir(path.join(w.root, 'other', 'app1'), {recursive: true});
		await w.next(seen);
		seen = w.count();
		await rename(path.join(w.root, 'other'), path.join(w.root, 'renamed'));
		await w.next(seen);
		seen = w.count();
		await writeFile(path.join(w.root, 'renamed', 'app1', 'compose.yaml'), COMPOSE);
		await w.next(seen);
		seen = w.count();
		await rm(path.join(w.root, 'renamed'), {recursive: true});
		await w.next(seen);
	} finally {
		w.stop();
	}
});

test("files the workspace does not show (an app's own files, a stray file) change nothing", async () => {
	const w = await watched();
	try {
		await writeFile(path.join(w.root, 'm', 'app1', 'server.log'), 'hello\n');
		await mkdir(path.join(w.root, 'm', 'app1', 'src'));
		await writeFile(path.join(w.root, 'm', 'notes.txt'), 'x');
		await mkdir(path.join(w.root, '.cache'));
		await sleep(800);
		assert.equal(w.count(), 0);
	} finally {
		w.stop();
	}
});

test('a burst of 50 new app folders is one or a few reports, not 50', async () => {
	const w = await watched();
	try {
		await Promise.all(Array.from({length: 50}, (_, i) => mkdir(path.join(w.root, 'm', `app${i + 10}`))));
		await w.next(0);
		await sleep(800);
		assert.ok(w.count() >= 1 && w.count() <= 3, `${w.count()} reports`);
	} finally {
		w.stop();
	}
});

test('without watching (the fallback), the periodic rescan finds a new folder', async () => {
	const w = await watched({poll: true, pollMs: 200});
	try {
		await mkdir(path.join(w.root, 'm', 'app2'));
		await w.next(0, 3000);
	} finally {
		w.stop();
	}
});

test('a root that appears later is found; nothing is reported after the watch stops', async () => {
	const dir = await tempDir('berth-watch-');
	const root = path.join(dir, 'apps');
	const controller = new AbortController();
	let changes = 0;
	watchWorkspace(root, () => changes++, controller.signal, {pollMs: 200});
	await sleep(300);
	await mkdir(path.join(root, 'm', 'app1'), {recursive: true});
	const until = Date.now() + 5000;
	while (changes === 0 && Date.now() < until) await sleep(20);
	assert.equal(changes, 1);
	controller.abort();
	await mkdir(path.join(root, 'm', 'app2'));
	await sleep(600);
	assert.equal(changes, 1);
});
