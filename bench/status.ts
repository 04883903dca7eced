// Benchmark: state, one-shot and live, against the real Docker Engine. In one run:
// 1. `berth ps --json` (all 10 apps) with 1 stack up and with 10: wall time and Engine requests per run,
//    next to `berth ps <app> --json`, a raw `docker ps -a` and the in-process query alone (list only, as
//    `ps` of all apps does, and inspecting every container, as it did before);
// 2. the delay from `docker kill` to the matching `berth ps --watch --json` line, next to the delay of a
//    raw `docker events` stream for the same kill (median of BENCH_KILLS kills);
// 3. with 10 stacks (web with a 1 s health check + worker) sitting idle for BENCH_IDLE_SECONDS: what
//    `berth ps --watch` asks the Engine (requests per minute through a counting proxy on DOCKER_HOST, the
//    one long-lived /events stream counted apart), the docker CLI processes it spawns per minute (a
//    logging `docker` first on its PATH) and the CPU share of its whole process tree (from /proc).
// Run: node --import tsx bench/status.ts (after `npm run build`: Node runs bin/berth.js under the Node
// running the bench), or deno run -A bench/status.ts (Deno runs source/cli.tsx). BERTH_DOCKER_TRANSPORT=cli
// benchmarks the docker CLI transport instead of the socket.
// Targets (issue 4): within 100 ms of the raw stream; <= 2 calls/minute, < 1% of a core idle; the cost
// of `ps` of all apps does not grow with the number of apps.
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa, type ResultPromise} from 'execa';
import {handMadeApp, removeProject, workspace, type Workspace} from '../test/integration/stack.ts';
import {EngineProxy, isEventStream, type EngineRequest} from '../test/integration/engine-proxy.ts';
import {dockerShim} from '../test/integration/docker-shim.ts';
import {isDeno, ROOT, runtimeCommand} from '../test/helpers/runtime.ts';
import {processTree, treeCpuSeconds} from './process-tree.ts';
import {queryStatus} from '../source/core/compose/status.ts';

declare const Deno: {version: {deno: string}} | undefined;

const KILLS = Number(process.env['BENCH_KILLS'] ?? 5);
const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 60);
const PS_RUNS = Number(process.env['BENCH_PS_RUNS'] ?? 7);
const STACKS = 10;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const verdict = (ok: boolean) => (ok ? 'OK' : 'MISSED');

