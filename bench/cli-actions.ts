// Benchmark part `actions` of bench/cli.ts (issue 12, item 3): `berth up|restart|stop|down <app>` next to
// the exact compose command line berth runs for it (`docker compose --ansi never -p P --project-directory D
// -f F up -d`, as `berth up --json` reports it), run directly. Target: at most +50 ms per action.
// One small app (one busybox httpd service publishing its allocated port on 127.0.0.1; `init: true` so a
// stop ends it at once). A round runs the cycle up, restart, stop, down through berth under each runtime
// and through compose, in turn, so each action starts from the same state for berth and compose and the
// machine's load falls on both alike; each figure is the median of the rounds.
// Run: npm run build && BENCH_PARTS=actions node --import tsx bench/cli.ts   (or deno run -A bench/cli.ts)
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {TEST_IMAGE} from '../test/helpers/docker.ts';
import {randomBase} from '../test/integration/stack.ts';
import type {BenchContext} from './cli.ts';

const ACTIONS = ['up', 'restart', 'stop', 'down'] as const;
const TARGET_MS = 50;

function compose(port: number): string {
	return `services:\n  web:\n    image: ${TEST_IMAGE}\n    init: true\n    command: ["httpd", "-f", "-p", "8080"]\n    ports:\n      - "127.0.0.1:${port}:8080"\n`;
}

export async function actionsPart(ctx: BenchContext): Promise<void> {
	const ws = await ctx.workspace('actions');
	const app = 'bench/app1';
	const allocated = await ws.cli(['ports', 'allocate', app, '--slot', `backend=${randomBase()}:2`, '--json']);
	if (allocated.exitCode !== 0) throw new Error(`berth ports allocate failed: ${allocated.stderr}`);
	const {ports, projectName} = JSON.parse(allocated.stdout) as {ports: {backend: number}; projectName: string};
	const dir = path.join(ws.root, 'bench', 'app1');
	await mkdir(dir, {recursive: true});
	await writeFile(path.join(dir, 'docker-compose.yml'), compose(ports.backend));
	ctx.cleanupProject(projectName);

	// The command line of each action, as berth reports running it (the image is pulled by the first up).
	const commands: Record<string, string[]> = {};
	for (const action of ACTIONS) {
		const result = await ws.cli([action, app, '--json'], {timeout: 300_000});
		if (result.exitCode !== 0) throw new Error(`berth ${action} failed: ${result.stderr}${result.stdout}`);
		commands[action] = (JSON.parse(result.stdout) as {command: string[]}).command;
	}
	console.log(`actions: \`berth <action> ${app}\` next to the same compose command run directly, e.g. \`${commands['up']!.join(' ')}\``);
	console.log(`  (${commands['up']![0] === 'docker' ? 'compose v2' : 'compose v1'}; one service, up / restart / stop / down in turn)`);

	const measurements: Record<string, () => number> = {};
	const cycle = (name: string, run: (action: (typeof ACTIONS)[number]) => number) => {
		for (const action of ACTIONS) measurements[`${name} ${action}`] = () => run(action);
	};
	for (const runtime of ctx.runtimes) {
		cycle(runtime.name, action => ctx.time([...runtime.berth, action, app], {env: ws.env}));
		// What any program on this runtime pays before its first line runs: the floor under berth's extra.
		measurements[`${runtime.name} bare`] = () => ctx.time(runtime.bare);
	}
	cycle('compose', action => ctx.time(commands[action]!, {cwd: dir}));
	const medians = await ctx.interleave(measurements);
	for (const runtime of ctx.runtimes) {
		for (const action of ACTIONS)
			ctx.reportOver(`berth ${action} (${runtime.name})`, medians[`${runtime.name} ${action}`]!, medians[`compose ${action}`]!, TARGET_MS, `compose ${action}`);
		const bare = medians[`${runtime.name} bare`]!;
		console.log(
			`  (${runtime.name}: a bare \`${path.basename(runtime.bare[0]!)} ${runtime.bare.slice(1).join(' ')}\` takes ${bare.toFixed(1)} ms of that extra)`,
		);
	}
}
