import assert from 'node:assert/strict';
import {mkdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {parseJson, runCli} from '../helpers/cli.ts';
import {execa} from 'execa';
import {DENO_PERMISSIONS, isDeno, ROOT, runtimeCommand} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};

test('--version and --help', async () => {
	const version = await runCli(['--version']);
	assert.equal(version.exitCode, 0);
	assert.equal(version.stdout, `berth ${pkg.version}`);
	const help = await runCli(['--help']);
	assert.equal(help.exitCode, 0);
	for (const command of ['ls', 'ports allocate', 'ports check', 'doctor']) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
	const commandHelp = await runCli(['ports', 'allocate', '--help']);
	assert.equal(commandHelp.exitCode, 0);
	assert.match(commandHelp.stdout, /^Usage: berth ports allocate <model>\/app<N>/);
	const group = await runCli(['ports', '--help']);
	assert.equal(group.exitCode, 0);
	assert.match(group.stdout, /ports release/);
});

test('the documented entry points run berth: npx berth (Node) and deno task berth (Deno)', async () => {
	const [file, args] = isDeno ? [runtimeCommand('x')[0], ['task', '-q', 'berth', '--version']] : ['npx', ['--no-install', 'berth', '--version']];
	const result = await execa(file, args, {cwd: ROOT, reject: false, env: {NO_COLOR: '1'}});
	assert.equal(result.exitCode, 0, result.stderr);
	assert.equal(result.stdout.trim(), `berth ${pkg.version}`);
});

test('deno.json grants explicit permissions, the same to start, berth and the CLI under test', async () => {
	const {tasks} = JSON.parse(await readFile(path.join(ROOT, 'deno.json'), 'utf8')) as {tasks: Record<string, string>};
	assert.equal(tasks['start'], tasks['berth'], 'start and berth run the same command (berth with no command opens the TUI)');
	assert.doesNotMatch(tasks['berth']!, /\s(-A|--allow-all)\b|--allow-ffi/);
	assert.ok(DENO_PERMISSIONS.includes('--no-prompt'), 'a missing permission fails, never prompts over the TUI');
	assert.ok(DENO_PERMISSIONS.includes('--allow-sys=hostname,homedir,uid,gid'), DENO_PERMISSIONS.join(' '));
});

test('usage errors exit 2 and say what is accepted', async () => {
	const unknown = await runCli(['frobnicate']);
	assert.equal(unknown.exitCode, 2);
	assert.match(unknown.stderr, /unknown command "frobnicate"/);
	const badOption = await runCli(['ls', '--bogus']);
	assert.equal(badOption.exitCode, 2);
	assert.match(badOption.stderr, /--bogus/);
	const missing = await runCli(['ports', 'allocate']);
	assert.equal(missing.exitCode, 2);
	assert.match(missing.stderr, /Usage: berth ports allocate/);
	const group = await runCli(['ports']);
	assert.equal(group.exitCode, 2);
	assert.equal(group.stdout, '');
	assert.match(group.stderr, /ports allocate/);
	const groupJson = await runCli(['ports', '--json']);
	assert.equal(groupJson.exitCode, 2);
	assert.deepEqual(parseJson<{error: {code: string}}>(groupJson).error.code, 'usage', 'under --json, stdout holds the one JSON error');
});

test('bad model names and app numbers are refused with exit 2 and nothing is written', async () => {
	const dir = await tempDir();
	const store = path.join(dir, 'ports.json');
	const cases: [string, RegExp][] = [
		['../etc/app1', /path separator|invalid model id/],
		['/abs/app1', /invalid/],
		['Model/app1', /lowercase/],
		['m/app0', /positive integer/],
		['m/app-3', /positive integer/],
		['m/web1', /app<N>/],
		[`${'x'.repeat(129)}/app1`, /at most 128/],
	];
	for (const [ref, message] of cases) {
		const result = await runCli(['ports', 'allocate', ref, '--store', store]);
		assert.equal(result.exitCode, 2, ref);
		assert.match(result.stderr, message, ref);
	}
	await assert.rejects(readFile(store), /ENOENT/);
});

