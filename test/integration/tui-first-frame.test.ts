/**
 * The TUI's first frames on the real services and a real Engine: the first frame that lists the apps
 * already shows each app's real state (issue 12: no frame of rows that say "unknown" while the Engine
 * has answered, and one heavy render of the fleet instead of two).
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir} from 'node:fs/promises';
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
