#!/usr/bin/env node
// npm run bench [-- adopt ports scaffold status tui]: builds, then runs the named benchmarks of bench/ (all of
// them by default) one after the other under Node with tsx. Each prints its own figures and targets.
// BENCH_RUNTIME=deno runs them under Deno instead (`deno run -A bench/<name>.ts`).
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ensureDeno, ensureNode, nodeIsRecent} from './tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const available = readdirSync(path.join(root, 'bench'))
	.filter(f => f.endsWith('.ts'))
	.map(f => f.slice(0, -3))
	.sort();
const asked = process.argv.slice(2);
const unknown = asked.filter(name => !available.includes(name));
if (unknown.length > 0) {
	console.error(`unknown benchmark ${unknown.join(', ')}: choose from ${available.join(', ')}`);
	process.exit(2);
}
const node = nodeIsRecent() ? process.execPath : ensureNode();
const env = {...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`};
const build = spawnSync(node, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {cwd: root, stdio: 'inherit', env});
if (build.status !== 0) process.exit(build.status ?? 1);
const bundle = spawnSync(node, [path.join(root, 'scripts', 'bundle.mjs')], {cwd: root, stdio: 'inherit', env});
if (bundle.status !== 0) process.exit(bundle.status ?? 1);
let failed = 0;
for (const name of asked.length > 0 ? asked : available) {
	const file = path.join('bench', `${name}.ts`);
	const [command, args] = process.env.BENCH_RUNTIME === 'deno' ? [ensureDeno(), ['run', '-A', file]] : [node, ['--import', 'tsx', file]];
	console.log(`\n== bench/${name}.ts: ${[command, ...args].join(' ')}`);
	const result = spawnSync(command, args, {cwd: root, stdio: 'inherit', env});
	if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
