import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {readBounded, readBoundedSync} from '../../source/core/read-bounded.ts';
import {runtimeCommand} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

/** What each reader makes of `file`: its text, or `refused: <reason>`. */
async function both(file: string, maxBytes: number): Promise<[string, string]> {
	const answer = (read: () => string | Promise<string>) =>
		Promise.resolve()
			.then(read)
			.catch((error: Error) => `refused: ${error.message}`);
	return [await answer(() => readBounded(file, maxBytes)), await answer(() => readBoundedSync(file, maxBytes))];
}

test('readBounded and readBoundedSync read a regular file whole', async () => {
	const file = path.join(await tempDir(), '.env');
	const text = 'HTTP_PORT=8080\nNAME=\u00e9t\u00e9\n'.repeat(500);
	await writeFile(file, text);
	assert.deepEqual(await both(file, 1024 * 1024), [text, text]);
	assert.deepEqual(await both(path.join(path.dirname(file), 'empty'), 10).then(r => r.map(s => s.includes('ENOENT'))), [true, true]);
});

test('a file over the limit and a folder are refused by both, with the reason', async () => {
	const dir = await tempDir();
	await writeFile(path.join(dir, 'big.yml'), 'x'.repeat(3000));
	await mkdir(path.join(dir, 'compose.yaml'));
	for (const answer of await both(path.join(dir, 'big.yml'), 2048)) assert.equal(answer, 'refused: it is 3 KiB, more than berth reads (2 KiB)');
	for (const answer of await both(path.join(dir, 'compose.yaml'), 2048)) assert.equal(answer, 'refused: it is not a regular file');
});

test('readBoundedSync refuses a FIFO at once: a blocking open would freeze the whole process', {timeout: 60_000}, async () => {
	const fifo = path.join(await tempDir(), '.env');
	assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
	// In a child: were it to wait for a writer, no timer of this process could fire to end the test.
	const [command, prefix] = runtimeCommand('test/fixtures/read-bounded-sync.ts');
	const run = await execa(command, [...prefix, fifo], {reject: false, timeout: 30_000});
	assert.equal(run.timedOut, false, 'readBoundedSync waited on a FIFO');
	assert.equal(run.stdout, 'refused: it is not a regular file');
});
