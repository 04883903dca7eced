// Benchmark: port allocation. Prints the median time of one get-or-allocate in-process with 10, 1,000
// and 10,000 existing allocations (new app: lock + probes + atomic write; existing app: lookup), and of
// one `berth ports allocate` CLI call next to a bare runtime start-up measured in the same run.
// Run: node --import tsx bench/ports.ts   |   deno run -A bench/ports.ts
// Targets (issue 2): <= 5 ms in-process at 10,000 allocations; CLI call <= 3x bare start-up.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {candidates, DEFAULT_SLOTS, takenPorts, type StoreDocument} from '../source/core/ports/allocator.ts';
import {openStore} from '../source/core/ports/store.ts';
import {getOrAllocate} from '../source/core/ports/service.ts';
import {runtimeCommand, runtimeName} from '../test/helpers/runtime.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 30);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A store of `count` allocations laid out exactly as the allocator would have made them. */
function syntheticStore(count: number): StoreDocument {
	const doc: StoreDocument = {version: 2, allocations: []};
	const taken = takenPorts(doc, 'default');
	const iterator = candidates(DEFAULT_SLOTS, taken);
	for (let i = 0; i < count; i++) {
		const ports = iterator.next().value as Record<string, number>;
		for (const port of Object.values(ports)) taken.add(port);
		doc.allocations.push({
			model: `model-${Math.floor(i / 30)}`,
			app: (i % 30) + 1,
			ports,
			projectName: `model-${Math.floor(i / 30)}-app${(i % 30) + 1}`,
			appPath: `/apps/model-${Math.floor(i / 30)}/app${(i % 30) + 1}`,
			createdAt: new Date(0).toISOString(),
			engine: 'default',
		});
	}
	return doc;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-ports-'));
try {
	console.log(`berth bench/ports — ${runtimeName} ${process.versions.node ?? ''}, ${ROUNDS} rounds each, median\n`);
	console.log('in-process get-or-allocate');
	for (const size of [10, 1_000, 10_000]) {
		const file = path.join(dir, `store-${size}.json`);
		await writeFile(file, JSON.stringify(syntheticStore(size)));
		const store = openStore(file);
		await store.read(); // a long-lived process (the TUI) has read its store once already
		const fresh: number[] = [];
		const existing: number[] = [];
		for (let i = 0; i < ROUNDS; i++) {
			let start = performance.now();
			await getOrAllocate(store, {model: 'bench-new', number: i + 1}, {appPath: `/apps/bench-new/app${i + 1}`});
			fresh.push(performance.now() - start);
			start = performance.now();
			await getOrAllocate(store, {model: 'model-0', number: 1}, {appPath: '/apps/model-0/app1'});
			existing.push(performance.now() - start);
		}
		console.log(
			`  ${String(size).padStart(6)} allocations: new app ${median(fresh).toFixed(2)} ms, existing app ${median(existing).toFixed(3)} ms${size === 10_000 ? `  (target <= 5 ms: ${median(fresh) <= 5 ? 'met' : 'MISSED'})` : ''}`,
		);
	}

	console.log('\nCLI call vs bare runtime start-up (same run, interleaved)');
	const file = path.join(dir, 'cli-store.json');
	await writeFile(file, JSON.stringify(syntheticStore(100)));
	const [cli, cliPrefix] = runtimeCommand('source/cli.tsx');
	const bare: [string, string[]] = runtimeName === 'deno' ? [cli, ['eval', '0']] : [process.execPath, ['-e', '0']];
	const bareTimes: number[] = [];
	const newTimes: number[] = [];
	const getTimes: number[] = [];
	for (let i = 0; i < ROUNDS; i++) {
		let start = performance.now();
		await execa(bare[0], bare[1]);
		bareTimes.push(performance.now() - start);
		start = performance.now();
		await execa(cli, [...cliPrefix, 'ports', 'allocate', `cli-bench/app${i + 1}`, '--store', file]);
		newTimes.push(performance.now() - start);
		start = performance.now();
		await execa(cli, [...cliPrefix, 'ports', 'allocate', `cli-bench/app1`, '--store', file]);
		getTimes.push(performance.now() - start);
	}
	const b = median(bareTimes);
	console.log(`  bare start-up (${bare[1].join(' ')}): ${b.toFixed(1)} ms`);
	console.log(
		`  berth ports allocate, new app:      ${median(newTimes).toFixed(1)} ms = ${(median(newTimes) / b).toFixed(2)}x bare  (target <= 3x: ${median(newTimes) / b <= 3 ? 'met' : 'MISSED'})`,
	);
	console.log(`  berth ports allocate, existing app: ${median(getTimes).toFixed(1)} ms = ${(median(getTimes) / b).toFixed(2)}x bare`);
} finally {
	await rm(dir, {recursive: true, force: true});
}
