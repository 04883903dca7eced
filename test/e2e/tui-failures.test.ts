/**
 * Real-terminal test of item 1 of issue 11 (failures are readable): berth in tmux against the real
 * Engine and compose, under the runtime running the tests. A port clash's cause reaches the status pane,
 * the footer and the output overlay (`a`) — compose's own "port is already allocated" and berth's
 * pre-flight naming the holder — and an image no registry serves, with the registry's "no such host".
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {execa} from 'execa';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {launchBerth, noTmux, openTerminal} from '../helpers/tmux.ts';
import {randomBase, workspace} from '../integration/stack.ts';

const options = await dockerTestOptions();

/** Removes a compose project's containers and networks by label (the app folder may be gone already). */
async function removeProject(project: string): Promise<void> {
	const label = `label=com.docker.compose.project=${project}`;
	const ids = async (...args: string[]) =>
		String((await execa('docker', [...args, '--filter', label], {reject: false})).stdout)
			.split('\n')
			.filter(Boolean);
	const containers = await ids('ps', '-aq');
	if (containers.length > 0) await execa('docker', ['rm', '-f', ...containers], {reject: false});
	const networks = await ids('network', 'ls', '-q');
	if (networks.length > 0) await execa('docker', ['network', 'rm', ...networks], {reject: false});
}

/** The right column's text, its rows joined (the status pane wraps a cause over its rows). */
const statusText = (screen: string) =>
	screen
		.split('\n')
		.map(row => /│([^│]*)│$/.exec(row)?.[1]?.trim() ?? '')
		.join(' ');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

test(`a port clash's cause is readable in the UI (${runtimeName}): status pane, footer, output overlay`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 180_000,
}, async () => {
	const ws = workspace(await tempDir('berth-e2e-fail-'));
	const model = `fail-${runtimeName}-${process.pid}`;
	const clash = randomBase();
	// app1: a hand-written compose app whose two services publish the same host port. The pre-flight
	// sees one free port; the Engine refuses the second bind: compose's own message must come through.
	const app1 = path.join(ws.root, model, 'app1');
	await mkdir(app1, {recursive: true});
	const service = `    image: ${TEST_IMAGE}\n    command: ["httpd", "-f", "-p", "80"]\n    ports: ["127.0.0.1:${clash}:80"]\n`;
	await writeFile(path.join(app1, 'docker-compose.yml'), `services:\n  web:\n${service}  web2:\n${service}`);
	// app2: an app with an allocated port this test holds: berth's pre-flight names the holder.
	const allocated = await ws.cli(['ports', 'allocate', `${model}/app2`, '--slot', `backend=${clash + 2}:2`, '--json']);
	assert.equal(allocated.exitCode, 0, allocated.stderr);
	const held = (JSON.parse(allocated.stdout) as {ports: {backend: number}}).ports.backend;
	const app2 = path.join(ws.root, model, 'app2');
	await mkdir(app2, {recursive: true});
	await writeFile(path.join(app2, 'docker-compose.yml'), `services:\n  web:\n    image: ${TEST_IMAGE}\n    ports: ["127.0.0.1:${held}:80"]\n`);
	// app3: an image no registry serves (`.invalid` never resolves): the registry's own line explains it.
	const app3 = path.join(ws.root, model, 'app3');
	await mkdir(app3, {recursive: true});
	await writeFile(path.join(app3, 'docker-compose.yml'), 'services:\n  web:\n    image: registry.invalid/berth-e2e/nope:1\n');
	const holder = net.createServer();
	await new Promise<void>(resolve => holder.listen(held, '127.0.0.1', resolve));
	after(async () => {
		holder.close();
		await removeProject(`${model}-app1`);
		await removeProject(`${model}-app2`);
		await removeProject(`${model}-app3`);
	});

	const terminal = await openTerminal(`berth-fail-${process.pid}`, {columns: 120, rows: 35});
	await launchBerth(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +not-created/, 40_000, 'first state');
	// berth reads the hand-written file (under Node from the TUI's bundle): app1's fixed port is badged.
	let screen = await terminal.waitFor(new RegExp(`app1 +not-created +fixed ${clash}`), 40_000, 'the adoption badge');
	assert.doesNotMatch(screen, /cannot read/, 'the compose file is read');

	await terminal.keys('l', 'u');
	screen = await terminal.waitFor(/1 of 1 failed: /, 90_000, 'the start fails');
	const bind = `Bind for 127.0.0.1:${clash} failed: port is already allocated`;
	assert.match(screen, new RegExp(`1 of 1 failed: ${escapeRegExp(model)}/app1: ${escapeRegExp(bind)}`), 'the footer names the cause');
	const status = statusText(screen);
	assert.match(status, new RegExp(`✗ start failed: ${escapeRegExp(bind).replaceAll(' ', ' +')}`), `the status pane keeps the cause:\n${screen}`);

	await terminal.keys('a');
	screen = await terminal.waitFor(/Output · start [^ ]+\/app1 · failed/, 10_000, 'the output overlay');
	assert.match(screen, new RegExp(`┃✗ start ${escapeRegExp(model)}/app1 failed: ${escapeRegExp(bind)} +┃`));
	assert.match(screen, new RegExp(escapeRegExp(`Bind for 127.0.0.1:${clash} failed`)), 'compose output is there whole');
	await terminal.keys('/', ...'allocated', 'Enter');
	screen = await terminal.waitFor(/\/allocated: match 1 of \d \(n \/ N\)/, 10_000, 'search');
	await terminal.keys('w');
	screen = await terminal.waitFor(/\/allocated: match 1 of \d \(n \/ N\) · wrap/, 10_000, 'wrap');
	// Rows that continue a wrapped line start with two spaces: join them back.
	const lines: string[] = [];
	for (const row of screen.split('\n').map(row => /^┃(.*)┃$/.exec(row)?.[1]?.trimEnd() ?? '')) {
		if (row.startsWith('  ') && lines.length > 0) lines[lines.length - 1] += ` ${row.trim()}`;
		else lines.push(row);
	}
	assert.ok(
		lines.some(line => line.includes('driver failed programming') && line.endsWith(bind)),
		`the daemon's long line wraps whole:\n${screen}`,
	);
	await terminal.keys('Escape');
	screen = await terminal.waitFor(/Apps · /, 10_000, 'the overlay closes');

	await terminal.keys('j', 'u');
	screen = await terminal.waitFor(new RegExp(`1 of 1 failed: ${escapeRegExp(model)}/app2: port ${held} is in use by`), 60_000, 'the pre-flight');
	assert.match(screen, new RegExp(`│✗ start failed: port ${held} is in use by`), 'the status pane names the holder');
	await terminal.keys('j', 'u');
	screen = await terminal.waitFor(new RegExp(`1 of 1 failed: ${escapeRegExp(model)}/app3: `), 90_000, 'the pull fails');
	assert.match(screen, /│✗ start failed: .*registry\.invalid/, `the status pane names the registry:\n${screen}`);
	assert.match(statusText(screen), /lookup registry\.invalid.* no such host/, `the registry's answer:\n${screen}`);
	// Back on app1: its failure is still there (until its next action).
	await terminal.keys('k', 'k');
	await terminal.waitFor(/│✗ start failed: Bind for 127\.0\.0\.1:/, 10_000, 'app1 keeps its failure');
	await terminal.keys('q');
	await terminal.waitFor(/berth exited 0/, 10_000, 'quit');
});
