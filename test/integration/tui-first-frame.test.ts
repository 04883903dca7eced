/**
 * The TUI's first frames on the real services and a real Engine: the first frame that lists the apps
 * already shows each app's real state (issue 12: no frame of rows that say "unknown" while the Engine
 * has answered, and one heavy render of the fleet instead of two).
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {dockerTestOptions} from '../helpers/docker.ts';
import {tempDir} from '../helpers/temp.ts';
import {handMadeApp, removeProject, workspace} from './stack.ts';
import {renderApp} from '../ui/render-app.tsx';
import {createServices} from '../../source/ui/create-services.ts';

const docker = await dockerTestOptions();
after(() => cleanup());

test('the first frame that lists the apps shows their real states, the running one running', {...docker, timeout: 120_000}, async () => {
	const ws = workspace(await tempDir('berth-tui-first-'));
	const app = await handMadeApp(ws, 'first/app1');
	// A fleet the size of issue 12's (50 models x 30 apps): drawing it takes long enough for a frame
	// without states to reach the terminal before the states do.
	for (let n = 2; n <= 30; n++) await mkdir(path.join(ws.root, 'first', `app${n}`), {recursive: true});
	for (let m = 10; m < 59; m++) for (let n = 1; n <= 30; n++) await mkdir(path.join(ws.root, `model-${m}`, `app${n}`), {recursive: true});
	try {
		const up = await ws.cli(['up', 'first/app1'], {timeout: 60_000});
		assert.equal(up.exitCode, 0, up.stderr);
		const services = await createServices({root: ws.root, storeFile: ws.store, pluginDirs: [], env: {...process.env}, cwd: ws.root});
		const tui = renderApp(services, {size: {columns: 120, rows: 30}});
		try {
			await tui.waitFor(/running 1/, 30_000);
			const listing = tui.frames.filter(frame => /app1 /.test(frame));
			assert.ok(listing.length > 0, 'a frame lists the apps');
			// Every frame with app rows: app1 in a running state, the folders without compose "no-compose".
			for (const frame of listing) {
				assert.match(frame, /app1 +(running|starting|healthy)/, `a frame lists app1 without its state:\n${frame}`);
				assert.match(frame, /app2 +no-compose/, `a frame lists app2 without its state:\n${frame}`);
				assert.doesNotMatch(frame, /unknown|running …/, `a frame claims nothing known yet:\n${frame}`);
			}
		} finally {
			tui.unmount();
			services.dispose();
		}
	} finally {
		await removeProject(app.projectName);
	}
});

test('an app folder created between the first scan and the start of the watch is still reported', {timeout: 60_000}, async () => {
	const ws = workspace(await tempDir('berth-tui-watch-race-'));
	await mkdir(path.join(ws.root, 'race', 'app1'), {recursive: true});
	const services = await createServices({root: ws.root, storeFile: ws.store, pluginDirs: [], env: {...process.env}, cwd: ws.root});
	const controller = new AbortController();
	try {
		const first = await services.loadWorkspace();
		assert.deepEqual(
			first.models.flatMap(m => m.apps.map(a => a.id)),
			['race/app1'],
		);
		// Created after the scan, before the UI asks for the watch (it does so from an effect, later).
		await mkdir(path.join(ws.root, 'race', 'app2'));
		const changed = new Promise<void>(resolve => services.watchWorkspace(() => resolve(), controller.signal));
		const outcome = await Promise.race([changed.then(() => 'reported'), new Promise(resolve => setTimeout(() => resolve('never reported'), 5000))]);
		assert.equal(outcome, 'reported');
		const next = await services.loadWorkspace();
		assert.deepEqual(next.models.flatMap(m => m.apps.map(a => a.id)).sort(), ['race/app1', 'race/app2']);
	} finally {
		controller.abort();
		services.dispose();
	}
});

test('an apps root unchanged since the first scan is not reported: no second scan at start-up', {timeout: 60_000}, async () => {
	const ws = workspace(await tempDir('berth-tui-watch-same-'));
	for (let n = 1; n <= 3; n++) await mkdir(path.join(ws.root, 'same', `app${n}`), {recursive: true});
	await mkdir(path.join(ws.root, 'empty-model'), {recursive: true});
	const services = await createServices({
		root: path.relative(process.cwd(), ws.root),
		storeFile: ws.store,
		pluginDirs: [],
		env: {...process.env},
		cwd: ws.root,
	});
	const controller = new AbortController();
	try {
		await services.loadWorkspace();
		let changes = 0;
		services.watchWorkspace(() => changes++, controller.signal);
		await new Promise(resolve => setTimeout(resolve, 1500));
		assert.equal(changes, 0);
		// And the watch runs: a new folder is reported.
		await mkdir(path.join(ws.root, 'same', 'app4'));
		const until = Date.now() + 5000;
		while (changes === 0 && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 50));
		assert.ok(changes > 0, 'app4 was reported');
	} finally {
		controller.abort();
		services.dispose();
	}
});

test('a first scan that fails (a corrupt store) still starts the watch of the apps root', {timeout: 60_000}, async () => {
	const ws = workspace(await tempDir('berth-tui-watch-failed-'));
	await mkdir(path.join(ws.root, 'broken', 'app1'), {recursive: true});
	await writeFile(ws.store, '{"allocations": [');
	const services = await createServices({root: ws.root, storeFile: ws.store, pluginDirs: [], env: {...process.env}, cwd: ws.root});
	const controller = new AbortController();
	try {
		await assert.rejects(services.loadWorkspace());
		let changes = 0;
		services.watchWorkspace(() => changes++, controller.signal);
		await new Promise(resolve => setTimeout(resolve, 800));
		await mkdir(path.join(ws.root, 'broken', 'app2'));
		const until = Date.now() + 5000;
		while (changes === 0 && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 50));
		assert.ok(changes > 0, 'the new folder was reported: the UI scans again');
	} finally {
		controller.abort();
		services.dispose();
	}
});
