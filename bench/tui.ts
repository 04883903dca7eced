// Benchmark: the terminal UI in a real terminal (tmux), against the real Docker Engine. In one run:
// 1. time from launch to the first true frame (every running stack with its real state) under Node and
//    Deno, next to `docker ps -a` typed into the same shell (bench/tui-startup.ts; BENCH_ROUNDS rounds);
// 2. resident memory of berth's whole process tree following the logs of a container printing 5,000
//    lines a second (a burst of 5,000 every second), sampled every 2 s over BENCH_FOLLOW_SECONDS
//    (default 60) next to `docker logs -f` of the same container, BENCH_FOLLOW_ROUNDS rounds (default 1)
//    (target: under 150 MB and flat);
// 3. CPU share of an idle berth with BENCH_STACKS (default 20) running stacks over BENCH_IDLE_SECONDS
//    (default 30) (target: < 1% of a core).
// Run: npm run build && node --import tsx bench/tui.ts   (or deno run -A bench/tui.ts)
// BENCH_RUNTIMES=node,deno,deno-task picks the runtimes measured (default node,deno: the README's daily use), BENCH_PARTS=1,2,3 the parts. Needs tmux, docker, deno and node on PATH.
import {mkdtemp, mkdir, readFile, readlink, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {TEST_IMAGE} from '../test/helpers/docker.ts';
import {ROOT} from '../test/helpers/runtime.ts';
import {processTree, treeCpuSeconds} from './process-tree.ts';
import {removeProject, scaffoldApp, workspace, type Workspace} from '../test/integration/stack.ts';
import {startupPart} from './tui-startup.ts';
import {installDenoBerth} from '../test/helpers/daily-use.ts';

const PARTS = (process.env['BENCH_PARTS'] ?? '1,2,3').split(',').map(s => s.trim());

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const FOLLOW_SECONDS = Number(process.env['BENCH_FOLLOW_SECONDS'] ?? 60);
const FOLLOW_ROUNDS = Number(process.env['BENCH_FOLLOW_ROUNDS'] ?? 1);
const SAMPLE_SECONDS = 2;
const SLOPE_SECONDS = Math.min(40, FOLLOW_SECONDS);
// Part 2's targets: the whole tree under this, and "flat": growing less than this over the last SLOPE_SECONDS.
const MEMORY_LIMIT_MB = 150;
const FLAT_MB_PER_MIN = 2;
const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 30);
const STACKS = Number(process.env['BENCH_STACKS'] ?? 20);
const RUNTIMES = (process.env['BENCH_RUNTIMES'] ?? 'node,deno')
	.split(',')
	.map(s => s.trim())
	.filter(Boolean);
const SOCKET = `berth-bench-${process.pid}`;

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
const tmux = (...args: string[]) => execa('tmux', ['-L', SOCKET, ...args], {reject: false});

/**
 * berth as the README's "Daily use" puts it on PATH: under Node a link to bin/berth.js run through its
 * shebang (what `npm link` makes), under Deno the script its `deno install` line writes (one `deno run`
 * process). `deno-task` is the quick start's `deno task start` (a task runner process and `deno run`).
 */
function berthCommand(runtime: string): string[] {
	if (runtime === 'node') return [path.join(ROOT, 'bin/berth.js')];
	if (runtime === 'deno') {
		denoBerth ??= installDenoBerth(path.join(dir, 'deno-daily'));
		return [denoBerth];
	}
	if (runtime === 'deno-task') return ['deno', 'task', '--quiet', '--config', path.join(ROOT, 'deno.json'), 'start'];
	throw new Error(`unknown runtime ${runtime}: choose from node, deno, deno-task`);
}
let denoBerth: string | undefined;

