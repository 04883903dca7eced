import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {ROOT} from '../helpers/runtime.ts';

/** Packages whose I/O belongs in source/core: the UI reaches them only through the services context. */
const FORBIDDEN = /^(execa|docker-compose|lowdb(\/.*)?|eta|proper-lockfile|(node:)?(fs|fs\/promises|child_process|net))$/;

async function files(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {withFileTypes: true});
	const nested = await Promise.all(entries.map(e => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)])));
	return nested.flat().filter(f => /\.tsx?$/.test(f));
}

test('the UI layer imports no I/O package: execa, docker-compose, lowdb, eta, node:fs, node:child_process', async () => {
	const sources = await files(path.join(ROOT, 'source', 'ui'));
	assert.ok(sources.length > 10, 'the UI sources were found');
	const offences: string[] = [];
	for (const file of sources) {
		const text = await readFile(file, 'utf8');
		for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
			if (FORBIDDEN.test(match[1]!)) offences.push(`${path.relative(ROOT, file)} imports ${match[1]}`);
		}
	}
	assert.deepEqual(offences, []);
});
