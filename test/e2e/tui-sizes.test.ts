/**
 * Every size in a real terminal (tmux) on the real engine, under the runtime running the tests: a
 * running app at 80x24 (three columns) and 60x15 (one pane at a time), resized live, never leaves a
 * wrapped row; smaller than 40x10, the screen asks for a larger terminal and q still quits.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {brokenRows, launchBerth, noTmux, openTerminal} from '../helpers/tmux.ts';
import {removeProject, scaffoldApp, workspace} from '../integration/stack.ts';

const options = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

/** What a user would see as broken: a border row cut short (a wrapped line), a row wider than the terminal. */
function assertWhole(screen: string, columns: number, what: string) {
	assert.deepEqual(brokenRows(screen), [], `${what}: every border row ends with a border:\n${screen}`);
	for (const row of screen.split('\n')) assert.ok([...row].length <= columns, `${what}: a row wider than ${columns}: ${row}`);
}

test(`60x15 and 80x24 with a running app (${runtimeName}): no wrapped row, one pane when narrow`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 240_000,
}, async () => {
	const ws = workspace(await tempDir('berth-e2e-sizes-'));
	const model = `sizes-${runtimeName}-${process.pid}`;
	const app = await scaffoldApp(ws, `${model}/app1`);
	projects.push(app.projectName);
	const up = await ws.cli(['up', `${model}/app1`, '--wait'], {timeout: 120_000});
	assert.equal(up.exitCode, 0, up.stderr);

	const terminal = await openTerminal(`berth-sizes-${process.pid}`, {columns: 80, rows: 24});
	await launchBerth(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +(healthy|running)/, 60_000, 'the running app');
	await terminal.keys('l');
	let screen = await terminal.waitFor(/ web +(healthy|running)/, 30_000, 'the services in the status pane');
	assertWhole(screen, 80, '80x24');
	assert.match(screen, /│Models 1 +│/, 'three columns: the models pane');
	assert.match(screen, /┃> +app1 +(healthy|running) +\d{4,5} bus…┃/, 'the apps row: number, state and port whole, the flavour cut');

	await terminal.resize(60, 15);
	screen = await terminal.waitFor(/ Models {2}Apps {2}Status {2}Logs/, 10_000, 'one pane at 60x15');
	assertWhole(screen, 60, '60x15');
	assert.match(screen, /┃> +app1 +(healthy|running) +\d{4,5} +busybox-test +┃/, 'the apps pane fills the width');
	await terminal.keys('Tab');
	screen = await terminal.waitFor(/┃Status · /, 10_000, 'tab shows the status pane');
	assertWhole(screen, 60, '60x15, status');
	assert.match(screen, /┃>web +(healthy|running) +\d{4,5}->8080/);

	await terminal.resize(30, 8);
	screen = await terminal.waitFor(/Make it larger/, 10_000, 'the too-small screen');
	assertWhole(screen, 30, '30x8');

	await terminal.resize(80, 24);
	screen = await terminal.waitFor(/┃Status · |│Status · /, 10_000, 'three columns again');
	assertWhole(screen, 80, '80x24 again');
	await terminal.keys('q');
	await terminal.waitFor(/berth exited 0/, 20_000, 'q quits');
});

test(`log lines with emoji and CJK, cut and wrapped at 80x24 (${runtimeName}): no row overflows or falls short`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 240_000,
}, async t => {
	const ws = workspace(await tempDir('berth-e2e-emoji-'));
	const model = `emoji-${runtimeName}-${process.pid}`;
	const dir = path.join(ws.root, model, 'app1');
	await mkdir(dir, {recursive: true});
	// ⚠️ is 1 cell in tmux and 2 to string-width; 👍🏽 is 4 in tmux and 2 to string-width: either one
	// made the row a cell short or wrapped it onto the next, scrolling the whole frame.
	const line = '日本語のログ行 🚀 emoji ⚠️ warn ✅ ok 👍🏽 thumbs 👨‍👩‍👧 family and a tail long enough to be cut or wrapped';
	await writeFile(
		path.join(dir, 'docker-compose.yml'),
		`services:\n  say:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "while true; do echo '${line}'; sleep 1; done"]\n`,
	);
	// Its own cleanup (t.after): under Deno the file's top-level after() ran before this test and left it.
	const projectName = `${model}-app1`;
	t.after(() => removeProject(projectName));
	const up = await ws.cli(['up', `${model}/app1`], {timeout: 120_000});
	assert.equal(up.exitCode, 0, up.stderr);

	const terminal = await openTerminal(`berth-emoji-${process.pid}`, {columns: 80, rows: 24});
	await launchBerth(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +running/, 60_000, 'the running app');
	await terminal.keys('l', 'l');
	let screen = await terminal.waitFor(/say \| 日本語のログ行 🚀 emoji…┃/, 30_000, 'its log lines, cut');
	const whole = (what: string) => {
		assertWhole(screen, 80, what);
		assert.match(screen.split('\n')[0]!, /^berth {2}engine ok/, `${what}: the header is still the first row (nothing scrolled)`);
		assert.doesNotMatch(screen, /\uFE0F|\u{1F3FD}|\u200D/u, `${what}: no variation selector, skin tone or joiner reaches the terminal`);
	};
	whole('cut, in the logs pane');
	await terminal.keys('f');
	screen = await terminal.waitFor(/say \| 日本語のログ行 🚀 emoji ⚠ warn ✅ ok 👍 thumbs/, 10_000, 'full-screen logs');
	await new Promise(resolve => setTimeout(resolve, 1500));
	screen = await terminal.pane();
	whole('cut, full screen');
	await terminal.keys('w');
	screen = await terminal.waitFor(/👍 thumbs 👨👩👧 family/, 10_000, 'wrapped');
	await new Promise(resolve => setTimeout(resolve, 1500));
	screen = await terminal.pane();
	whole('wrapped, full screen');
	await terminal.keys('q');
	await terminal.waitFor(/berth exited 0/, 20_000, 'q quits');
});