/** A shell in tmux whose output is copied (pipe-pane) to a file, so arrival times can be measured. */
async function openShell(dir: string): Promise<{
	log: string;
	type(text: string): Promise<number>;
	waitFor(text: string, from: number, ms?: number): Promise<number>;
	size(): Promise<number>;
	berth(): Promise<{top: number; worker: number}>;
}> {
	const log = path.join(dir, `pane-${Date.now()}.log`);
	await tmux('kill-session', '-t', 'bench');
	await tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '35', 'env', 'PS1=$ ', 'NO_COLOR=1', 'bash', '--norc', '--noprofile');
	await tmux('pipe-pane', '-t', 'bench', '-o', `cat >> ${quote(log)}`);
	await sleep(300);
	const size = async () => (await readFile(log).catch(() => Buffer.alloc(0))).length;
	return {
		log,
		size,
		async type(text) {
			await tmux('send-keys', '-t', 'bench', '-l', text);
			const at = performance.now();
			await tmux('send-keys', '-t', 'bench', 'Enter');
			return at;
		},
		async waitFor(text, from, ms = 30_000) {
			const deadline = performance.now() + ms;
			while (performance.now() < deadline) {
				const output = (await readFile(log).catch(() => Buffer.alloc(0))).subarray(from).toString('utf8');
				if (output.includes(text)) return performance.now();
				await sleep(2);
			}
			throw new Error(`"${text}" never appeared in the terminal within ${ms} ms`);
		},
		/**
		 * berth's processes under the shell: `top` is the one the shell started, `worker` the deepest
		 * runtime process below it, which runs the TUI (bin/berth.js starts the TUI as a child with its
		 * memory flags, and re-runs itself under a newer Node where the PATH's is older than 22).
		 */
		async berth() {
			const shell = Number(String((await tmux('display-message', '-p', '-t', 'bench', '#{pane_pid}')).stdout).trim());
			const all = await processTree(shell);
			const isRuntime = async (pid: number) => /\/(node|deno)$/.test(await readlink(`/proc/${pid}/exe`).catch(() => ''));
			const runtimeChild = async (parent: number) => {
				for (const p of all) if (p.ppid === parent && (await isRuntime(p.pid))) return p.pid;
				return undefined;
			};
			const top = await runtimeChild(shell);
			if (!top) throw new Error('berth is not running in the bench terminal');
			let worker = top;
			for (let next = await runtimeChild(top); next; next = await runtimeChild(next)) worker = next;
			return {top, worker};
		},
	};
}

async function rssMb(pid: number): Promise<number> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** RSS of `root` and every process below it, in MB: what the user's machine pays for it. */
async function treeRssMb(root: number): Promise<number> {
	return (await Promise.all((await processTree(root)).map(p => rssMb(p.pid)))).reduce((a, b) => a + b, 0);
}

/** The tree RSS of a process over time (seconds since the start, MB), and its processes as last seen. */
interface MemoryTrace {
	at: number[];
	mb: number[];
	/** The same samples with each file's pages counted once (onceMb). */
	once: number[];
	processes: string[];
}

/**
 * The tree's memory with each file's pages counted once: the summed RSS counts the runtime's binary
 * (~17 MB of Deno's) in every process that maps it, as in `deno task` and the `deno run` below it.
 * Every process's anonymous memory, plus each file's largest mapping in the tree.
 */
async function onceMb(pids: number[]): Promise<number> {
	let anonymous = 0;
	const files = new Map<string, number>();
	for (const pid of pids) {
		const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8').catch(() => '');
		const perFile = new Map<string, number>();
		let file = '';
		for (const line of smaps.split('\n')) {
			const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
			if (mapping) file = mapping[1]!.startsWith('/') ? mapping[1]! : '';
			else if (line.startsWith('Rss:')) {
				const kb = Number(/\d+/.exec(line)![0]);
				if (file) perFile.set(file, (perFile.get(file) ?? 0) + kb);
				else anonymous += kb;
			}
		}
		for (const [name, kb] of perFile) files.set(name, Math.max(files.get(name) ?? 0, kb));
	}
	return (anonymous + [...files.values()].reduce((a, b) => a + b, 0)) / 1024;
}

