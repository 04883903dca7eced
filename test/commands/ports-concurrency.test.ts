import assert from 'node:assert/strict';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import type {StoreDocument} from '../../source/core/ports/allocator.ts';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

interface Allocated {
	app: string;
	ports: Record<string, number>;
}

/**
 * 32 `berth` processes at once on one store (the red team's case: under load, without any signal, 2
 * reported allocations were lost, 4 releases undone, and one process failed renaming the shared temp
 * file). Every process allocates its app; then half of them release theirs while others allocate more.
 */
test('32 concurrent berth processes: every reported allocation and release holds, no port twice, no temp file left', {timeout: 300_000}, async () => {
	const dir = await tempDir();
	const store = path.join(dir, 'ports.json');
	const slot = ['--slot', 'web=46001:1'];
	const first = await Promise.all(Array.from({length: 32}, (_, i) => runCli(['ports', 'allocate', `m${i}/app1`, ...slot, '--json', '--store', store])));
	for (const r of first) assert.equal(r.exitCode, 0, r.stderr);
	const told = new Map(first.map(r => parseJson<Allocated>(r)).map(a => [a.app, a.ports] as const));
	const second = await Promise.all(
		Array.from({length: 32}, (_, i) =>
			i % 2 === 0
				? runCli(['ports', 'release', `m${i}/app1`, '--json', '--store', store])
				: runCli(['ports', 'allocate', `m${i}/app2`, ...slot, '--json', '--store', store]),
		),
	);
	second.forEach((r, i) => {
		assert.equal(r.exitCode, 0, r.stderr);
		if (i % 2 === 0) told.delete(`m${i}/app1`);
		else {
			const a = parseJson<Allocated>(r);
			told.set(a.app, a.ports);
		}
	});
	const doc = JSON.parse(await readFile(store, 'utf8')) as StoreDocument;
	const stored = new Map<string, Record<string, number>>(doc.allocations.map(a => [`${a.model}/app${a.app}`, a.ports]));
	assert.deepEqual([...stored.keys()].sort(), [...told.keys()].sort(), 'the store holds exactly what the processes were told');
	for (const [app, ports] of told) assert.deepEqual(stored.get(app), ports, app);
	const ports = doc.allocations.map(a => a.ports['web']);
	assert.equal(new Set(ports).size, ports.length, 'a port is given twice');
	assert.deepEqual(await readdir(dir), ['ports.json']);
});
