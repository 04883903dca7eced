// Benchmark: berth's one-shot commands next to docker's own, measured in one run (issue 12, items 2 and 5).
// Every figure is the median wall time of BENCH_ROUNDS (default 9) runs, berth and its baseline
// interleaved round by round, so load from other work on the machine falls on both alike:
//   version  `berth --version` next to a bare runtime start (`node -e 0`, `deno eval 0`): target 1.5x;
//   ps       `berth ps --json` of one app and of all apps (3 apps, 1 stack up) next to `docker ps -a`: 2x;
//   ls       `berth ls --json` on 200 apps (compose model cache warm) next to `docker ps -a`: 3x;
//   actions  bench/cli-actions.ts (berth up|stop|restart|down next to the compose command itself).
// berth runs as the README's "Daily use" installs it: Node a link to bin/berth.js run through its shebang
// (what `npm link` puts in npm's global bin), Deno the script that the README's `deno install` line
// writes (run here into a temp root).
// Run: npm run build && node --import tsx bench/cli.ts   (or deno run -A bench/cli.ts)
// BENCH_PARTS=version,ps,ls,actions picks the parts, BENCH_RUNTIMES=node,deno the runtimes.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {ROOT} from '../test/helpers/runtime.ts';
import {installDenoBerth} from '../test/helpers/daily-use.ts';
import {randomBase, removeProject, workspace, type Workspace} from '../test/integration/stack.ts';
import {TEST_IMAGE} from '../test/helpers/docker.ts';

const list = (value: string) =>
	value
		.split(',')
		.map(s => s.trim())
		.filter(Boolean);
const PARTS = list(process.env['BENCH_PARTS'] ?? 'version,ps,ls,actions');
const RUNTIMES = list(process.env['BENCH_RUNTIMES'] ?? 'node,deno') as RuntimeName[];
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);

export type RuntimeName = 'node' | 'deno';

/** How one runtime runs berth and what a bare start of that runtime is. */
export interface BenchRuntime {
	name: RuntimeName;
	/** The command line of `berth` (append its arguments). */
	berth: string[];
	/** A bare start of the runtime that does nothing (`node -e 0`, `deno eval 0`). */
	bare: string[];
}

/** What a part of this benchmark gets: runtimes, rounds, a timer, workspaces and the report printer. */
export interface BenchContext {
	runtimes: BenchRuntime[];
	rounds: number;
	/** Wall time in ms of one run of `command` (stdout and stderr captured); throws when it fails. */
	time(command: string[], options?: {env?: Record<string, string>; cwd?: string}): number;
	/**
	 * Runs every named measurement once per round, in turn (interleaved), `rounds` times, and returns
	 * the median of each, in ms.
	 */
	interleave(measurements: Record<string, () => number | Promise<number>>, rounds?: number): Promise<Record<string, number>>;
	/** A fresh workspace (apps root + port store) under this run's temp folder, removed at the end. */
	workspace(name: string): Promise<Workspace>;
	/** Registers a compose project to remove at the end, whatever happens. */
	cleanupProject(projectName: string): void;
	/** Prints one figure: value, baseline, ratio, target ratio and `target met` / `target MISSED`. */
	report(name: string, value: number, baseline: number, targetRatio: number, baselineName?: string): void;
	/** Extra ms allowed over the baseline instead of a ratio (`target: +50 ms`). */
	reportOver(name: string, value: number, baseline: number, targetMs: number, baselineName?: string): void;
}

export const median = (values: number[]): number => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const ms = (value: number) => `${value.toFixed(1)} ms`;
let missed = 0;

