/**
 * Plugin manifests, fuzzed (issue 8, deliver 6): random text, random JSON and mutations of a valid
 * manifest give either a valid plugin or a PluginError naming the file and the field, never another
 * exception and never a hang. Bounded: well under 3 s in all.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import {tempDir} from '../../helpers/temp.ts';
import {parseManifest, PluginError} from '../../../source/core/plugins/manifest.ts';
import {readPlugin} from '../../../source/core/plugins/registry.ts';

const FILE = '/plugins/p/berth-plugin.json';

const VALID = {
	$schema: '../schema/plugin.schema.json',
	schemaVersion: 1,
	id: 'fuzzed',
	name: 'Fuzzed',
	description: 'A manifest to mutate',
	version: '1.0.0',
	berth: '>=0.1.0 <2',
	ports: [
		{slot: 'backend', base: 5001, step: 2, container: 8080, env: 'API_PORT', description: 'api'},
		{slot: 'frontend', base: 8001, container: 80},
	],
	variables: [
		{name: 'title', type: 'string', default: 'Shop', pattern: '[A-Za-z ]+', description: 'Title'},
		{name: 'mode', choices: ['dev', 'prod'], default: 'dev'},
		{name: 'workers', type: 'number', default: 2},
		{name: 'debug', type: 'boolean', default: false, env: 'DEBUG'},
		{name: 'dbPassword', secret: true, env: 'DB_PASSWORD', length: 24},
	],
	files: [{match: 'db/**', when: 'debug', mode: '0755', backfill: true, placeholders: true}],
};

/** What parsing `text` gave: the manifest, or the PluginError (any other exception fails the test). */
function outcome(text: string): {ok: true} | {ok: false; error: PluginError} {
	const started = performance.now();
	try {
		parseManifest(text, FILE);
		return {ok: true};
	} catch (error) {
		if (!(error instanceof PluginError)) throw new Error(`parseManifest threw ${String(error)} for ${JSON.stringify(text).slice(0, 300)}`, {cause: error});
		return {ok: false, error};
	} finally {
		const elapsed = performance.now() - started;
		assert.ok(elapsed < 500, `parsing took ${elapsed.toFixed(0)} ms: ${JSON.stringify(text).slice(0, 300)}`);
	}
}

/** An error names the file, and each problem a field ("ports[0].base"), or says why the whole document is wrong. */
function assertNamed(error: PluginError, text: string): void {
	assert.equal(error.file, FILE);
	assert.ok(error.message.startsWith(`${FILE}: `), error.message);
	assert.ok(error.problems.length > 0);
	for (const problem of error.problems) {
		assert.ok(problem.message.trim() !== '', `empty message for ${text.slice(0, 200)}`);
		if (problem.path === '') assert.match(problem.message, /not valid JSON|expected object|Unrecognized key|"/, `no field named: ${problem.message}`);
		else assert.match(problem.path, /^[$A-Za-z_][\w$]*(\.[^.[\]]+|\[\d+\])*$/, `odd field path ${problem.path}`);
	}
}

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

/** Paths to every value of `value` (objects and arrays included). */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
	const here = [at];
	if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => paths(item, [...at, i]))];
	if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...at, key]))];
	return here;
}

/** `value` with the value at `at` replaced by `replacement` (undefined: removed). */
function mutate(value: Json, at: (string | number)[], replacement: Json | undefined): Json | undefined {
	if (at.length === 0) return replacement;
	const [head, ...rest] = at;
	if (Array.isArray(value)) {
		const copy = [...value];
		const next = mutate(copy[head as number]!, rest, replacement);
		if (next === undefined) copy.splice(head as number, 1);
		else copy[head as number] = next;
		return copy;
	}
	const copy = {...(value as Record<string, Json>)};
	const next = mutate(copy[head as string]!, rest, replacement);
	if (next === undefined) delete copy[head as string];
	else copy[head as string] = next;
	return copy;
}

