// Benchmark: live state. In one run, against the real Docker Engine:
// 1. the delay from `docker kill` to the matching `berth ps --watch --json` line, next to the delay of a
//    raw `docker events` stream for the same kill (median of BENCH_KILLS kills);
// 2. with 10 stacks (web with a 1 s health check + worker) sitting idle: docker CLI calls per minute and
//    the CPU share of `berth ps --watch` over BENCH_IDLE_SECONDS (default 60).
// Run: node --import tsx bench/status.ts   (builds nothing: run `npm run build` first; Node runs bin/berth.js)
// Targets (issue 4): within 100 ms of the raw stream; <= 2 docker CLI calls/minute, < 1% of a core.
import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa, type ResultPromise} from 'execa';
import {handMadeApp, removeProject, workspace, type Workspace} from '../test/integration/stack.ts';
import {isDeno, ROOT, runtimeCommand} from '../test/helpers/runtime.ts';

const KILLS = Number(process.env['BENCH_KILLS'] ?? 5);
const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 60);
const STACKS = 10;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A child whose stdout lines are timestamped on arrival. */
function lineReader(file: string, args: string[], env: Record<string, string>): {child: ResultPromise; next(match: (line: string) => boolean, timeoutMs?: number): Promise<{line: string; at: number}>} {
	const child = execa(file, args, {env, reject: false, buffer: false, stdin: 'ignore'});
	const lines: {line: string; at: number}[] = [];
	let partial = '';
	let wake: (() => void) | null = null;
	child.stdout!.on('data', (chunk: Buffer) => {
		const at = performance.now();
		const parts = (partial + String(chunk)).split('\n');
		partial = parts.pop() ?? '';
		for (const line of parts) lines.push({line, at});
		wake?.();
	});
	let cursor = 0;
	async function next(match: (line: string) => boolean, timeoutMs = 15_000) {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			for (; cursor < lines.length; cursor++) {
				if (match(lines[cursor]!.line)) return lines[cursor++]!;
			}
			if (performance.now() > deadline) throw new Error(`${path.basename(file)} ${args.join(' ')}: no matching line within ${timeoutMs} ms`);
			await new Promise<void>(resolve => {
				wake = resolve;
				setTimeout(resolve, 50);
			});
		}
	}
	return {child, next};
}

function berthCommand(): [string, string[]] {
	return isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];
}

