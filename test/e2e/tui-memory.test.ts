/**
 * berth's TUI is one process (issue 12, memory): launched as users launch it (Node: bin/berth.js,
 * which used to start the TUI as a child for its V8 flags; Deno: the runtime on source/), it runs
 * in the process the shell started and, following an app's logs, starts no child (the log is read
 * over the Engine's socket, not by a `docker logs` child). It still quits cleanly with q and Ctrl-C.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {readlink} from 'node:fs/promises';
import path from 'node:path';
import {processTree} from '../../bench/process-tree.ts';
import {dockerTestOptions} from '../helpers/docker.ts';
import {ROOT, isDeno, runtimeCommand, runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {noTmux, openTerminal, shellQuote, type Terminal} from '../helpers/tmux.ts';
import {removeProject, scaffoldApp, workspace} from '../integration/stack.ts';

const options = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

/** berth as a user starts it: the npm bin under Node, the runtime itself under Deno. */
function berthCommand(args: readonly string[]): string {
	const [file, prefix] = isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin/berth.js')]];
	return [file, ...prefix, ...args].map(shellQuote).join(' ');
}

async function launch(terminal: Terminal, args: readonly string[]): Promise<void> {
	await terminal.tmux('send-keys', '-t', 'e2e', '-l', `${berthCommand(args)}; echo "berth exited $?"`);
	await terminal.tmux('send-keys', '-t', 'e2e', 'Enter');
}

/** The processes under the terminal's shell: what the user's machine runs for berth. */
async function berthProcesses(terminal: Terminal): Promise<{pid: number; exe: string; command: string}[]> {
	const shell = Number(String((await terminal.tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}')).stdout).trim());
	const tree = (await processTree(shell)).slice(1);
	return Promise.all(tree.map(async p => ({pid: p.pid, exe: await readlink(`/proc/${p.pid}/exe`).catch(() => ''), command: p.command})));
}

test(`the TUI (${runtimeName}) is one process, following logs starts no child, q and Ctrl-C quit`, {
	...options,
	skip: options.skip ?? noTmux,
	timeout: 240_000,
}, async () => {
	const ws = workspace(await tempDir('berth-e2e-memory-'));
	const model = `one-${runtimeName}-${process.pid}`;
	const app = await scaffoldApp(ws, `${model}/app1`);
	projects.push(app.projectName);
	const up = await ws.cli(['up', `${model}/app1`, '--wait'], {timeout: 120_000});
	assert.equal(up.exitCode, 0, up.stderr);

	const terminal = await openTerminal(`berth-memory-${process.pid}`, {columns: 120, rows: 35});
	await launch(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +(healthy|running)/, 60_000, 'the running app');
	await terminal.keys('l', 'l');
	await terminal.waitFor(/worker \| worker line \d+/, 30_000, 'the worker follows');
	// Looked at a few times while the log streams: never a second process.
	for (let look = 0; look < 3; look++) {
		const processes = await berthProcesses(terminal);
		const described = processes.map(p => `${p.pid} ${p.command}`).join('\n');
		assert.equal(processes.length, 1, `one process for berth, not:\n${described}`);
		assert.match(processes[0]!.exe, /\/(node|deno)$/, described);
		await new Promise(resolve => setTimeout(resolve, 1000));
	}
	await terminal.keys('q');
	await terminal.waitFor(/berth exited 0/, 15_000, 'q quits');
	let state = String((await terminal.tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on} #{cursor_flag}')).stdout).trim();
	assert.equal(state, '0 1', 'main screen back, cursor shown');
	assert.deepEqual(await berthProcesses(terminal), [], 'nothing of berth left running');

	await terminal.tmux('send-keys', '-t', 'e2e', 'clear', 'Enter');
	await launch(terminal, ['--root', ws.root, '--store', ws.store]);
	await terminal.waitFor(/app1 +(healthy|running)/, 60_000, 'the running app again');
	await terminal.keys('C-c');
	await terminal.waitFor(/berth exited 0/, 15_000, 'Ctrl-C quits');
	state = String((await terminal.tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on} #{cursor_flag}')).stdout).trim();
	assert.equal(state, '0 1', 'main screen back, cursor shown');
	assert.deepEqual(await berthProcesses(terminal), [], 'nothing of berth left running');
});
