import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

test('berth without a terminal says the UI needs one and exits 1 (no stack trace, no escape codes)', async () => {
	const dir = await tempDir();
	const result = await runCli(['--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json')]);
	assert.equal(result.exitCode, 1);
	assert.match(result.stderr, /the terminal UI needs an interactive terminal \(stdin and stdout a TTY\); for scripts use the subcommands/);
	assert.equal(result.stdout, '', 'nothing (not even the alternate-screen switch) reaches stdout');
});