test('--json puts exactly one JSON document on stdout, errors included', async () => {
	const dir = await tempDir();
	const ok = await runCli(['ports', 'list', '--json', '--store', path.join(dir, 'p.json')]);
	assert.equal(ok.exitCode, 0);
	assert.deepEqual(parseJson(ok), {store: path.join(dir, 'p.json'), allocations: []});
	const failed = await runCli(['ports', 'allocate', 'BAD/app1', '--json', '--store', path.join(dir, 'p.json')]);
	assert.equal(failed.exitCode, 2);
	assert.equal(parseJson<{error: {code: string}}>(failed).error.code, 'bad-model');
});

test('colour only when wanted: NO_COLOR and --no-color win over FORCE_COLOR, and keep bold and dim', async () => {
	const dir = await tempDir();
	const args = ['doctor', '--store', path.join(dir, 'p.json'), '--root', dir];
	// The output is a pipe here: FORCE_COLOR stands in for a terminal, so the other two have colour to remove.
	const colour = /\u001B\[(3[0-7]|9[0-7])m/;
	const forced = await runCli(args, {env: {NO_COLOR: '', FORCE_COLOR: '1'}});
	assert.match(forced.stdout, colour);
	const noColor = await runCli(args, {env: {NO_COLOR: '1', FORCE_COLOR: '1'}});
	assert.doesNotMatch(noColor.stdout + noColor.stderr, colour);
	const flag = await runCli([...args, '--no-color'], {env: {NO_COLOR: '', FORCE_COLOR: '1'}});
	assert.equal(flag.stdout, noColor.stdout, '--no-color and NO_COLOR=1 show the same');
	const unstyled = (text: string) => text.replace(/\u001B\[\d+m/g, '');
	assert.equal(unstyled(noColor.stdout), unstyled(forced.stdout), 'the same text, without the escapes');
	const piped = await runCli(args, {env: {NO_COLOR: '1'}});
	assert.doesNotMatch(piped.stdout + piped.stderr, /\u001B\[/, 'into a pipe, nothing but text');
	// Bold is an attribute, not a colour: NO_COLOR and --no-color keep it, as the terminal UI does (core/color.ts).
	await mkdir(path.join(dir, 'apps', 'model-a', 'app1'), {recursive: true});
	const ls = ['ls', '--root', path.join(dir, 'apps'), '--store', path.join(dir, 'p.json')];
	for (const listed of [await runCli(ls, {env: {NO_COLOR: '1', FORCE_COLOR: '1'}}), await runCli([...ls, '--no-color'], {env: {FORCE_COLOR: '1'}})]) {
		assert.equal(listed.exitCode, 0, listed.stderr);
		assert.match(listed.stdout, /\u001B\[1mmodel-a\u001B\[22m/);
	}
});

test('the terminal UI path checks its options like a command: a missing value or an unknown option is a usage error (exit 2)', async () => {
	const missing = await runCli(['--root']);
	assert.equal(missing.exitCode, 2, missing.stderr);
	assert.match(missing.stderr, /error: Option '--root <value>' argument missing\. Usage: berth \[--root DIR\]/);
	const unknown = await runCli(['--bogus']);
	assert.equal(unknown.exitCode, 2, unknown.stderr);
	assert.match(unknown.stderr, /error: Unknown option '--bogus'/);
});

test('BERTH_DEBUG shows the stack of a command error, as --debug does (and as the terminal UI does)', async () => {
	const dir = await tempDir();
	const args = ['ports', 'allocate', 'BAD/app1', '--store', path.join(dir, 'p.json')];
	const plain = await runCli(args);
	assert.equal(plain.exitCode, 2);
	assert.doesNotMatch(plain.stderr, /\n {4}at /);
	for (const debug of [await runCli(args, {env: {BERTH_DEBUG: '1'}}), await runCli([...args, '--debug'])]) {
		assert.equal(debug.exitCode, 2);
		assert.match(debug.stderr, /\n {4}at /);
	}
});