/** CPU seconds (user + system, children included) of a process, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// utime, stime, cutime, cstime are fields 14-17 (1-based); fields[] starts at field 3.
	const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
	return ticks / 100; // USER_HZ is 100 on Linux
}

async function upAll(ws: Workspace, apps: string[]): Promise<void> {
	for (let i = 0; i < apps.length; i += 5) {
		const results = await Promise.all(apps.slice(i, i + 5).map(app => ws.cli(['up', app, '--wait'], {timeout: 180_000})));
		for (const result of results) if (result.exitCode !== 0) throw new Error(`berth up failed: ${result.stderr}`);
	}
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-status-'));
const ws = workspace(dir);
const projects: string[] = [];
const children: ResultPromise[] = [];
try {
	// A `docker` on PATH that logs every call before running the real one: counts berth's CLI calls.
	const realDocker = (await execa('sh', ['-c', 'command -v docker'])).stdout.trim();
	const shim = path.join(dir, 'shim');
	await execa('mkdir', ['-p', shim]);
	const callLog = path.join(dir, 'docker-calls.log');
	await writeFile(path.join(shim, 'docker'), `#!/bin/sh\necho "$*" >> ${callLog}\nexec ${realDocker} "$@"\n`);
	await chmod(path.join(shim, 'docker'), 0o755);

	console.log(`bench/status: ${STACKS} busybox stacks (web with a 1 s health check + worker), ${KILLS} kills, ${IDLE_SECONDS} s idle; berth under ${isDeno ? 'deno' : 'node'}`);
	const apps: string[] = [];
	for (let i = 1; i <= STACKS; i++) {
		const app = `bench-model-${i % 2 ? 'a' : 'b'}/app${Math.ceil(i / 2)}`;
		const made = await handMadeApp(ws, app);
		projects.push(made.projectName);
		apps.push(app);
	}
	const upStarted = performance.now();
	await upAll(ws, apps);
	console.log(`${STACKS} stacks up and healthy in ${((performance.now() - upStarted) / 1000).toFixed(1)} s`);

	const [file, prefix] = berthCommand();
	const env = {...process.env, ...ws.env, NO_COLOR: '1', PATH: `${shim}:${process.env['PATH']}`} as Record<string, string>;
	const watch = lineReader(file, [...prefix, 'ps', '--watch', '--json'], env);
	children.push(watch.child);
	const raw = lineReader(realDocker, ['events', '--filter', 'type=container', '--filter', 'event=die', '--format', '{{json .}}'], process.env as Record<string, string>);
	children.push(raw.child);
	for (let i = 0; i < STACKS; i++) await watch.next(line => line.includes('"type":"app"'), 30_000);

	// 1. kill -> line delays.
	const target = apps[0]!;
	const status = JSON.parse((await execa(file, [...prefix, 'ps', target, '--json'], {env})).stdout) as {apps: {services: {service: string; containerId: string}[]}[]};
	const worker = status.apps[0]!.services.find(s => s.service === 'worker')!.containerId;
	const rawDelays: number[] = [];
	const berthDelays: number[] = [];
	for (let k = 0; k < KILLS; k++) {
		const t0 = performance.now();
		await execa(realDocker, ['kill', worker]);
		const [rawLine, berthLine] = await Promise.all([
			raw.next(line => line.includes(worker)),
			watch.next(line => line.includes(`"id":"${target}"`) && line.includes('"state":"partial"')),
		]);
		rawDelays.push(rawLine.at - t0);
		berthDelays.push(berthLine.at - t0);
		await execa(realDocker, ['start', worker]);
		await watch.next(line => line.includes(`"id":"${target}"`) && line.includes('"state":"running"'));
	}
	const rawMedian = median(rawDelays);
	const berthMedian = median(berthDelays);
	console.log('\nkill -> line (ms from starting `docker kill`; median of ' + KILLS + '):');
	console.log(`  raw docker events (die)     ${rawMedian.toFixed(1)} ms   [${rawDelays.map(d => d.toFixed(0)).join(', ')}]`);
	console.log(`  berth ps --watch --json     ${berthMedian.toFixed(1)} ms   [${berthDelays.map(d => d.toFixed(0)).join(', ')}]`);
	console.log(`  berth - raw                 ${(berthMedian - rawMedian).toFixed(1)} ms   (target: <= 100 ms) ${berthMedian - rawMedian <= 100 ? 'OK' : 'MISSED'}`);

	// 2. idle cost.
	await new Promise(resolve => setTimeout(resolve, 2000));
	const pid = watch.child.pid!;
	const callsBefore = (await readFile(callLog, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
	const cpuBefore = await cpuSeconds(pid);
	const t0 = performance.now();
	await new Promise(resolve => setTimeout(resolve, IDLE_SECONDS * 1000));
	const elapsed = (performance.now() - t0) / 1000;
	const cpu = (await cpuSeconds(pid)) - cpuBefore;
	const calls = (await readFile(callLog, 'utf8').catch(() => '')).split('\n').filter(Boolean).length - callsBefore;
	const callsPerMinute = (calls / elapsed) * 60;
	const share = (cpu / elapsed) * 100;
	console.log(`\n${STACKS} idle stacks, berth ps --watch over ${elapsed.toFixed(1)} s:`);
	console.log(`  docker CLI calls            ${calls} (${callsPerMinute.toFixed(2)}/minute; target <= 2) ${callsPerMinute <= 2 ? 'OK' : 'MISSED'}`);
	console.log(`  CPU                         ${cpu.toFixed(2)} s = ${share.toFixed(2)}% of a core (target < 1%) ${share < 1 ? 'OK' : 'MISSED'}`);
	console.log(`  (docker CLI calls by berth in the whole run, start-up included: ${(await readFile(callLog, 'utf8').catch(() => '')).split('\n').filter(Boolean).length})`);
} finally {
	for (const child of children) child.kill('SIGTERM');
	await Promise.all(children.map(child => child.catch(() => undefined)));
	await Promise.all(projects.map(removeProject));
	await rm(dir, {recursive: true, force: true});
}
