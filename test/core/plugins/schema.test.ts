import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {ROOT} from '../../helpers/runtime.ts';
import {manifestJsonSchema} from '../../../source/core/plugins/manifest.ts';

const SCHEMA_FILE = path.join(ROOT, 'schema', 'plugin.schema.json');

test('schema/plugin.schema.json is the JSON Schema generated from the zod manifest schema', async () => {
	const generated = JSON.stringify(manifestJsonSchema(), null, '\t') + '\n';
	if (process.env['BERTH_UPDATE_SCHEMA'] === '1') await writeFile(SCHEMA_FILE, generated);
	const committed = await readFile(SCHEMA_FILE, 'utf8');
	assert.equal(
		committed,
		generated,
		'schema/plugin.schema.json is stale: regenerate it with BERTH_UPDATE_SCHEMA=1 npx tsx --test test/core/plugins/schema.test.ts',
	);
	const schema = JSON.parse(committed) as {required: string[]; properties: Record<string, unknown>};
	for (const field of ['schemaVersion', 'id', 'name', 'description', 'version', 'berth']) assert.ok(schema.required.includes(field), `${field} is required`);
	for (const field of ['ports', 'variables', 'files']) assert.ok(field in schema.properties, `${field} is documented`);
});
