/**
 * The TUI's adoption on the real services: real compose reads a hand-written app with fixed ports, the
 * apps pane badges it, `A` previews and adopts it (berth's override and the store, no user file touched),
 * and the status pane shows original -> allocated. With compose v1 `A` says what it needs and changes nothing.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, readFile, readdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {composeUnderTest} from '../helpers/compose.ts';
import {tempDir} from '../helpers/temp.ts';
import {workspace} from './stack.ts';
import {KEYS, renderApp} from '../ui/render-app.tsx';
import {createServices} from '../../source/ui/create-services.ts';

const docker = await dockerTestOptions();
after(() => cleanup());

test('the TUI badges an app with fixed ports, adopts it after the preview and shows original -> allocated', {...docker, timeout: 120_000}, async () => {
	const binary = await composeUnderTest();
	const ws = workspace(await tempDir('berth-tui-adopt-'));
	const dir = path.join(ws.root, 'hand', 'app1');
	await mkdir(dir, {recursive: true});
	const compose = `services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    container_name: web
    ports:
      - "127.0.0.1:\${WEB_PORT:-8080}:8080"
      - "5353:5353/udp"
`;
	await writeFile(path.join(dir, 'compose.yaml'), compose);
	await writeFile(path.join(dir, '.env'), 'WEB_PORT=8081\n');
	const services = await createServices({root: ws.root, storeFile: ws.store, pluginDirs: [], env: {...process.env}, cwd: ws.root});
	const tui = renderApp(services, {size: {columns: 140, rows: 30}});
	try {
		// compose resolved `.env`: the badge names 8081, not the default.
		await tui.waitFor(/app1 +not-created +fixed 5353\/udp\+1/, 30_000);
		await tui.press(KEYS.enter);
		await tui.waitFor('A adopts fixed 5353/udp, 8081, container_name web');
		await tui.press('A');
		if (binary?.flavour !== 'v2') {
			await tui.waitFor(/adopt: berth adopt needs compose v2 2\.24\.4 or newer/, 30_000);
			assert.deepEqual(await readdir(path.dirname(ws.store)).then(names => names.filter(n => n === 'overrides')), []);
			return;
		}
		const preview = await tui.waitFor('Adopt? [y]es [n]o', 30_000);
		const port = (text: string) => Number(new RegExp(`${text} -> (\\d+)`).exec(preview)?.[1]);
		assert.match(preview, /hand\/app1: would be adopted/);
		assert.match(preview, / {2}web 5353\/udp: 5353 -> \d+/);
		assert.match(preview, / {2}web 8080\/tcp on 127\.0\.0\.1: 8081 -> \d+/);
		assert.match(preview, / {2}web container_name: web -> hand-app1-web/);
		const udp = port('web 5353/udp: 5353');
		const tcp = port('web 8080/tcp on 127.0.0.1: 8081');
		await tui.press('y');
		await tui.waitFor('adopted hand/app1: 2 port(s) remapped', 30_000);
		const frame = await tui.waitFor(`web-8080 8081 -> ${tcp}`, 30_000);
		assert.match(frame, new RegExp(`web-5353-udp 5353 -> ${udp}`));
		assert.match(frame, new RegExp(`app1 +not-created +${udp},${tcp} +adopted`));
		assert.doesNotMatch(frame, /fixed 5353/);
		// berth's override and the store hold it; the user's files are byte for byte as written.
		const store = JSON.parse(await readFile(ws.store, 'utf8')) as {allocations: {ports: Record<string, number>; adoption?: {override: string}}[]};
		assert.deepEqual(store.allocations[0]?.ports, {'web-5353-udp': udp, 'web-8080': tcp});
		assert.match(await readFile(store.allocations[0]!.adoption!.override, 'utf8'), /ports: !override/);
		assert.equal(await readFile(path.join(dir, 'compose.yaml'), 'utf8'), compose);
		assert.deepEqual((await readdir(dir)).sort(), ['.env', 'compose.yaml']);
	} finally {
		tui.unmount();
		services.dispose();
	}
});
