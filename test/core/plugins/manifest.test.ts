import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseManifest, PluginError} from '../../../source/core/plugins/manifest.ts';
import {satisfies} from '../../../source/core/plugins/version-range.ts';
import {globMatch} from '../../../source/core/plugins/glob.ts';

const valid = {
	schemaVersion: 1,
	id: 'demo',
	name: 'Demo',
	description: 'A demo',
	version: '1.0.0',
	berth: '>=0.1.0',
	ports: [{slot: 'backend', base: 5001, container: 5000}],
	variables: [
		{name: 'title', default: 'x'},
		{name: 'dbPassword', secret: true, env: 'DB_PASSWORD'},
		{name: 'publish', type: 'boolean', default: false},
	],
	files: [{match: 'db/**', when: 'publish', mode: '0755'}],
};

function problems(manifest: unknown): string[] {
	try {
		parseManifest(JSON.stringify(manifest), '/p/berth-plugin.json');
	} catch (error) {
		assert.ok(error instanceof PluginError);
		assert.ok(error.message.startsWith('/p/berth-plugin.json: '), error.message);
		return error.problems.map(p => `${p.path}: ${p.message}`);
	}
	return [];
}

test('a valid manifest parses, with defaults filled in (step 2, type string)', () => {
	const manifest = parseManifest(JSON.stringify(valid), 'x.json');
	assert.equal(manifest.ports[0]!.step, 2);
	assert.equal(manifest.variables[0]!.type, 'string');
	assert.deepEqual(problems(valid), []);
});

test('errors name the field path', () => {
	const bad = {...valid, ports: [{slot: 'Backend', base: 80, container: '5000'}]};
	const found = problems(bad);
	assert.ok(
		found.some(p => p.startsWith('ports[0].slot: ')),
		found.join('\n'),
	);
	assert.ok(
		found.some(p => p.startsWith('ports[0].base: ')),
		found.join('\n'),
	);
	assert.ok(
		found.some(p => p.startsWith('ports[0].container: ')),
		found.join('\n'),
	);
});

test('missing fields and unknown keys are reported', () => {
	const {name: _name, ...withoutName} = valid;
	assert.deepEqual(problems(withoutName), ['name: is missing (expected a string)']);
	const found = problems({...valid, colour: 'red'});
	assert.equal(found.length, 1);
	assert.match(found[0]!, /colour/);
});

test('cross-field rules: secrets need env and no default, when names a boolean, env names are unique', () => {
	const found = problems({
		...valid,
		variables: [
			{name: 'pw', secret: true, default: 'x'},
			{name: 'title', env: 'BACKEND_PORT'},
			{name: 'title', default: 'y', pattern: '[a-z]+'},
			{name: 'n', type: 'number', default: 'three'},
		],
		files: [{match: '*', when: 'title'}],
	});
	assert.ok(found.includes('variables[0].env: a secret needs "env": it lives only in .env, under that name'), found.join('\n'));
	assert.ok(found.includes('variables[0].default: a secret has no default: berth generates one per app'), found.join('\n'));
	assert.ok(
		found.some(p => p.startsWith('variables[1].env: BACKEND_PORT is already used by port slot "backend"')),
		found.join('\n'),
	);
	assert.ok(found.includes('variables[2].name: variable "title" is declared twice'), found.join('\n'));
	assert.ok(found.includes('variables[2].default: "y" does not match the pattern [a-z]+') === false, 'a matching default is fine');
	assert.ok(found.includes('variables[3].default: expected a number, got "three"'), found.join('\n'));
	assert.ok(found.includes('files[0].when: "title" must be a boolean variable'), found.join('\n'));
});

test('invalid JSON names the file', () => {
	assert.throws(() => parseManifest('{"id": ', '/x/berth-plugin.json'), /\/x\/berth-plugin\.json: not valid JSON/);
});

test('version ranges', () => {
	assert.ok(satisfies('0.1.0', '>=0.1.0'));
	assert.ok(satisfies('0.4.2', '>=0.1.0 <1'));
	assert.ok(!satisfies('1.0.0', '>=0.1.0 <1'));
	assert.ok(satisfies('0.1.9', '^0.1.0'));
	assert.ok(!satisfies('0.2.0', '^0.1.0'));
	assert.ok(satisfies('1.9.0', '^1.2.0'));
	assert.ok(!satisfies('2.0.0', '^1.2.0'));
	assert.ok(satisfies('1.2.7', '~1.2'));
	assert.ok(!satisfies('1.3.0', '~1.2.0'));
	assert.ok(satisfies('1.4.0', '1'));
});

test('glob rules', () => {
	assert.ok(globMatch('.dockerignore', 'backend/.dockerignore'));
	assert.ok(globMatch('db/**', 'db/postgres/init/01.sql'));
	assert.ok(!globMatch('db/**', 'api/db/x'));
	assert.ok(globMatch('**/Dockerfile', 'Dockerfile'));
	assert.ok(globMatch('backend/*.py', 'backend/app.py'));
	assert.ok(!globMatch('backend/*.py', 'backend/sub/app.py'));
	assert.ok(globMatch('file?.txt', 'file1.txt'));
	// As a backtracking RegExp this rule took 36 s on a 60-character name; the matcher is linear.
	const started = Date.now();
	assert.ok(!globMatch('*a*a*a*a*a*a*a*ab', 'a'.repeat(60)));
	assert.ok(globMatch('*a*a*a*a*a*a*a*ab', `${'a'.repeat(60)}b`));
	assert.ok(Date.now() - started < 5000, 'a file rule backtracked');
});
