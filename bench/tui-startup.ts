// bench/tui.ts part 1: launch to the first true frame, the clock of issue 12. In tmux, from sending Enter
// to the first frame whose header counts every running stack ("running 20": berth shows "running …"
// until the Engine has told the state of the apps, so this frame lists every stack with its real state),
// on a workspace of 50 models x 30 app folders plus STACKS running busybox stacks (a web with a 1 s
// health check + a worker each), next to `docker ps -a` typed into the same shell in the same run.
// Rounds interleave docker and each runtime; a warm-up launch per runtime first (Node's compile cache,
// the page cache: berth is opened forty times a day, the first of them is not the one that matters).
// Where the time goes: berth's BERTH_STARTUP_TRACE marks, as ms after Enter (medians).
// BENCH_BASELINE=<dir of another berth checkout, built> adds it as runtime "base" (its bin/berth.js under
// Node), in the same rounds: a change's figure next to the code before it. BENCH_DENO_BUNDLE=1 adds
// "deno-bundle": Deno running the TUI's bundle (dist/tui/cli.js) with deno.json's permissions.
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {handMadeApp, removeProject, type Workspace} from '../test/integration/stack.ts';
import {ROOT} from '../test/helpers/runtime.ts';

/** The shell in tmux that bench/tui.ts opens (its output copied to a file, so arrival times can be read). */
export interface BenchShell {
	type(text: string): Promise<number>;
	waitFor(text: string, from: number, ms?: number): Promise<number>;
	size(): Promise<number>;
}

export interface StartupContext {
	shell: BenchShell;
	ws: Workspace;
	dir: string;
	runtimes: string[];
	rounds: number;
	stacks: number;
	/** The shell command line that opens berth on `ws` under `runtime` (env assignments may precede it). */
	launch(runtime: string, ws: Workspace, env?: Record<string, string>): string;
	quit(): Promise<void>;
	/** Compose projects to remove at the end, whatever happens. */
	projects: string[];
}

const TARGET = 8;
// The marks of source/ui (BERTH_STARTUP_TRACE), in the order they happen.
const MARKS = ['cli modules loaded', 'services created', 'ui modules loaded', 'first render', 'workspace loaded', 'states'];

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The first time each mark was written to `file`, as ms after `enter` (epoch ms); the process start too. */
async function marks(file: string, enter: number): Promise<Map<string, number>> {
	const found = new Map<string, number>();
	for (const line of (await readFile(file, 'utf8').catch(() => '')).split('\n')) {
		const match = /^([\d.]+) ([\d.]+) (.+)$/.exec(line);
		if (!match) continue;
		const [, sinceStart, epoch, label] = match;
		if (!found.has('process started')) found.set('process started', Number(epoch) - Number(sinceStart) - enter);
		if (!found.has(label!)) found.set(label!, Number(epoch) - enter);
	}
	return found;
}

