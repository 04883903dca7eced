#!/usr/bin/env node
// The one test command (npm test): builds, type-checks, lints (npm run lint), then runs the same node:test suite under Node
// and under Deno, against compose v2 and v1 (see COMPOSE_TESTS). Exits non-zero when any step fails.
// Set BERTH_TEST_RUNTIMES=node (or deno) to run one runtime, BERTH_COMPOSE=v1 (or v2) to run everything
// against one compose.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import {coverageSummary} from './coverage.mjs';
import {ensureDeno, ensureNode, nodeIsRecent} from './tools.mjs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'node_modules', '.bin');
const runtimes = (process.env.BERTH_TEST_RUNTIMES ?? 'node,deno')
	.split(',')
	.map(s => s.trim())
	.filter(Boolean);
const filter = process.argv.slice(2);

const reports = mkdtempSync(path.join(os.tmpdir(), 'berth-test-reports-'));
const totals = {passed: 0, failed: 0, skipped: 0};
/** Each failed test with the start of its failure text: repeated at the very end, where CI's tail shows it. */
const failures = [];

const xmlText = text =>
	text.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (_, name, dec, hex) =>
		dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(Number.parseInt(hex, 16)) : {lt: '<', gt: '>', quot: '"', apos: "'", amp: '&'}[name],
	);