const ALL_PATHS = paths(VALID as unknown as Json).filter(at => at.length > 0);
/** Values a manifest field may meet: well-formed ones of other fields, edge numbers, odd strings, any JSON. */
const replacement = fc.oneof(
	fc.constantFrom<Json>(
		null,
		true,
		false,
		0,
		-1,
		1.5,
		1023,
		1024,
		65535,
		65536,
		1e308,
		'',
		' ',
		'0755',
		'999',
		'>=0.1.0',
		'x'.repeat(600),
		'BACKEND_PORT',
		'COMPOSE_PROJECT_NAME',
		'title',
		'debug',
		'(a+)+$',
		'[',
		'__proto__',
		[],
		{},
		[{}],
	),
	fc.jsonValue({maxDepth: 3}) as fc.Arbitrary<Json>,
	fc.string({unit: 'binary', maxLength: 40}),
);

test('mutations of a valid manifest: a valid plugin or an error naming the file and the field', () => {
	assert.equal(outcome(JSON.stringify(VALID)).ok, true);
	// Found by this test: a pattern that is no regular expression, with a default to check, threw a SyntaxError.
	const badPattern = outcome(JSON.stringify(mutate(VALID as unknown as Json, ['variables', 0, 'pattern'], '{')));
	assert.ok(
		!badPattern.ok &&
			badPattern.error.problems.some(
				p => p.path === 'variables[0].pattern' && /^the pattern of "title" is not a valid regular expression \(.+\)$/.test(p.message),
			),
	);
	let failures = 0;
	fc.assert(
		fc.property(
			fc.constantFrom(...ALL_PATHS),
			fc.option(replacement, {freq: 5}),
			fc.option(fc.tuple(fc.string({maxLength: 12}), replacement)),
			(at, value, extra) => {
				let manifest = mutate(VALID as unknown as Json, at, value ?? undefined) as Record<string, Json>;
				if (extra) manifest = {...manifest, [extra[0]]: extra[1]};
				const text = JSON.stringify(manifest);
				const result = outcome(text);
				if (result.ok) return;
				failures++;
				assertNamed(result.error, text);
			},
		),
		{numRuns: 3000, interruptAfterTimeLimit: 1200},
	);
	assert.ok(failures > 100, `only ${failures} mutations were refused: is the fuzzer mutating?`);
});

test('random text, JSON and YAML-ish manifests: an error naming the file, never another exception', () => {
	const yamlish = fc
		.array(fc.tuple(fc.constantFrom('id', 'name', 'ports', '- slot', 'schemaVersion', 'berth'), fc.string({maxLength: 12})), {maxLength: 6})
		.map(lines => lines.map(([key, value]) => `${key}: ${value}`).join('\n'));
	fc.assert(
		fc.property(
			fc.oneof(
				fc.string({unit: 'binary', maxLength: 200}),
				fc.json({maxDepth: 4}),
				yamlish,
				fc.jsonValue().map(value => JSON.stringify({...VALID, ports: value})),
			),
			text => {
				const result = outcome(text);
				if (!result.ok) assertNamed(result.error, text);
			},
		),
		{numRuns: 2000, interruptAfterTimeLimit: 800},
	);
	// Deep nesting: the JSON parser's own limit becomes an error too.
	for (const text of ['['.repeat(200_000), `{"ports": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'null', '"x"', '[]', '\uFEFF{}']) {
		const result = outcome(text);
		assert.equal(result.ok, false);
		if (!result.ok) assertNamed(result.error, text.slice(0, 50));
	}
});

test('readPlugin on fuzzed manifests on disk: a plugin or an error naming the file, never a throw', async () => {
	const dir = await tempDir();
	const pluginDir = path.join(dir, 'p');
	await mkdir(path.join(pluginDir, 'files'), {recursive: true});
	const manifestFile = path.join(pluginDir, 'berth-plugin.json');
	await fc.assert(
		fc.asyncProperty(fc.constantFrom(...ALL_PATHS), replacement, async (at, value) => {
			await writeFile(manifestFile, JSON.stringify(mutate(VALID as unknown as Json, at, value)));
			const info = await readPlugin(pluginDir, 'flag');
			if (info.plugin) assert.equal(info.error, null);
			else assert.ok(info.error?.startsWith(`${manifestFile}: `), String(info.error));
		}),
		{numRuns: 150, interruptAfterTimeLimit: 800},
	);
});
