/**
 * Ctrl-C and SIGTERM stop `berth plugins lint` at once (issue 8, item 8: `timeout 300 berth plugins
 * lint` on a 20 MB template was still running after 12 minutes): the real CLI renders a template that
 * never ends, gets the signal, and must be gone long before lint's own 10 s render limit would have
 * stopped it, its sandboxed renderer with it, and its temporary folder removed. How fast it ends is a
 * figure for a benchmark, not a test: on a loaded CI machine a 1.5 s bound failed at 3.1 s.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {spawn} from 'node:child_process';
import {tempDir} from '../helpers/temp.ts';
import {isDeno, ROOT, runtimeCommand} from '../helpers/runtime.ts';
import {makePlugin} from '../core/plugins/make-plugin.ts';

/** The processes whose parent is `pid` (Linux /proc), with their command lines. */
async function children(pid: number): Promise<{pid: number; command: string}[]> {
	const found: {pid: number; command: string}[] = [];
	for (const entry of await readdir('/proc').catch(() => [])) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
		// "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
		const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		if (ppid !== pid) continue;
		found.push({pid: Number(entry), command: (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ')});
	}
	return found;
}

/** Whether process `pid` still runs (a zombie waiting for its reaper does not). */
async function running(pid: number): Promise<boolean> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
	return stat !== null && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	test(`${signal} during berth plugins lint ends it before the render limit, the renderer killed and the temporary folder removed`, {
		skip: process.platform !== 'linux' ? 'reads /proc' : false,
	}, async () => {
		const dir = await tempDir();
		const tmp = await tempDir('berth-lint-tmp-');
		const pluginDir = await makePlugin(dir, 'forever', {}, {'README.md.eta': '<% while (true) {} %>\n'});
		const [file, prefix] = isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];
		const cli = spawn(file, [...prefix, 'plugins', 'lint', pluginDir, '--no-compose'], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {...process.env, NO_COLOR: '1', TMPDIR: tmp},
		});
		let stderr = '';
		cli.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		cli.stdout.resume();
		const exited = new Promise<{code: number | null; signal: string | null}>(resolve => cli.on('exit', (code, signal) => resolve({code, signal})));
		try {
			// The renderer is up and the template loops (it has 10 s before lint's own limit stops it).
			let renderer: {pid: number; command: string} | undefined;
			const deadline = Date.now() + 60_000;
			while (!renderer && Date.now() < deadline) {
				renderer = (await children(cli.pid!)).find(child => child.command.includes('render-worker'));
				if (!renderer) await new Promise(resolve => setTimeout(resolve, 50));
			}
			assert.ok(renderer, 'no renderer started');
			await new Promise(resolve => setTimeout(resolve, 500));
			assert.ok(await running(renderer.pid));
			const sent = performance.now();
			// process.kill, not cli.kill: Deno's ChildProcess then reports the signal it sent instead of the exit status.
			process.kill(cli.pid!, signal);
			const result = await exited;
			const seconds = (performance.now() - sent) / 1000;
			// Half the render limit: a lint that waited for its renderer to time out would take 10 s or more.
			assert.ok(seconds < 5, `lint took ${seconds.toFixed(2)} s to end after ${signal}: it waited for the renderer`);
			// The CLI's status for a command stopped by a signal: 128 + its number, as a shell reports it.
			assert.deepEqual(result, {code: signal === 'SIGINT' ? 130 : 143, signal: null}, stderr);
			assert.match(stderr, /error: plugins lint was interrupted: its template renderer was stopped, and its temporary folder removed/);
			await new Promise(resolve => setTimeout(resolve, 100));
			assert.equal(await running(renderer.pid), false, `the renderer (${renderer.pid}) is still running`);
			// Node's compile cache (bin/berth.js turns it on for every command) lives in the temp folder by design.
			assert.deepEqual(
				(await readdir(tmp)).filter(name => name !== 'node-compile-cache'),
				[],
				'lint left its temporary folder',
			);
		} finally {
			cli.kill('SIGKILL');
		}
	});
}

test('a berth process that exits (process.exit) while lint renders takes the renderer with it', {
	skip: process.platform !== 'linux' ? 'reads /proc' : false,
}, async () => {
	const dir = await tempDir();
	const pluginDir = await makePlugin(dir, 'forever', {}, {'README.md.eta': '<% while (true) {} %>\n'});
	const [file, args] = runtimeCommand('test/fixtures/lint-then-exit.ts');
	const fixture = spawn(file, [...args, pluginDir], {stdio: 'ignore'});
	const exited = new Promise(resolve => fixture.on('exit', resolve));
	let renderer: {pid: number; command: string} | undefined;
	const deadline = Date.now() + 60_000;
	while (!renderer && Date.now() < deadline) {
		renderer = (await children(fixture.pid!)).find(child => child.command.includes('render-worker'));
		if (!renderer) await new Promise(resolve => setTimeout(resolve, 50));
	}
	assert.ok(renderer, 'no renderer started');
	await exited;
	await new Promise(resolve => setTimeout(resolve, 200));
	const left = await running(renderer.pid);
	if (left) process.kill(renderer.pid, 'SIGKILL');
	assert.equal(left, false, 'the renderer outlived berth');
});
