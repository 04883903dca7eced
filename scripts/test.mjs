#!/usr/bin/env node
// The one test command (npm test): builds, type-checks, then runs the same node:test suite under Node
// and under Deno. Exits non-zero when any step fails. Set BERTH_TEST_RUNTIMES=node (or deno) to run one.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import {ensureDeno, ensureNode, nodeIsRecent} from './tools.mjs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'node_modules', '.bin');
const runtimes = (process.env.BERTH_TEST_RUNTIMES ?? 'node,deno').split(',').map(s => s.trim()).filter(Boolean);
const filter = process.argv.slice(2);

const reports = mkdtempSync(path.join(os.tmpdir(), 'berth-test-reports-'));
const totals = {passed: 0, failed: 0, skipped: 0};

/** Adds up a JUnit report: every runtime writes one next to its own console output. */
function count(file, label) {
	if (!existsSync(file)) return;
	const xml = readFileSync(file, 'utf8');
	// Each chunk runs from one <testcase to the next: its <failure>/<skipped> children are inside it.
	const cases = xml.split(/<testcase\b/).slice(1);
	let failed = 0;
	let skipped = 0;
	for (const c of cases) {
		if (/<(failure|error)\b/.test(c)) failed++;
		else if (/<skipped\b/.test(c)) skipped++;
	}
	const passed = cases.length - failed - skipped;
	console.log(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
	totals.passed += passed;
	totals.failed += failed;
	totals.skipped += skipped;
}

function run(title, command, args, env = {}) {
	console.log(`\n== ${title}: ${[command, ...args].join(' ')}`);
	const result = spawnSync(command, args, {cwd: root, stdio: 'inherit', env: {...process.env, ...env}});
	if (result.error) {
		console.error(`cannot run ${command}: ${result.error.message}`);
		process.exit(1);
	}
	return result.status ?? 1;
}

function mustPass(title, command, args) {
	const status = run(title, command, args);
	if (status !== 0) {
		console.error(`${title} failed (exit ${status})`);
		process.exit(status);
	}
}

if (!nodeIsRecent()) {
	// A machine whose Node is older than 22: run this very script under the one npm install fetched.
	const node = ensureNode();
	console.log(`Node ${process.versions.node} is too old for berth: running the tests under ${node}`);
	const again = spawnSync(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {stdio: 'inherit', env: {...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`}});
	process.exit(again.status ?? 1);
}

mustPass('build', path.join(bin, 'tsc'), ['-p', 'tsconfig.build.json']);
mustPass('typecheck', path.join(bin, 'tsc'), ['-p', 'tsconfig.json', '--noEmit']);
const files = filter.length > 0 ? filter : ['test/**/*.test.ts', 'test/**/*.test.tsx'];
const statuses = [];
if (runtimes.includes('node')) {
	const junit = path.join(reports, 'node.xml');
	statuses.push(run('tests under Node ' + process.versions.node, path.join(bin, 'tsx'), ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=junit', `--test-reporter-destination=${junit}`, ...files]));
	count(junit, 'Node');
}
if (runtimes.includes('deno')) {
	const deno = ensureDeno();
	const check = spawnSync(deno, ['--version'], {encoding: 'utf8'});
	if (check.error || check.status !== 0) {
		console.error(`cannot run ${deno}: ${check.error?.message ?? check.stderr}`);
		process.exit(1);
	}
	if (existsSync(path.join(bin, 'deno'))) {
		console.error('node_modules/.bin/deno exists: remove the deno npm dependency (it breaks deno task).');
		process.exit(1);
	}
	const junit = path.join(reports, 'deno.xml');
	statuses.push(run('tests under ' + check.stdout.split('\n')[0], deno, ['test', '-A', '--no-check', `--junit-path=${junit}`, ...(filter.length > 0 ? filter : ['test/'])], {NO_COLOR: '1', PATH: deno === 'deno' ? process.env.PATH : `${path.dirname(deno)}${path.delimiter}${process.env.PATH}`}));
	count(junit, 'Deno');
}
rmSync(reports, {recursive: true, force: true});
const failedRuns = statuses.filter(status => status !== 0).length;
// One plain closing line for both runtimes together.
console.log(`\nberth: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (failedRuns > 0 || totals.failed > 0 || totals.passed === 0) process.exit(1);
