// Scaffold benchmark: median time to scaffold one app per built-in flavour (plan + commit, real port
// probes, fresh temp store and root), and to backfill 500 generated apps. Target: <= 20 ms per app.
// Run: node --import tsx bench/scaffold.ts   or   deno run -A bench/scaffold.ts
import {mkdirSync, writeFileSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {loadRegistry} from '../source/core/plugins/registry.ts';
import {commitPlan, planScaffold} from '../source/core/scaffold/index.ts';
import {backfillApps, batchProbe} from '../source/core/scaffold/backfill.ts';

const TARGET_MS = 20;
const SCAFFOLD_RUNS = Number(process.env['BENCH_RUNS'] ?? 25);
const BACKFILL_APPS = Number(process.env['BENCH_APPS'] ?? 500);
const BACKFILL_RUNS = Number(process.env['BENCH_BACKFILL_RUNS'] ?? 3);

declare const Deno: {version: {deno: string}} | undefined;
const runtime = typeof Deno !== 'undefined' ? `Deno ${Deno.version.deno}` : `Node ${process.versions.node}`;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const verdict = (ms: number) => (ms <= TARGET_MS ? 'ok' : 'OVER TARGET');
const temp = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-'));
try {
	const registry = await loadRegistry({cwd: temp, env: {XDG_CONFIG_HOME: temp}});
	console.log(`berth scaffold benchmark — ${runtime}, target ${TARGET_MS} ms per app`);
	console.log(`\nnew (plan + commit, one fresh app per run, ${SCAFFOLD_RUNS} runs; the first run, which compiles the templates, is included):`);
	for (const plugin of registry.usable()) {
		const root = path.join(temp, 'new', plugin.id);
		const storeFile = path.join(temp, `new-${plugin.id}.json`);
		const probe = batchProbe(); // one engine query per batch, as berth new does once per process
		const times: number[] = [];
		const baseline: number[] = [];
		let first = 0;
		let files = 0;
		for (let i = 1; i <= SCAFFOLD_RUNS; i++) {
			const start = performance.now();
			const plan = await planScaffold({root, storeFile, app: {model: 'bench-model', number: i}, plugin, probe});
			const {plan: done} = await commitPlan(plan, {probe});
			const elapsed = performance.now() - start;
			if (i === 1) first = elapsed;
			times.push(elapsed);
			// Baseline: the same bytes written with no berth logic at all (what the disk alone costs).
			const copy = path.join(temp, 'baseline', plugin.id, String(i));
			const base = performance.now();
			for (const file of done.files) {
				const target = path.join(copy, file.path);
				mkdirSync(path.dirname(target), {recursive: true});
				writeFileSync(target, file.content);
			}
			writeFileSync(path.join(copy, '.berth.json'), JSON.stringify(done.state));
			baseline.push(performance.now() - base);
			files = done.files.length + 1;
		}
		const m = median(times);
		const b = median(baseline);
		console.log(
			`  ${plugin.id.padEnd(16)} median ${m.toFixed(2).padStart(6)} ms  ${verdict(m).padEnd(11)} (${files} files; writing them alone takes ${b.toFixed(2)} ms; first run ${first.toFixed(1)} ms)`,
		);
	}

	console.log(`\nbackfill ${BACKFILL_APPS} generated apps with react-flask (${BACKFILL_RUNS} runs, fresh root and store each):`);
	const totals: number[] = [];
	for (let run = 0; run < BACKFILL_RUNS; run++) {
		const root = path.join(temp, `backfill-${run}`);
		for (let i = 1; i <= BACKFILL_APPS; i++) {
			const app = path.join(root, `model-${i % 10}`, `app${Math.ceil(i / 10)}`);
			await mkdir(path.join(app, 'backend'), {recursive: true});
			await writeFile(path.join(app, 'backend', 'app.py'), `# generated app ${i}\n`);
		}
		const start = performance.now();
		const results = await backfillApps({root, storeFile: path.join(temp, `backfill-${run}.json`), registry, flavour: 'react-flask'});
		const elapsed = performance.now() - start;
		const changed = results.filter(r => r.status === 'changed').length;
		if (changed !== BACKFILL_APPS)
			throw new Error(`backfill changed ${changed} of ${BACKFILL_APPS} apps: ${results.find(r => r.status !== 'changed')?.reason}`);
		totals.push(elapsed);
	}
	const total = median(totals);
	const perApp = total / BACKFILL_APPS;
	console.log(
		`  median total ${total.toFixed(0)} ms = ${perApp.toFixed(2)} ms per app  ${verdict(perApp)}  (runs: ${totals.map(t => t.toFixed(0)).join(', ')} ms)`,
	);
} finally {
	await rm(temp, {recursive: true, force: true});
}