function time(command: string[], options: {env?: Record<string, string>; cwd?: string} = {}): number {
	const start = performance.now();
	const result = spawnSync(command[0]!, command.slice(1), {
		cwd: options.cwd,
		env: {...process.env, NO_COLOR: '1', ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 64 * 1024 * 1024,
	});
	const elapsed = performance.now() - start;
	if (result.status !== 0) {
		throw new Error(
			`${command.join(' ')} exited ${result.status ?? result.signal}: ${String(result.stderr).slice(0, 2000)}${String(result.stdout).slice(0, 500)}`,
		);
	}
	return elapsed;
}

async function interleave(measurements: Record<string, () => number | Promise<number>>, rounds = ROUNDS): Promise<Record<string, number>> {
	const samples: Record<string, number[]> = {};
	for (const name of Object.keys(measurements)) samples[name] = [];
	for (let round = 0; round < rounds; round++) for (const [name, measure] of Object.entries(measurements)) samples[name]!.push(await measure());
	return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

function report(name: string, value: number, baseline: number, targetRatio: number, baselineName = 'baseline'): void {
	const ratio = value / baseline;
	const met = ratio <= targetRatio;
	if (!met) missed++;
	console.log(
		`  ${name}: ${ms(value)}; ${baselineName} ${ms(baseline)}; ratio ${ratio.toFixed(2)}x; target <= ${targetRatio}x: ${met ? 'target met' : 'target MISSED'}`,
	);
}

function reportOver(name: string, value: number, baseline: number, targetMs: number, baselineName = 'baseline'): void {
	const over = value - baseline;
	const met = over <= targetMs;
	if (!met) missed++;
	console.log(
		`  ${name}: ${ms(value)}; ${baselineName} ${ms(baseline)}; +${over.toFixed(1)} ms (ratio ${(value / baseline).toFixed(2)}x); target <= +${targetMs} ms: ${met ? 'target met' : 'target MISSED'}`,
	);
}

/** Where `command` is on PATH, or null. */
function which(command: string): string | null {
	for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
		const file = path.join(dir, command);
		if (dir && existsSync(file)) return file;
	}
	return null;
}

/** The Node `berth` of the README's "Daily use": what `npm link` makes, a link to bin/berth.js run through its shebang. */
async function nodeBerth(dir: string): Promise<string> {
	await mkdir(path.join(dir, 'bin'), {recursive: true});
	const link = path.join(dir, 'bin', 'berth');
	await symlink(path.join(ROOT, 'bin', 'berth.js'), link);
	return link;
}

async function runtimesFor(dir: string): Promise<BenchRuntime[]> {
	const runtimes: BenchRuntime[] = [];
	for (const name of RUNTIMES) {
		if (name === 'node') {
			const node = which('node');
			if (!node) throw new Error('node is not on PATH');
			runtimes.push({name, berth: [await nodeBerth(path.join(dir, 'node'))], bare: [node, '-e', '0']});
		} else if (name === 'deno') {
			const deno = which('deno');
			if (!deno) throw new Error('deno is not on PATH');
			runtimes.push({name, berth: [installDenoBerth(path.join(dir, 'deno'), deno)], bare: [deno, 'eval', '0']});
		} else throw new Error(`unknown runtime ${name}: choose from node, deno`);
	}
	return runtimes;
}

/**
 * The least any program on the runtime does for `ps`: start, ask the Engine for every container over its
 * socket (node:net, as berth does on both runtimes) and print the answer's size. Run as `node -e` /
 * `deno eval`: what the runtime costs before berth's own code and work.
 */
const ENGINE_QUESTION = `const socket = process.getBuiltinModule('node:net').createConnection(process.env.DOCKER_HOST?.replace(/^unix:\\/\\//, '') || '/var/run/docker.sock');
socket.on('connect', () => socket.write('GET /containers/json?all=1 HTTP/1.0\\r\\nHost: docker\\r\\n\\r\\n'));
let size = 0; socket.on('data', chunk => (size += chunk.length)); socket.on('end', () => console.log(size));`;

/** A compose file for app `n` of the ls workspace: one service publishing its allocated port. */
function lsCompose(port: number): string {
	return `services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "3600"]\n    ports:\n      - "127.0.0.1:${port}:8080"\n`;
}

async function versionPart(ctx: BenchContext): Promise<void> {
	console.log('version: `berth --version` next to a bare runtime start');
	const measurements: Record<string, () => number> = {};
	for (const runtime of ctx.runtimes) {
		measurements[`${runtime.name} bare`] = () => ctx.time(runtime.bare);
		measurements[`${runtime.name} berth`] = () => ctx.time([...runtime.berth, '--version']);
	}
	const medians = await ctx.interleave(measurements);
	for (const runtime of ctx.runtimes) {
		ctx.report(
			`berth --version (${runtime.name})`,
			medians[`${runtime.name} berth`]!,
			medians[`${runtime.name} bare`]!,
			1.5,
			`\`${path.basename(runtime.bare[0]!)} ${runtime.bare.slice(1).join(' ')}\``,
		);
	}
}

async function psPart(ctx: BenchContext): Promise<void> {
	console.log('ps: `berth ps --json` (3 apps, 1 stack up) next to `docker ps -a`');
	const ws = await ctx.workspace('ps');
	const base = randomBase();
	for (let a = 1; a <= 3; a++) {
		const dir = path.join(ws.root, 'bench', `app${a}`);
		await mkdir(dir, {recursive: true});
		await writeFile(path.join(dir, 'docker-compose.yml'), lsCompose(base + a));
	}
	const listed = await ws.cli(['ls', '--json']);
	if (listed.exitCode !== 0) throw new Error(`berth ls failed: ${listed.stderr}`);
	const project = (JSON.parse(listed.stdout) as {models: {apps: {id: string; projectName: string}[]}[]}).models[0]!.apps[0]!.projectName;
	ctx.cleanupProject(project);
	const up = await ws.cli(['up', 'bench/app1']);
	if (up.exitCode !== 0) throw new Error(`berth up failed: ${up.stderr}`);
	const measurements: Record<string, () => number> = {'docker ps -a': () => ctx.time(['docker', 'ps', '-a'])};
	for (const runtime of ctx.runtimes) {
		measurements[`${runtime.name} all`] = () => ctx.time([...runtime.berth, 'ps', '--json'], {env: ws.env});
		measurements[`${runtime.name} one`] = () => ctx.time([...runtime.berth, 'ps', 'bench/app1', '--json'], {env: ws.env});
		measurements[`${runtime.name} floor`] = () => ctx.time([...runtime.bare.slice(0, -1), ENGINE_QUESTION]);
	}
	const medians = await ctx.interleave(measurements);
	for (const runtime of ctx.runtimes) {
		ctx.report(`berth ps --json, all apps (${runtime.name})`, medians[`${runtime.name} all`]!, medians['docker ps -a']!, 2, '`docker ps -a`');
		ctx.report(`berth ps <app> --json (${runtime.name})`, medians[`${runtime.name} one`]!, medians['docker ps -a']!, 2, '`docker ps -a`');
		const floor = medians[`${runtime.name} floor`]!;
		console.log(
			`    the floor: ${runtime.name} asking the Engine for its containers and nothing else (3 lines, node:net as berth) ${ms(floor)}, ${(floor / medians['docker ps -a']!).toFixed(2)}x \`docker ps -a\`; berth spends ${ms(medians[`${runtime.name} all`]! - floor)} more`,
		);
	}
}

async function lsPart(ctx: BenchContext): Promise<void> {
	const APPS = 200;
	console.log(`ls: \`berth ls --json\` on ${APPS} apps (10 models x 20, compose model cache warm) next to \`docker ps -a\``);
	const ws = await ctx.workspace('ls');
	const base = randomBase();
	for (let m = 0; m < 10; m++)
		for (let a = 1; a <= 20; a++) {
			const dir = path.join(ws.root, `model-${m}`, `app${a}`);
			await mkdir(dir, {recursive: true});
			await writeFile(path.join(dir, 'docker-compose.yml'), lsCompose(base + m * 20 + a));
		}
	// The first ls reads every compose model through compose and caches it beside the store; daily use is warm.
	const first = await ws.cli(['ls', '--json'], {timeout: 600_000});
	if (first.exitCode !== 0) throw new Error(`berth ls failed: ${first.stderr}`);
	// The same store with an empty apps root: what ls costs before the first app (start-up, modules, store).
	const empty = {...ws.env, BERTH_ROOT: path.join(ws.root, '..', 'empty-root')};
	await mkdir(empty.BERTH_ROOT, {recursive: true});
	const measurements: Record<string, () => number> = {'docker ps -a': () => ctx.time(['docker', 'ps', '-a'])};
	for (const runtime of ctx.runtimes) {
		measurements[runtime.name] = () => ctx.time([...runtime.berth, 'ls', '--json'], {env: ws.env});
		measurements[`${runtime.name} empty`] = () => ctx.time([...runtime.berth, 'ls', '--json'], {env: empty});
		measurements[`${runtime.name} bare`] = () => ctx.time(runtime.bare);
	}
	const medians = await ctx.interleave(measurements);
	for (const runtime of ctx.runtimes) {
		ctx.report(`berth ls --json, ${APPS} apps (${runtime.name})`, medians[runtime.name]!, medians['docker ps -a']!, 3, '`docker ps -a`');
		const [all, none, bare] = [medians[runtime.name]!, medians[`${runtime.name} empty`]!, medians[`${runtime.name} bare`]!];
		console.log(
			`    where it goes: \`${path.basename(runtime.bare[0]!)} ${runtime.bare.slice(1).join(' ')}\` ${ms(bare)}; ls of an empty apps root ${ms(none)} ` +
				`(${(none / medians['docker ps -a']!).toFixed(2)}x \`docker ps -a\`); the ${APPS} apps add ${ms(all - none)} (${((all - none) / APPS).toFixed(2)} ms per app)`,
		);
	}
}

async function actionsPartLoader(ctx: BenchContext): Promise<void> {
	const file = path.join(ROOT, 'bench', 'cli-actions.ts');
	if (!existsSync(file)) {
		console.log('actions: bench/cli-actions.ts is not there yet; skipped');
		return;
	}
	const {actionsPart} = (await import('./cli-actions.ts' as string)) as {actionsPart(ctx: BenchContext): Promise<void>};
	await actionsPart(ctx);
}

const PART_RUNNERS: Record<string, (ctx: BenchContext) => Promise<void>> = {version: versionPart, ps: psPart, ls: lsPart, actions: actionsPartLoader};

// Only when run, not when bench/cli-actions.ts imports the types.
const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.join(ROOT, 'bench', 'cli.ts');
declare const Deno: {mainModule: string} | undefined;
if (typeof Deno !== 'undefined' ? Deno.mainModule.endsWith('/bench/cli.ts') : isMain) {
	const unknown = PARTS.filter(part => !PART_RUNNERS[part]);
	if (unknown.length > 0) throw new Error(`unknown BENCH_PARTS ${unknown.join(', ')}: choose from ${Object.keys(PART_RUNNERS).join(', ')}`);
	const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-cli-'));
	const projects: string[] = [];
	try {
		const runtimes = await runtimesFor(dir);
		const docker = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {encoding: 'utf8'}).stdout.trim();
		const compose = spawnSync('docker', ['compose', 'version', '--short'], {encoding: 'utf8'}).stdout.trim();
		console.log(
			`berth bench/cli — ${new Date().toISOString().slice(0, 16)}Z; ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GB; docker ${docker}, compose ${compose}; ` +
				`runtimes ${runtimes.map(r => r.name).join(', ')}; median of ${ROUNDS} interleaved rounds; load average ${os.loadavg()[0]!.toFixed(1)}\n`,
		);
		let workspaces = 0;
		const ctx: BenchContext = {
			runtimes,
			rounds: ROUNDS,
			time,
			interleave,
			async workspace(name) {
				const wsDir = path.join(dir, `${name}-${++workspaces}`);
				await mkdir(wsDir, {recursive: true});
				return workspace(wsDir);
			},
			cleanupProject: project => projects.push(project),
			report,
			reportOver,
		};
		for (const part of PARTS) {
			await PART_RUNNERS[part]!(ctx);
			console.log('');
		}
		console.log(missed === 0 ? 'every target met' : `${missed} target(s) MISSED`);
	} finally {
		for (const project of projects) await removeProject(project);
		await rm(dir, {recursive: true, force: true});
	}
}
