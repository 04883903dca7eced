// The Node entry (bin/berth.js) and the TUI's bundle (scripts/bundle.mjs, built by npm run build):
// which files a command loads. Node only: Deno runs source/cli.tsx (deno.json).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {isDeno, ROOT} from '../helpers/runtime.ts';

const skip = isDeno ? 'bin/berth.js is the Node entry (Deno runs source/cli.tsx)' : false;

// Prints every module file Node loads, at exit, to stderr (a resolve hook, before berth runs).
const RECORD = `data:text/javascript,${encodeURIComponent(`
import module from 'node:module';
const loaded = [];
module.registerHooks({resolve(specifier, context, next) { const r = next(specifier, context); loaded.push(r.url); return r; }});
process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(loaded) + '\\n'));
`)}`;

async function loadedBy(args: string[]): Promise<{exitCode: number | undefined; stdout: string; stderr: string; loaded: string[]}> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-startup-'));
	try {
		const result = await execa(
			'node',
			['--import', RECORD, path.join(ROOT, 'bin', 'berth.js'), ...args, '--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json')],
			{
				reject: false,
				env: {NO_COLOR: '1'},
			},
		);
		const line = String(result.stderr)
			.split('\n')
			.find(l => l.startsWith('LOADED '));
		return {
			exitCode: result.exitCode,
			stdout: String(result.stdout),
			stderr: String(result.stderr),
			loaded: line ? (JSON.parse(line.slice(7)) as string[]) : [],
		};
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}

test('subcommands never load Ink, React or the TUI bundle', {skip}, async () => {
	const {exitCode, stdout, loaded} = await loadedBy(['ls', '--json']);
	assert.equal(exitCode, 0);
	assert.ok(JSON.parse(stdout), 'ls printed its JSON document');
	assert.ok(
		loaded.some(url => url.endsWith('/dist/cmd/cli.cjs')),
		`ls ran the commands' bundle: ${loaded.filter(u => u.includes('/dist/')).join(', ')}`,
	);
	assert.deepEqual(
		loaded.filter(url => /\/node_modules\/(ink|react|react-reconciler|yoga-layout)\/|\/dist\/tui\//.test(url)),
		[],
	);
});

test('without a terminal the TUI, run from its bundle, refuses with its message', {skip}, async () => {
	const {exitCode, stderr, loaded} = await loadedBy([]);
	assert.equal(exitCode, 1);
	assert.match(stderr, /the terminal UI needs an interactive terminal/);
	// npm run build makes the bundle: the TUI runs it, not tsc's many modules.
	assert.ok(
		loaded.some(url => url.endsWith('/dist/tui/cli.js')),
		`the bundle was loaded: ${loaded.filter(u => u.includes('/dist/')).join(', ')}`,
	);
	assert.ok(!loaded.some(url => url.endsWith('/dist/cli.js')), 'not the unbundled CLI');
});

test("the TUI's bundle holds React's production build only: its development build is never read", {skip}, async () => {
	const {readdir, readFile} = await import('node:fs/promises');
	const dir = path.join(ROOT, 'dist', 'tui');
	const files = (await readdir(dir)).filter(name => name.endsWith('.js'));
	const texts = await Promise.all(files.map(name => readFile(path.join(dir, name), 'utf8')));
	const all = texts.join('\n');
	assert.match(all, /node_modules\/react-reconciler\/cjs\/react-reconciler\.production\.js/);
	assert.doesNotMatch(all, /node_modules\/(react|react-reconciler|scheduler)\/cjs\/[\w.-]+\.development\.js/);
});