async function sampleTree(root: number, at: number, trace: MemoryTrace): Promise<void> {
	const processes = await processTree(root);
	const sizes = await Promise.all(processes.map(p => rssMb(p.pid)));
	trace.at.push(at);
	trace.mb.push(sizes.reduce((a, b) => a + b, 0));
	trace.once.push(await onceMb(processes.map(p => p.pid)));
	// "bin/berth.js 118 MB": the program and its first argument that is not an option, short.
	const name = (command: string) =>
		command
			.split(' ')
			.filter((word, i) => i === 0 || !word.startsWith('-'))
			.slice(0, 2)
			.map(word => path.basename(word))
			.join(' ');
	trace.processes = processes.map((p, i) => `${name(p.command)} ${sizes[i]!.toFixed(0)} MB`);
}

/** Least-squares slope of the samples taken in the last SLOPE_SECONDS, in MB per minute. */
function slopePerMinute({at, mb}: MemoryTrace): number {
	const from = at.at(-1)! - SLOPE_SECONDS;
	const xs = at.filter(t => t >= from);
	const ys = mb.slice(at.length - xs.length);
	const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
	const my = ys.reduce((a, b) => a + b, 0) / ys.length;
	const num = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0);
	const den = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
	return den === 0 ? 0 : (num / den) * 60;
}

function describeTrace(trace: MemoryTrace): string {
	const {mb} = trace;
	return `tree RSS min ${Math.min(...mb).toFixed(0)} / max ${Math.max(...mb).toFixed(0)} / last ${mb.at(-1)!.toFixed(0)} MB, slope ${slopePerMinute(trace).toFixed(1)} MB/min, max with shared files once ${Math.max(...trace.once).toFixed(0)} MB`;
}

/** Median over rounds of each round's min, max, last and slope. */
function summarise(traces: MemoryTrace[]): {min: number; max: number; last: number; slope: number; once: number} {
	return {
		once: median(traces.map(t => Math.max(...t.once))),
		min: median(traces.map(t => Math.min(...t.mb))),
		max: median(traces.map(t => Math.max(...t.mb))),
		last: median(traces.map(t => t.mb.at(-1)!)),
		slope: median(traces.map(slopePerMinute)),
	};
}

async function quit(shell: Awaited<ReturnType<typeof openShell>>) {
	const from = await shell.size();
	await tmux('send-keys', '-t', 'bench', 'q');
	await shell.waitFor('__QUIT__', from, 15_000);
}

const launch = (runtime: string, ws: Workspace, env: Record<string, string> = {}) =>
	`${Object.entries(env)
		.map(([name, value]) => `${name}=${quote(value)} `)
		.join('')}${[...berthCommand(runtime), '--root', ws.root, '--store', ws.store].map(quote).join(' ')}; echo __QU""IT__`;