/** Adds up a JUnit report: every runtime writes one next to its own console output. */
function count(file, label) {
	if (!existsSync(file)) return;
	const xml = readFileSync(file, 'utf8');
	// Each chunk runs from one <testcase to the next: its <failure>/<skipped> children are inside it.
	const cases = xml.split(/<testcase\b/).slice(1);
	let failed = 0;
	let skipped = 0;
	for (const c of cases) {
		if (/<(failure|error)\b/.test(c)) {
			failed++;
			const name = xmlText(xmlText(/\bname="([^"]*)"/.exec(c)?.[1] ?? '?')); // node escapes twice
			const body = /<(?:failure|error)\b([^>]*)>([\s\S]*?)<\/(?:failure|error)>/.exec(c);
			const message = xmlText(/\bmessage="([^"]*)"/.exec(body?.[1] ?? '')?.[1] ?? '');
			const text = xmlText(body?.[2] ?? '')
				.split('\n')
				.map(line => line.trimEnd())
				.filter(Boolean);
			failures.push({label, name, lines: [message, ...text].filter(Boolean).slice(0, 25)});
		} else if (/<skipped\b/.test(c)) skipped++;
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
	const again = spawnSync(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: {...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`},
	});
	process.exit(again.status ?? 1);
}

/** Deno 2 from PATH or .tools/, checked once before its first pass. */
function checkDeno() {
	const command = ensureDeno();
	const check = spawnSync(command, ['--version'], {encoding: 'utf8'});
	if (check.error || check.status !== 0) {
		console.error(`cannot run ${command}: ${check.error?.message ?? check.stderr}`);
		process.exit(1);
	}
	if (existsSync(path.join(bin, 'deno'))) {
		console.error('node_modules/.bin/deno exists: remove the deno npm dependency (it breaks deno task).');
		process.exit(1);
	}
	return {command, version: check.stdout.split('\n')[0]};
}

mustPass('build', path.join(bin, 'tsc'), ['-p', 'tsconfig.build.json']);
mustPass('bundle', process.execPath, [path.join(root, 'scripts', 'bundle.mjs')]);
mustPass('typecheck', path.join(bin, 'tsc'), ['-p', 'tsconfig.json', '--noEmit']);
// biome ci: the lint rules and the formatting, without writing anything.
mustPass('lint', path.join(bin, 'biome'), ['ci', '.']);
mustPass('layers', process.execPath, [path.join(root, 'scripts', 'check-layers.mjs')]);

/**
 * The tests that drive a real compose (up, down, logs, ps, the TUI, berth new's stack, doctor's choice):
 * the whole suite runs once per runtime, and these run again against the other compose, so that Node
 * and Deno each meet v2 and v1. Tests of `compose config` need not be here: they ask every compose.
 */
const COMPOSE_FILES = [
	'test/commands/compose.test.ts',
	'test/core/compose/model-load.test.ts',
	'test/commands/doctor.test.ts',
	'test/commands/new.test.ts',
	'test/e2e/tui.test.ts',
	'test/e2e/tui-failures.test.ts',
	'test/helpers/compose.test.ts',
];
const COMPOSE_TESTS = {node: ['test/integration/**/*.test.ts', ...COMPOSE_FILES], deno: ['test/integration/', ...COMPOSE_FILES]};
const ALL_TESTS = {node: ['test/**/*.test.ts', 'test/**/*.test.tsx'], deno: ['test/']};

/**
 * The passes: each runtime runs the whole suite against one compose and the compose tests against the
 * other (Node: v2 then v1; Deno: v1 then v2). BERTH_COMPOSE, named files, or a machine with one compose
 * give one pass per runtime instead. CI must have both (.ci/run installs them).
 */
async function plan() {
	const {detectCompose} = await import(pathToFileURL(path.join(root, 'dist', 'core', 'compose', 'detect.js')).href);
	const detection = await detectCompose();
	const present = ['v2', 'v1'].filter(flavour => detection[flavour]);
	const describe = flavour => (flavour ? `compose ${flavour} ${detection[flavour]?.version || '(not found)'}` : 'no compose');
	const strict = process.env['CI'] === 'true' || process.env['BERTH_REQUIRE_DOCKER'] === '1';
	if (present.length < 2 && strict && !process.env['BERTH_COMPOSE']) {
		console.error(`compose v2 and v1 are both needed here (CI), found ${present.join(' and ') || 'neither'}: .ci/run installs them`);
		process.exit(1);
	}
	const one = process.env['BERTH_COMPOSE'] || present[0] || null;
	const single = process.env['BERTH_COMPOSE'] || filter.length > 0 || present.length < 2;
	if (present.length < 2 && !process.env['BERTH_COMPOSE']) console.log(`\nonly ${describe(one)} here: every pass runs against it`);
	const passes = [];
	for (const [runtime, whole, other] of [
		['node', 'v2', 'v1'],
		['deno', 'v1', 'v2'],
	]) {
		if (!runtimes.includes(runtime)) continue;
		const files = filter.length > 0 ? filter : ALL_TESTS[runtime];
		if (single) {
			passes.push({runtime, compose: one, label: describe(one), scope: filter.length > 0 ? 'named files' : 'whole suite', files});
			continue;
		}
		passes.push({runtime, compose: whole, label: describe(whole), scope: 'whole suite', files});
		passes.push({runtime, compose: other, label: describe(other), scope: 'compose tests', files: COMPOSE_TESTS[runtime]});
	}
	return passes;
}

function seconds(since) {
	return `${Math.round((performance.now() - since) / 1000)} s`;
}

const statuses = [];
const timings = [];
let deno = null;
for (const pass of await plan()) {
	const env = pass.compose ? {BERTH_COMPOSE: pass.compose} : {};
	const name = `${pass.runtime === 'node' ? 'Node' : 'Deno'}, ${pass.label}, ${pass.scope}`;
	const started = performance.now();
	if (pass.runtime === 'node') {
		const junit = path.join(reports, `node-${pass.compose}.xml`);
		// The whole suite measures coverage (Node's own; scripts/coverage.mjs): lcov beside the JUnit report.
		const lcov = pass.scope !== 'whole suite' ? null : path.resolve(process.env['BERTH_COVERAGE'] || path.join(reports, 'node.lcov'));
		const coverage = lcov
			? [
					'--experimental-test-coverage',
					'--test-coverage-include=source/**',
					'--test-coverage-include=dist/**',
					'--test-reporter=lcov',
					`--test-reporter-destination=${lcov}`,
				]
			: [];
		statuses.push(
			run(
				`tests under Node ${process.versions.node}, ${pass.label} (${pass.scope})`,
				path.join(bin, 'tsx'),
				[
					'--test',
					'--test-concurrency=1',
					...coverage,
					`--test-reporter=${lcov ? './scripts/coverage.mjs' : 'spec'}`,
					'--test-reporter-destination=stdout',
					'--test-reporter=junit',
					`--test-reporter-destination=${junit}`,
					...pass.files,
				],
				env,
			),
		);
		count(junit, name);
		if (lcov && existsSync(lcov)) console.log(`\n${coverageSummary(lcov)}\n(every file's figures: BERTH_COVERAGE=<file> npm test keeps the lcov report there)`);
	} else {
		deno ??= checkDeno();
		const junit = path.join(reports, `deno-${pass.compose}.xml`);
		statuses.push(
			run(`tests under ${deno.version}, ${pass.label} (${pass.scope})`, deno.command, ['test', '-A', '--no-check', `--junit-path=${junit}`, ...pass.files], {
				...env,
				NO_COLOR: '1',
				PATH: deno.command === 'deno' ? process.env.PATH : `${path.dirname(deno.command)}${path.delimiter}${process.env.PATH}`,
			}),
		);
		count(junit, name);
	}
	timings.push(`${name}: ${seconds(started)}`);
}
rmSync(reports, {recursive: true, force: true});
const failedRuns = statuses.filter(status => status !== 0).length;
console.log(`\n${timings.join('\n')}`);
for (const {label, name, lines} of failures) console.log(`\nFAILED in ${label}: ${name}\n${lines.map(line => `  ${line}`).join('\n')}`);
// One plain closing line for every pass together.
console.log(`\nberth: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (failedRuns > 0 || totals.failed > 0 || totals.passed === 0) process.exit(1);
