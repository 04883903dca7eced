#!/usr/bin/env node
// The one test command (npm test): builds, type-checks, then runs the same node:test suite under Node
// and under Deno. Exits non-zero when any step fails. Set BERTH_TEST_RUNTIMES=node (or deno) to run one.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'node_modules', '.bin');
const runtimes = (process.env.BERTH_TEST_RUNTIMES ?? 'node,deno').split(',').map(s => s.trim()).filter(Boolean);
const filter = process.argv.slice(2);

function run(title, command, args) {
	console.log(`\n== ${title}: ${[command, ...args].join(' ')}`);
	const result = spawnSync(command, args, {cwd: root, stdio: 'inherit', env: process.env});
	if (result.error) {
		console.error(`cannot run ${command}: ${result.error.message}`);
		process.exit(1);
	}
	if (result.status !== 0) {
		console.error(`${title} failed (exit ${result.status ?? result.signal})`);
		process.exit(result.status || 1);
	}
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
	console.error(`berth needs Node.js >= 22 (this is ${process.versions.node}). .ci/run shows how to get one.`);
	process.exit(1);
}

run('build', path.join(bin, 'tsc'), ['-p', 'tsconfig.build.json']);
run('typecheck', path.join(bin, 'tsc'), ['-p', 'tsconfig.json', '--noEmit']);
const files = filter.length > 0 ? filter : ['test/**/*.test.ts', 'test/**/*.test.tsx'];
if (runtimes.includes('node')) {
	run('tests under Node ' + process.versions.node, path.join(bin, 'tsx'), ['--test', '--test-concurrency=1', ...files]);
}
if (runtimes.includes('deno')) {
	const check = spawnSync('deno', ['--version'], {encoding: 'utf8'});
	if (check.error) {
		console.error('deno is not on PATH: install it outside the project (npm i --prefix /opt/deno deno@2; PATH=/opt/deno/node_modules/.bin:$PATH).');
		process.exit(1);
	}
	if (existsSync(path.join(bin, 'deno'))) {
		console.error('node_modules/.bin/deno exists: remove the deno npm dependency (it breaks deno task).');
		process.exit(1);
	}
	run('tests under ' + check.stdout.split('\n')[0], 'deno', ['test', '-A', '--no-check', '--quiet', ...(filter.length > 0 ? filter : ['test/'])]);
}