/** A child whose stdout lines are timestamped on arrival. */
function lineReader(
	file: string,
	args: string[],
	env: Record<string, string>,
): {child: ResultPromise; next(match: (line: string) => boolean, timeoutMs?: number): Promise<{line: string; at: number}>} {
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

/** berth under the runtime running the bench: no wrapper re-executing it under another Node. */
function berthCommand(): [string, string[]] {
	return isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];
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
// berth talks to the Engine through a counting proxy; its docker CLI children (if any) go through the
// shim and, inheriting DOCKER_HOST, through the proxy too.
const proxy = new EngineProxy(path.join(dir, 'engine.sock'));
try {
	await proxy.listen();
	const shim = await dockerShim(path.join(dir, 'shim'));
	const [file, prefix] = berthCommand();
	const env = {...process.env, ...ws.env, NO_COLOR: '1', PATH: `${shim.dir}:${process.env['PATH']}`, DOCKER_HOST: `unix://${proxy.socket}`} as Record<
		string,
		string
	>;
	const runtime = isDeno ? `deno ${Deno!.version.deno}` : `node ${process.versions.node}`;
	const cpus = os.cpus();
	const server = (await execa(shim.realDocker, ['version', '--format', '{{.Server.Version}}'])).stdout.trim();
	console.log(`bench/status: ${STACKS} busybox stacks (web with a 1 s health check + worker), ${KILLS} kills, ${IDLE_SECONDS} s idle`);
	console.log(
		`berth under ${runtime}, transport ${process.env['BERTH_DOCKER_TRANSPORT'] || 'auto'}; ${cpus.length} x ${cpus[0]?.model ?? '?'}, docker ${server}; ${new Date().toISOString().slice(0, 10)}; load average ${os.loadavg()[0]!.toFixed(1)}`,
	);

	const apps: string[] = [];
	// All 10 apps exist in the workspace from the start; only their stacks come up in two steps.
	for (let i = 1; i <= STACKS; i++) {
		const app = `bench-model-${i % 2 ? 'a' : 'b'}/app${Math.ceil(i / 2)}`;
		projects.push((await handMadeApp(ws, app)).projectName);
		apps.push(app);
	}

	/** Median wall time and Engine requests per run of `run`, run PS_RUNS times one after another. */
	async function measure(run: () => Promise<unknown>): Promise<{ms: number; requests: number}> {
		const times: number[] = [];
		const before = proxy.requests.length;
		for (let i = 0; i < PS_RUNS; i++) {
			const t0 = performance.now();
			await run();
			times.push(performance.now() - t0);
		}
		return {ms: median(times), requests: (proxy.requests.length - before) / PS_RUNS};
	}
	const command = (name: string, args: string[]) => async () => {
		const result = await execa(name, args, {env, reject: false});
		if (result.exitCode !== 0) throw new Error(`${name} ${args.join(' ')} failed: ${result.stderr}`);
	};
	const targets = projects.map((projectName, i) => ({id: apps[i]!, projectName, hasCompose: true}));
	// In-process queries: through the proxy, but their docker CLI runs (transport cli) are not berth's.
	const queryEnv = {...env, PATH: process.env['PATH']};
	const oneShot = {
		'berth ps --json': command(file, [...prefix, 'ps', '--json']),
		'berth ps <app> --json': command(file, [...prefix, 'ps', apps[0]!, '--json']),
		'raw docker ps -a': command(shim.realDocker, ['ps', '-a']),
		// The query alone, without the process start-up that dominates the commands' time.
		'in-process query, list only': () => queryStatus(targets, {env: queryEnv, detail: 'list'}),
		'in-process query, inspect all': () => queryStatus(targets, {env: queryEnv}),
	};
	const oneShotResults: Record<string, {ms: number; requests: number}>[] = [];
	const measureAll = async () => {
		const results: Record<string, {ms: number; requests: number}> = {};
		for (const [label, run] of Object.entries(oneShot)) results[label] = await measure(run);
		oneShotResults.push(results);
	};

	// 1. one-shot state of all apps, with 1 stack up and with 10.
	await upAll(ws, apps.slice(0, 1));
	await measureAll();
	await upAll(ws, apps.slice(1));
	await measureAll();
	const cell = (r: {ms: number; requests: number}) => `${r.ms.toFixed(1).padStart(7)} ms ${r.requests.toFixed(1).padStart(5)} req`;
	console.log(`\none-shot state of ${STACKS} apps (median of ${PS_RUNS} runs; req = Engine requests per run):`);
	console.log(`  ${''.padEnd(30)} ${'1 stack up'.padStart(20)}   ${`${STACKS} stacks up`.padStart(20)}`);
	for (const label of Object.keys(oneShot)) console.log(`  ${label.padEnd(30)} ${cell(oneShotResults[0]![label]!)}   ${cell(oneShotResults[1]![label]!)}`);
	const psOne = oneShotResults[0]!['berth ps --json']!;
	const psAll = oneShotResults[1]!['berth ps --json']!;
	const rawOne = oneShotResults[0]!['raw docker ps -a']!;
	const rawAll = oneShotResults[1]!['raw docker ps -a']!;

	// 2. kill -> line delays.
	const watch = lineReader(file, [...prefix, 'ps', '--watch', '--json'], env);
	children.push(watch.child);
	const raw = lineReader(
		shim.realDocker,
		['events', '--filter', 'type=container', '--filter', 'event=die', '--format', '{{json .}}'],
		process.env as Record<string, string>,
	);
	children.push(raw.child);
	for (let i = 0; i < STACKS; i++) await watch.next(line => line.includes('"type":"app"'), 30_000);
	const target = apps[0]!;
	const status = JSON.parse((await execa(file, [...prefix, 'ps', target, '--json'], {env})).stdout) as {
		apps: {services: {service: string; containerId: string}[]}[];
	};
	const worker = status.apps[0]!.services.find(s => s.service === 'worker')!.containerId;
	const rawDelays: number[] = [];
	const berthDelays: number[] = [];
	const killsFrom = Date.now();
	const callsBeforeKills = (await shim.calls()).length;
	for (let k = 0; k < KILLS; k++) {
		const t0 = performance.now();
		await execa(shim.realDocker, ['kill', worker]);
		const [rawLine, berthLine] = await Promise.all([
			raw.next(line => line.includes(worker)),
			watch.next(line => line.includes(`"id":"${target}"`) && line.includes('"state":"partial"')),
		]);
		rawDelays.push(rawLine.at - t0);
		berthDelays.push(berthLine.at - t0);
		await execa(shim.realDocker, ['start', worker]);
		await watch.next(line => line.includes(`"id":"${target}"`) && line.includes('"state":"running"'));
	}
	const killRequests = proxy.count(r => !isEventStream(r), killsFrom) / KILLS;
	const killCalls = ((await shim.calls()).length - callsBeforeKills) / KILLS;
	const rawMedian = median(rawDelays);
	const berthMedian = median(berthDelays);
	console.log(`\nkill -> line (ms from starting \`docker kill\`; median of ${KILLS}):`);
	console.log(`  raw docker events (die)            ${rawMedian.toFixed(1)} ms   [${rawDelays.map(d => d.toFixed(0)).join(', ')}]`);
	console.log(`  berth ps --watch --json (partial)  ${berthMedian.toFixed(1)} ms   [${berthDelays.map(d => d.toFixed(0)).join(', ')}]`);
	console.log(`  per kill + start: ${killRequests.toFixed(1)} Engine requests, ${killCalls.toFixed(1)} docker CLI runs by berth`);

	// 3. idle cost.
	await sleep(2000);
	const pid = watch.child.pid!;
	const tree = await processTree(pid);
	const from = Date.now();
	const callsBefore = (await shim.calls()).length;
	const cpuBefore = await treeCpuSeconds(pid);
	const t0 = performance.now();
	await sleep(IDLE_SECONDS * 1000);
	const elapsed = (performance.now() - t0) / 1000;
	const cpu = (await treeCpuSeconds(pid)) - cpuBefore;
	const idle = proxy.requests.filter(r => r.at >= from);
	const requests = idle.filter(r => !isEventStream(r));
	const streams = idle.length - requests.length;
	const calls = (await shim.calls()).length - callsBefore;
	const perMinute = (n: number) => (n / elapsed) * 60;
	const share = (cpu / elapsed) * 100;
	const kinds = (list: EngineRequest[]) => [...new Set(list.map(r => r.path.split('?')[0]!.replace(/[0-9a-f]{64}/, '<id>')))].join(', ') || 'none';
	console.log(`\n${STACKS} idle stacks, berth ps --watch over ${elapsed.toFixed(1)} s:`);
	console.log(`  measured process tree: ${tree.map(p => `${p.pid} ${p.command}`).join(' > ')}`);
	console.log(`  Engine API requests         ${requests.length} (${perMinute(requests.length).toFixed(2)}/minute: ${kinds(requests)})`);
	console.log(`  event streams opened        ${streams} (whole run: ${proxy.count(isEventStream)}, held open)`);
	console.log(`  docker CLI processes        ${calls} (${perMinute(calls).toFixed(2)}/minute; whole run: ${(await shim.calls()).length})`);
	console.log(`  CPU (berth + descendants)   ${cpu.toFixed(2)} s = ${share.toFixed(2)}% of a core`);

	const gap = berthMedian - rawMedian;
	const requestsPerMinute = perMinute(requests.length);
	const callsPerMinute = perMinute(calls);
	console.log('\nsummary (targets of issue 4):');
	console.log(
		`  kill -> watch line     berth ${berthMedian.toFixed(1)} ms vs raw events ${rawMedian.toFixed(1)} ms: ${gap >= 0 ? '+' : ''}${gap.toFixed(1)} ms (x${(berthMedian / rawMedian).toFixed(2)})   target <= +100 ms   ${verdict(gap <= 100)}`,
	);
	console.log(
		`  idle Engine requests   ${requestsPerMinute.toFixed(2)}/minute (event streams: ${streams} opened while idle, ${proxy.count(isEventStream)} in the whole run)   target <= 2/minute   ${verdict(requestsPerMinute <= 2)}`,
	);
	console.log(`  idle docker CLI runs   ${callsPerMinute.toFixed(2)}/minute   target <= 2/minute   ${verdict(callsPerMinute <= 2)}`);
	console.log(`  idle CPU               ${share.toFixed(2)}% of a core   target < 1%   ${verdict(share < 1)}`);
	console.log(
		`  ps --json requests     ${psAll.requests.toFixed(1)} with ${STACKS} stacks vs ${psOne.requests.toFixed(1)} with 1   target: not growing   ${verdict(psAll.requests <= psOne.requests)}`,
	);
	console.log(
		`  ps --json time         ${STACKS} stacks ${psAll.ms.toFixed(0)} ms / 1 stack ${psOne.ms.toFixed(0)} ms = x${(psAll.ms / psOne.ms).toFixed(2)} (raw docker ps -a: x${(rawAll.ms / rawOne.ms).toFixed(2)}); berth / docker ps -a with ${STACKS} stacks: x${(psAll.ms / rawAll.ms).toFixed(2)}`,
	);
	console.log(`  (load average at the end: ${os.loadavg()[0]!.toFixed(1)}: timings on a busy machine stretch alike for berth and docker)`);
} finally {
	for (const child of children) child.kill('SIGTERM');
	await Promise.all(children.map(child => child.catch(() => undefined)));
	await proxy.close();
	await Promise.all(projects.map(removeProject));
	await rm(dir, {recursive: true, force: true});
}
