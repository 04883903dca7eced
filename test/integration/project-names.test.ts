import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {mkdir} from 'node:fs/promises';
import {dockerTestOptions} from '../helpers/docker.ts';
import {parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {appStatus, httpGet, randomBase, removeProject, waitFor, workspace, writeTestCompose} from './stack.ts';

const docker = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

test('rtcol.x/app1 and rtcol-x/app1 run side by side; down of one leaves the other running', docker, async () => {
	const ws = workspace(await tempDir());
	// A suffix of this run: both models still share one readable base, and no other run meets these projects.
	const run = Math.random().toString(36).slice(2, 8);
	const dotted = `rtcol.x-${run}/app1`;
	const dashed = `rtcol-x-${run}/app1`;
	for (const app of [dotted, dashed]) await mkdir(path.join(ws.root, app), {recursive: true});
	// The dotted app gets its ports (and so a pinned name) from the store; a spare slot reserves the
	// port of the dashed one, which stays a hand-written app with no allocation and no name pinned.
	const base = randomBase();
	const allocated = await ws.cli(['ports', 'allocate', dotted, '--slot', `backend=${base}:2`, '--slot', `spare=${base + 1}:2`, '--json']);
	assert.equal(allocated.exitCode, 0, allocated.stderr);
	const {ports} = parseJson<{ports: {backend: number; spare: number}}>(allocated);
	await writeTestCompose(path.join(ws.root, dotted), ports.backend);
	await writeTestCompose(path.join(ws.root, dashed), ports.spare);

	const ls = parseJson<{models: {apps: {id: string; projectName: string}[]}[]; conflicts: unknown[]}>(await ws.cli(['ls', '--json']));
	const names = new Map(ls.models.flatMap(m => m.apps.map(a => [a.id, a.projectName] as const)));
	projects.push(...names.values());
	assert.equal(names.get(dashed), `rtcol-x-${run}-app1`);
	assert.match(names.get(dotted)!, new RegExp(`^rtcol-x-${run}_[0-9a-f]{8}-app1$`));
	assert.deepEqual(ls.conflicts, []);

	for (const app of [dotted, dashed]) {
		const up = await ws.cli(['up', app, '--wait', '--json']);
		assert.equal(up.exitCode, 0, up.stderr);
		// The lifecycle commands use the name ls shows.
		assert.equal(parseJson<{projectName: string}>(up).projectName, names.get(app));
	}
	for (const app of [dotted, dashed]) assert.equal((await waitFor(ws, app, s => s.state === 'healthy')).state, 'healthy');
	assert.equal(await httpGet(ports.backend), 'ok');
	assert.equal(await httpGet(ports.spare), 'ok');

	const down = await ws.cli(['down', dashed, '-t', '0']);
	assert.equal(down.exitCode, 0, down.stderr);
	assert.equal((await appStatus(ws, dashed)).state, 'not-created');
	const left = await appStatus(ws, dotted);
	assert.equal(left.state, 'healthy', JSON.stringify(left));
	assert.deepEqual(left.services.map(s => s.service).sort(), ['web', 'worker']);
	assert.equal(await httpGet(ports.backend), 'ok');
	assert.equal((await ws.cli(['down', dotted, '-t', '0'])).exitCode, 0);
});
