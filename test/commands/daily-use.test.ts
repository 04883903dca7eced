import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdir, readFile, symlink} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {DENO_PERMISSIONS, isDeno, ROOT} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';
import {readmeDenoInstall} from '../helpers/daily-use.ts';

// Issue 12, item 5: the README says how to get a plain `berth` on PATH without npx (npm link; deno
// install). These install it the README's way into a temp folder and run it, and keep the README's
// deno install line granting what `deno task berth` grants (deno.json holds the one list).

const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};

test("the README's deno install grants exactly deno task berth's permissions and V8 flags", () => {
	const words = readmeDenoInstall();
	const {tasks} = JSON.parse(readFileSync(path.join(ROOT, 'deno.json'), 'utf8')) as {tasks: Record<string, string>};
	const flags = (text: string[]) => text.filter(w => /^--(allow|deny)-|^--no-prompt$|^--v8-flags=/.test(w)).sort();
	assert.deepEqual(flags(words), flags(tasks['berth']!.split(/\s+/)));
	assert.deepEqual(
		flags(words).filter(w => !w.startsWith('--v8-flags')),
		[...DENO_PERMISSIONS].sort(),
	);
	assert.equal(words.at(-1), 'source/cli.tsx');
});

test('berth installed as the README says answers --version and ps --json', async () => {
	const dir = await tempDir('berth-daily-');
	let berth: string;
	if (isDeno) {
		// The README's line, into a temp root instead of ~/.deno.
		const words = readmeDenoInstall();
		const install = await execa(Deno.execPath(), [...words.slice(1, -1), '--root', dir, words.at(-1)!], {cwd: ROOT, reject: false, stdin: 'ignore'});
		assert.equal(install.exitCode, 0, String(install.stderr));
		berth = path.join(dir, 'bin', 'berth');
	} else {
		// What `npm link` makes: a link to bin/berth.js in npm's global bin, run through its shebang.
		await mkdir(path.join(dir, 'bin'));
		berth = path.join(dir, 'bin', 'berth');
		await symlink(path.join(ROOT, 'bin', 'berth.js'), berth);
	}
	const env = {NO_COLOR: '1', PATH: `${path.dirname(isDeno ? Deno.execPath() : process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`};
	const version = await execa(berth, ['--version'], {cwd: dir, env, reject: false, stdin: 'ignore'});
	assert.equal(version.exitCode, 0, String(version.stderr));
	assert.equal(String(version.stdout), `berth ${pkg.version}`);
	const ps = await execa(berth, ['ps', '--json', '--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json')], {
		cwd: dir,
		env,
		reject: false,
		stdin: 'ignore',
	});
	assert.equal(ps.exitCode, 0, String(ps.stderr));
	assert.deepEqual((JSON.parse(String(ps.stdout)) as {apps: unknown[]}).apps, []);
});

test('the Node berth run as a script starts Node once with the V8 flags, the same flags everywhere', {
	skip: isDeno ? 'bin/berth.js is the Node entry' : false,
}, async () => {
	const launcher = readFileSync(path.join(ROOT, 'bin', 'berth.js'), 'utf8');
	const v8 = (text: string) => [...text.matchAll(/--(heap-growing-percent|max-semi-space-size)=\d+/g)].map(m => m[0]);
	const shLine = launcher.split('\n')[1]!;
	// Node starts with the young generation's size; the old generation's growth is set once the TUI
	// is drawn (source/ui/run-tui.ts): given at start it makes Node compile its built-ins afresh.
	const expected = ['--max-semi-space-size=4'];
	assert.deepEqual(v8(shLine), expected, `bin/berth.js's sh line: ${shLine}`);
	assert.deepEqual(v8(/const TUI_FLAGS = \[.*\]/.exec(launcher)![0]), expected, 'TUI_FLAGS');
	const pkgJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {scripts: Record<string, string>};
	assert.deepEqual(v8(pkgJson.scripts['start']!), expected, 'npm start');
	const runTui = readFileSync(path.join(ROOT, 'source', 'ui', 'run-tui.ts'), 'utf8');
	const growth = v8(/setFlagsFromString\('([^']*)'\)/.exec(runTui)![1]!);
	assert.equal(growth.length, 1, 'run-tui.ts sets the heap growth');
	// Deno takes both at start (deno.json, the README's deno install).
	assert.deepEqual(v8(readmeDenoInstall().join(' ')).sort(), [...growth, ...expected].sort(), "the README's deno install");
	// What `npm link` makes, run under a POSIX sh: the Node it starts already has the flags (no execve).
	const dir = await tempDir('berth-launcher-');
	const berth = path.join(dir, 'berth');
	await symlink(path.join(ROOT, 'bin', 'berth.js'), berth);
	const printArgs = `data:text/javascript,${encodeURIComponent('process.stderr.write("EXECARGV " + JSON.stringify(process.execArgv) + "\\n")')}`;
	const env = {NO_COLOR: '1', NODE_OPTIONS: `--import=${printArgs}`, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`};
	const execArgv = async (args: string[]) => {
		const result = await execa(berth, args, {cwd: dir, env, reject: false, stdin: 'ignore'});
		const lines = String(result.stderr)
			.split('\n')
			.filter(line => line.startsWith('EXECARGV '));
		assert.equal(lines.length, 1, `one Node started: ${result.stderr}`);
		return {result, flags: v8(lines[0]!)};
	};
	// The TUI (no command; without a terminal it refuses, after starting).
	const tui = await execArgv(['--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json')]);
	assert.match(String(tui.result.stderr), /interactive terminal/);
	assert.deepEqual(tui.flags, expected);
	// --version answers before anything loads: without the flags (they cost it ~20 ms of CPU).
	const version = await execArgv(['--version']);
	assert.equal(String(version.result.stdout), `berth ${pkg.version}`);
	assert.deepEqual(version.flags, []);
});

test('the Node berth run as a script runs a command without the heap-growing flag (Node then compiles its own modules afresh)', {
	skip: isDeno ? 'bin/berth.js is the Node entry' : false,
}, async () => {
	// A V8 flag that changes the flag hash makes V8 refuse Node's embedded code cache for the built-in
	// modules a command loads lazily (streams, net, fs/promises): ~18 ms of CPU on a warm ls of 200 apps.
	const dir = await tempDir('berth-launcher-');
	const berth = path.join(dir, 'berth');
	await symlink(path.join(ROOT, 'bin', 'berth.js'), berth);
	const printArgs = `data:text/javascript,${encodeURIComponent('process.stderr.write("EXECARGV " + JSON.stringify(process.execArgv) + "\\n")')}`;
	const env = {NO_COLOR: '1', NODE_OPTIONS: `--import=${printArgs}`, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`};
	const args = ['ls', '--json', '--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json')];
	const result = await execa(berth, args, {cwd: dir, env, reject: false, stdin: 'ignore'});
	assert.equal(result.exitCode, 0, String(result.stderr));
	assert.deepEqual((JSON.parse(String(result.stdout)) as {models: unknown[]}).models, []);
	const lines = String(result.stderr)
		.split('\n')
		.filter(line => line.startsWith('EXECARGV '));
	assert.equal(lines.length, 1, `one Node started: ${result.stderr}`);
	assert.doesNotMatch(lines[0]!, /heap-growing-percent/);
});

declare const Deno: {execPath(): string};