const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-tui-'));
const projects: string[] = [];
try {
	console.log(
		`berth bench/tui — runtimes ${RUNTIMES.join(', ')}; ${ROUNDS} launches each; follow ${FOLLOW_SECONDS} s; idle ${IDLE_SECONDS} s with ${STACKS} stacks\n`,
	);

	// A workspace of 50 models x 30 folders (no compose needed to list them) plus the benchmark stacks.
	const ws = workspace(dir);
	for (let m = 0; m < 50; m++)
		for (let a = 1; a <= 30; a++) await mkdir(path.join(ws.root, `model-${String(m).padStart(2, '0')}`, `app${a}`), {recursive: true});

	// 1. launch to the first true frame (bench/tui-startup.ts)
	const shell = await openShell(dir);
	if (PARTS.includes('1')) {
		await startupPart({shell, ws, dir, runtimes: RUNTIMES, rounds: ROUNDS, stacks: STACKS, launch, quit: () => quit(shell), projects});
	}

	// 2. memory of berth's whole process tree while following a chatty container
	if (PARTS.includes('2')) {
		console.log(
			`\n2. following a container printing 5,000 lines/s (a burst a second) for ${FOLLOW_SECONDS} s, RSS of every process berth runs, sampled every ${SAMPLE_SECONDS} s (target: < ${MEMORY_LIMIT_MB} MB and flat: slope of the last ${SLOPE_SECONDS} s under ${FLAT_MB_PER_MIN} MB/min); median of ${FOLLOW_ROUNDS} round(s)`,
		);
		const chatty = path.join(ws.root, 'aaa-chatty', 'app1');
		await mkdir(chatty, {recursive: true});
		await writeFile(
			path.join(chatty, 'docker-compose.yml'),
			`services:
  chatty:
    image: ${TEST_IMAGE}
    init: true
    command: ["sh", "-c", "while true; do seq 1 5000; sleep 1; done"]
`,
		);
		const chattyProject = 'aaa-chatty-app1';
		projects.push(chattyProject);
		const up = await execa('docker-compose', ['-p', chattyProject, '-f', path.join(chatty, 'docker-compose.yml'), 'up', '-d'], {reject: false});
		if (up.failed) throw new Error(`cannot start the chatty container: ${up.stderr}`);
		const container = String((await execa('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${chattyProject}`])).stdout).split('\n')[0]!;
		const traces: Record<string, {berth: MemoryTrace[]; baseline: MemoryTrace[]; cpu: number[]}> = {};
		for (const runtime of RUNTIMES) traces[runtime] = {berth: [], baseline: [], cpu: []};
		// Rounds interleave the runtimes; each round's baseline follows the same container at the same time.
		for (let round = 0; round < FOLLOW_ROUNDS; round++) {
			for (const runtime of RUNTIMES) {
				const from = await shell.size();
				await shell.type(launch(runtime, ws));
				await shell.waitFor('Models 51', from);
				// The chatty model sorts first: l focuses its apps, l follows app1's logs.
				await tmux('send-keys', '-t', 'bench', 'l');
				await sleep(200);
				await tmux('send-keys', '-t', 'bench', 'l');
				await shell.waitFor('chatty | ', from, 20_000);
				const {top} = await shell.berth();
				// The baseline: docker's own follower of the same container, its output thrown away.
				const baseline = execa('docker', ['logs', '-f', '--tail', '200', container], {reject: false, stdout: 'ignore', stderr: 'ignore'});
				const cpuStart = await treeCpuSeconds(top);
				const started = performance.now();
				const berth: MemoryTrace = {at: [], mb: [], once: [], processes: []};
				const base: MemoryTrace = {at: [], mb: [], once: [], processes: []};
				for (;;) {
					const at = (performance.now() - started) / 1000;
					await sampleTree(top, at, berth);
					await sampleTree(baseline.pid!, at, base);
					if (at >= FOLLOW_SECONDS) break;
					await sleep(Math.min(SAMPLE_SECONDS * 1000, (FOLLOW_SECONDS - at) * 1000));
				}
				traces[runtime]!.cpu.push(((await treeCpuSeconds(top)) - cpuStart) / ((performance.now() - started) / 1000));
				baseline.kill('SIGTERM');
				await baseline;
				traces[runtime]!.berth.push(berth);
				traces[runtime]!.baseline.push(base);
				console.log(`   round ${round + 1} ${runtime.padEnd(4)} ${describeTrace(berth)}; processes: ${berth.processes.join(', ')}`);
				if (round === 0) {
					// Scrolled back, the pane keeps the buffer as it was besides the live one: still flat.
					await tmux('send-keys', '-t', 'bench', 'k');
					const still: number[] = [];
					const half = (FOLLOW_SECONDS * 1000) / 2;
					const scrolled = performance.now();
					while (performance.now() - scrolled < half) {
						await sleep(Math.min(5000, half / 3));
						still.push(await treeRssMb(top));
					}
					console.log(
						`   round ${round + 1} ${runtime.padEnd(4)} scrolled back ${(half / 1000).toFixed(0)} s more: tree RSS ${still.map(v => v.toFixed(0)).join(', ')} MB, max ${Math.max(...still).toFixed(0)} MB`,
					);
				}
				await quit(shell);
			}
		}
		for (const runtime of RUNTIMES) {
			const {berth, baseline, cpu} = traces[runtime]!;
			const b = summarise(berth);
			const d = summarise(baseline);
			const met = b.max < MEMORY_LIMIT_MB && b.slope < FLAT_MB_PER_MIN;
			console.log(
				`   berth (${runtime.padEnd(4)}) tree RSS min ${b.min.toFixed(0)} / max ${b.max.toFixed(0)} / last ${b.last.toFixed(0)} MB, slope of the last ${SLOPE_SECONDS} s ${b.slope.toFixed(1)} MB/min, max with shared files once ${b.once.toFixed(0)} MB, CPU ${(median(cpu) * 100).toFixed(1)}% of a core; baseline docker logs -f > /dev/null: min ${d.min.toFixed(0)} / max ${d.max.toFixed(0)} / last ${d.last.toFixed(0)} MB, slope ${d.slope.toFixed(1)} MB/min; max ${(b.max / d.max).toFixed(1)}x baseline  (target ${met ? 'met' : 'MISSED'}: max ${b.max.toFixed(0)} MB / ${MEMORY_LIMIT_MB} MB = ${(b.max / MEMORY_LIMIT_MB).toFixed(2)}, slope ${b.slope.toFixed(1)} / ${FLAT_MB_PER_MIN} MB/min)`,
			);
		}
		await removeProject(chattyProject);
		await rm(path.join(ws.root, 'aaa-chatty'), {recursive: true, force: true});
	}

	// 3. idle CPU with running stacks
	if (PARTS.includes('3')) {
		console.log(`\n3. idle with ${STACKS} running stacks (web with a 1 s health check + worker), ${IDLE_SECONDS} s (target: < 1% of a core)`);
		const stacks: {projectName: string; dir: string}[] = [];
		for (let i = 1; i <= STACKS; i++) {
			const app = await scaffoldApp(ws, `zz-bench/app${i}`);
			projects.push(app.projectName);
			stacks.push(app);
		}
		// Started with compose itself, a few at a time: the bench measures the UI, not "berth up".
		for (let i = 0; i < stacks.length; i += 4) {
			await Promise.all(
				stacks.slice(i, i + 4).map(async ({projectName, dir: appDir}) => {
					const result = await execa('docker-compose', ['-p', projectName, '-f', path.join(appDir, 'docker-compose.yml'), 'up', '-d'], {
						reject: false,
						cwd: appDir,
					});
					if (result.failed) throw new Error(`docker-compose up of ${projectName} failed: ${result.stderr}`);
				}),
			);
		}
		for (const runtime of RUNTIMES) {
			const from = await shell.size();
			await shell.type(launch(runtime, ws));
			await shell.waitFor(`running ${STACKS}`, from, 30_000);
			await sleep(3000); // let start-up work settle
			const {top, worker} = await shell.berth();
			const before = await treeCpuSeconds(top);
			const started = performance.now();
			await sleep(IDLE_SECONDS * 1000);
			const share = ((await treeCpuSeconds(top)) - before) / ((performance.now() - started) / 1000);
			console.log(
				`   berth (${runtime.padEnd(4)}) idle CPU ${(share * 100).toFixed(2)}% of a core (all of berth's processes), RSS ${(await rssMb(worker)).toFixed(0)} MB  (${share < 0.01 ? 'met' : 'MISSED'})`,
			);
			await quit(shell);
		}
	}
} finally {
	await tmux('kill-server');
	await Promise.all(projects.map(project => removeProject(project)));
	await rm(dir, {recursive: true, force: true});
}