/** Starts `count` busybox stacks under the model `b-bench` (sorts after part 2's chatty model, before model-00). */
async function startStacks(ctx: StartupContext): Promise<string[]> {
	const apps = [];
	for (let i = 1; i <= ctx.stacks; i++) {
		const app = await handMadeApp(ctx.ws, `b-bench/app${i}`);
		ctx.projects.push(app.projectName);
		apps.push(app);
	}
	// Started with compose itself, a few at a time: the bench measures the UI, not "berth up".
	for (let i = 0; i < apps.length; i += 4) {
		await Promise.all(
			apps.slice(i, i + 4).map(async ({projectName, dir}) => {
				const result = await execa('docker', ['compose', '-p', projectName, '-f', path.join(dir, 'docker-compose.yml'), 'up', '-d'], {reject: false, cwd: dir});
				if (result.failed) throw new Error(`docker compose up of ${projectName} failed: ${result.stderr}`);
			}),
		);
	}
	return apps.map(a => a.projectName);
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

export async function startupPart(ctx: StartupContext): Promise<void> {
	const {shell, rounds} = ctx;
	const baseline = process.env['BENCH_BASELINE'];
	const runtimes = [...ctx.runtimes, ...(baseline ? ['base'] : []), ...(process.env['BENCH_DENO_BUNDLE'] ? ['deno-bundle'] : [])];
	const denoTask = (JSON.parse(await readFile(path.join(ROOT, 'deno.json'), 'utf8')) as {tasks: {start: string}}).tasks.start;
	const command: Record<string, string[]> = {
		base: [path.join(baseline ?? '', 'bin', 'berth.js')],
		'deno-bundle': [...denoTask.replace(/ source\/cli\.tsx$/, '').split(' '), path.join(ROOT, 'dist', 'tui', 'cli.js')],
	};
	const launch = (runtime: string, env: Record<string, string>) =>
		command[runtime]
			? `${Object.entries(env)
					.map(([name, value]) => `${name}=${quote(value)} `)
					.join('')}${[...command[runtime]!, '--root', ctx.ws.root, '--store', ctx.ws.store].map(quote).join(' ')}; echo __QU""IT__`
			: ctx.launch(runtime, ctx.ws, env);
	console.log(
		`1. launch to the first true frame (50 models x 30 apps + ${ctx.stacks} running stacks; Enter to "running ${ctx.stacks}" in the header), median of ${rounds} rounds, warm (target: <= ${TARGET}x docker ps -a)`,
	);
	const started = await startStacks(ctx);
	const traceFile = path.join(ctx.dir, 'startup-trace.txt');
	const expected = `running ${ctx.stacks}`;
	const launchOnce = async (runtime: string) => {
		await rm(traceFile, {force: true});
		const from = await shell.size();
		const enter = await shell.type(launch(runtime, {BERTH_STARTUP_TRACE: traceFile}));
		const enterEpoch = performance.timeOrigin + enter;
		const bare = (await shell.waitFor('q quit', from)) - enter;
		const listed = (await shell.waitFor('Models 51', from)) - enter;
		const full = (await shell.waitFor(expected, from)) - enter;
		await ctx.quit();
		return {bare, listed, full, marks: await marks(traceFile, enterEpoch)};
	};
	try {
		// Warm-up: the stacks' health checks settled, caches filled.
		for (const runtime of runtimes) await launchOnce(runtime);
		const dockerPs: number[] = [];
		const results: Record<string, Awaited<ReturnType<typeof launchOnce>>[]> = {};
		for (const runtime of runtimes) results[runtime] = [];
		for (let round = 0; round < rounds; round++) {
			const from = await shell.size();
			const start = await shell.type('docker ps -a; echo __PS""DONE__');
			dockerPs.push((await shell.waitFor('__PSDONE__', from)) - start);
			for (const runtime of round % 2 ? [...runtimes].reverse() : runtimes) results[runtime]!.push(await launchOnce(runtime));
		}
		const ps = median(dockerPs);
		console.log(`   docker ps -a                    ${ps.toFixed(0).padStart(6)} ms`);
		for (const runtime of runtimes) {
			const runs = results[runtime]!;
			const full = median(runs.map(r => r.full));
			const ratio = full / ps;
			console.log(
				`   berth (${runtime.padEnd(4)}) first true frame ${full.toFixed(0).padStart(6)} ms  ${ratio.toFixed(1)}x docker ps -a  target <= ${TARGET}x: ${ratio <= TARGET ? 'target met' : 'target MISSED'}`,
			);
			console.log(
				`        first frame (layout) ${median(runs.map(r => r.bare)).toFixed(0)} ms, apps listed ${median(runs.map(r => r.listed)).toFixed(0)} ms; rounds: ${runs.map(r => r.full.toFixed(0)).join(', ')} ms`,
			);
			const at = (mark: string) => median(runs.flatMap(r => (r.marks.has(mark) ? [r.marks.get(mark)!] : [])));
			const where = ['process started', ...MARKS].map(mark => `${mark} ${at(mark).toFixed(0)}`).join(', ');
			if (runs.some(r => r.marks.size > 0)) console.log(`        where the time goes (ms after Enter): ${where}`);
		}
	} finally {
		await Promise.all(started.map(project => removeProject(project)));
		for (let i = 1; i <= started.length; i++) await ctx.ws.cli(['ports', 'release', `b-bench/app${i}`]);
		await rm(path.join(ctx.ws.root, 'b-bench'), {recursive: true, force: true});
	}
}
