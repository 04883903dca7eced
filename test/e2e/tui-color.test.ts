/**
 * The terminal UI's colour in a real terminal (tmux, read with `capture-pane -e`, which keeps the
 * styling): NO_COLOR=1 and --no-color show the same (bold, no colour), an empty NO_COLOR counts for
 * nothing (no-color.org). Before, --no-color took bold away and NO_COLOR=1 kept it, and an empty
 * NO_COLOR turned colour off here but not on the command line.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {execa} from 'execa';
import {ROOT, runtimeCommand, runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

const noTmux = (await execa('tmux', ['-V'], {reject: false})).failed ? 'tmux is not installed' : undefined;
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

const COLOUR = /\u001B\[(3[0-7]|9[0-7]|38;)/;
const BOLD = /\u001B\[(1|1;[\d;]*)m/;

const CASES = [
	{what: 'no setting', env: [], flags: [], colour: true},
	{what: 'an empty NO_COLOR', env: ['NO_COLOR='], flags: [], colour: true},
	{what: 'NO_COLOR=1', env: ['NO_COLOR=1'], flags: [], colour: false},
	{what: '--no-color', env: [], flags: ['--no-color'], colour: false},
];

test(`the terminal UI in a real terminal (${runtimeName}): NO_COLOR=1 and --no-color keep bold and drop colour, an empty NO_COLOR is ignored`, {
	skip: noTmux,
	timeout: 120_000,
}, async () => {
	const dir = await tempDir('berth-e2e-');
	const socket = `berth-test-${process.pid}-color`;
	const tmux = (...args: string[]) => execa('tmux', ['-L', socket, ...args], {reject: false});
	after(() => tmux('kill-server'));
	const [file, prefix] = runtimeCommand('source/cli.tsx');
	for (const [i, row] of CASES.entries()) {
		const session = `c${i}`;
		// CI=true as under CI, where chalk on its own would style nothing at all.
		const started = await tmux(
			'new-session',
			'-d',
			'-s',
			session,
			'-x',
			'100',
			'-y',
			'25',
			'env',
			// The test runner's own colour settings (the Deno pass runs with NO_COLOR=1) must not reach the TUI.
			'-u',
			'NO_COLOR',
			'-u',
			'FORCE_COLOR',
			'PS1=$ ',
			'CI=true',
			...row.env,
			'bash',
			'--norc',
			'--noprofile',
		);
		assert.equal(started.exitCode, 0, String(started.stderr));
		const command = [file, ...prefix, '--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json'), ...row.flags].map(quote).join(' ');
		await tmux('send-keys', '-t', session, '-l', `cd ${quote(ROOT)} && ${command}`);
		await tmux('send-keys', '-t', session, 'Enter');
		let screen = '';
		const until = Date.now() + 30_000;
		while (Date.now() < until && !/Models 0/.test(screen)) {
			await new Promise(resolve => setTimeout(resolve, 200));
			screen = String((await tmux('capture-pane', '-p', '-e', '-t', session)).stdout);
		}
		assert.match(screen, /Models 0/, `${row.what}: the first frame`);
		assert.equal(COLOUR.test(screen), row.colour, `${row.what}: colour ${row.colour ? 'expected' : 'unexpected'}`);
		assert.match(screen, BOLD, `${row.what}: bold stays`);
		await tmux('send-keys', '-t', session, 'q');
	}
});
