import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import {parseSetOptions, resolveAnswers, variablePrompt} from '../../../source/core/scaffold/answers.ts';
import {commitPlan, planScaffold, safeRelativePath} from '../../../source/core/scaffold/index.ts';
import {BerthError, UsageError} from '../../../source/core/errors.ts';
import {parseManifest, VariableSchema} from '../../../source/core/plugins/manifest.ts';
import {readPlugin} from '../../../source/core/plugins/registry.ts';
import {tempDir} from '../../helpers/temp.ts';
import {FREE_PROBE, makePlugin} from '../plugins/make-plugin.ts';

const manifest = parseManifest(
	JSON.stringify({
		schemaVersion: 1,
		id: 'demo',
		name: 'Demo',
		description: 'x',
		version: '1.0.0',
		berth: '>=0.1.0',
		variables: [
			{name: 'title', default: 'Hello', env: 'TITLE'},
			{name: 'workers', type: 'number', default: 2, env: 'WORKERS'},
			{name: 'debug', type: 'boolean', default: false},
			{name: 'code', pattern: '[a-z]{3}', default: 'abc'},
			{name: 'password', secret: true, env: 'PASSWORD', pattern: '[A-Za-z0-9]{8,}'},
		],
	}),
	'berth-plugin.json',
);

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

test('a secret that breaks its pattern is refused without its value; a control character is named', () => {
	assert.throws(
		() => resolveAnswers(manifest, {password: 'short!'}),
		(e: unknown) =>
			e instanceof UsageError &&
			/--set password: the value \(a secret, not shown\) does not match the pattern/.test(e.message) &&
			!e.message.includes('short!'),
	);
	assert.throws(() => resolveAnswers(manifest, {password: 'abc\u0000defghij'}), /--set password: the value contains a NUL character/);
	assert.throws(() => resolveAnswers(manifest, {}, {title: 'a\nTITLE=b'}), /title \(from \.berth\.json\): the value contains a line break \(LF\)/);
});

const SET_TEXT = fc.oneof(
	fc.string({maxLength: 30}),
	fc.string({unit: 'binary', maxLength: 30}),
	fc.oneof(fc.string({maxLength: 20}), fc.string({unit: 'binary', maxLength: 20})).map(v => `password=ZQ${v}`),
	fc
		.tuple(
			fc.constantFrom('title', 'workers', 'debug', 'code', 'password', 'nope', ''),
			fc.oneof(
				fc.string({maxLength: 20}),
				fc.string({unit: 'binary', maxLength: 20}),
				fc.constantFrom('s3cret\nBACKEND_PORT=80\nCOMPOSE_PROJECT_NAME=x', 'yes', '0', '1e3', 'NaN', 'Passw0rd1'),
			),
		)
		.map(([k, v]) => `${k}=${v}`),
);

test('fuzz: any --set KEY=VALUE list gives answers or a UsageError, never a crash; accepted values have no control characters and a secret is never echoed (bounded)', () => {
	const started = Date.now();
	let runs = 0;
	fc.assert(
		fc.property(fc.array(SET_TEXT, {maxLength: 5}), items => {
			runs++;
			let resolved;
			try {
				resolved = resolveAnswers(manifest, parseSetOptions(items));
			} catch (error) {
				assert.ok(error instanceof UsageError, `${JSON.stringify(items)}: ${String(error)}`);
				// Secret values carry the marker ZQ. One may show only where another item (a key, or a value
				// that is no secret, both echoed on purpose) holds the same text: "code=ZQ" is named in full.
				const secrets = items.filter(item => item.startsWith('password=ZQ')).map(item => item.slice('password='.length));
				const others = items.filter(item => !item.startsWith('password='));
				for (const secret of secrets) {
					if (others.some(item => item.includes(secret))) continue;
					assert.ok(!error.message.includes(secret), `secret echoed: ${error.message}`);
				}
				return;
			}
			for (const value of [...Object.values(resolved.answers), ...Object.values(resolved.secrets)]) {
				assert.ok(typeof value !== 'string' || !CONTROL.test(value), `accepted ${JSON.stringify(value)}`);
			}
		}),
		{numRuns: 5000, interruptAfterTimeLimit: 1500},
	);
	assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
	console.log(`# --set fuzz: ${runs} inputs in ${Date.now() - started} ms`);
});

const PATHISH = fc
	.array(fc.constantFrom('.', '..', '/', '\\', 'a', '.env', '.berth.json', 'C:', '\u0000', '~', ' '), {maxLength: 8})
	.map(parts => parts.join(''));

test('fuzz: a rendered target path is refused or stays inside the app folder (bounded)', () => {
	const app = path.resolve('/srv/apps/m/app1');
	fc.assert(
		fc.property(fc.oneof(PATHISH, fc.string({maxLength: 20})), rendered => {
			let relative;
			try {
				relative = safeRelativePath(rendered, 'files/x');
			} catch (error) {
				assert.ok(error instanceof BerthError, String(error));
				return;
			}
			const target = path.resolve(app, relative);
			assert.ok(target.startsWith(app + path.sep), `${JSON.stringify(rendered)} -> ${target}`);
		}),
		{numRuns: 5000, interruptAfterTimeLimit: 1500},
	);
});

test('fuzz: --set of a path variable, planned and committed, never writes outside the app folder (bounded)', async () => {
	const dir = await tempDir();
	const pluginDir = await makePlugin(path.join(dir, 'plugins'), 'paths', {variables: [{name: 'dir', default: 'conf'}]}, {'{{dir}}/x.conf': 'x'});
	const plugin = (await readPlugin(pluginDir, 'flag')).plugin!;
	const started = Date.now();
	let n = 0;
	let written = 0;
	await fc.assert(
		fc.asyncProperty(PATHISH, async value => {
			n++;
			const root = path.join(dir, 'runs', String(n), 'apps');
			try {
				const plan = await planScaffold({
					root,
					storeFile: path.join(dir, 'runs', String(n), 'ports.json'),
					app: {model: 'm', number: 1},
					plugin,
					answers: {dir: value},
					probe: FREE_PROBE,
				});
				await commitPlan(plan);
				written++;
			} catch (error) {
				assert.ok(error instanceof BerthError, `${JSON.stringify(value)}: ${String(error)}`);
			}
			const outside = (await readdir(path.join(dir, 'runs', String(n)), {recursive: true}).catch(() => [])).filter(
				entry => !/^(apps|ports\.json)(\/|$)/.test(entry) && entry !== 'apps/m' && !entry.startsWith('apps/m/app1'),
			);
			assert.deepEqual(outside, [], `${JSON.stringify(value)}`);
		}),
		{numRuns: 150, interruptAfterTimeLimit: 1500},
	);
	console.log(`# path variable fuzz: ${n} scaffolds (${written} written) in ${Date.now() - started} ms, 0 outside`);
});

test("the wizard's prompts: the kind of each variable, what it accepts, and the manifest's own checks", () => {
	const prompt = (variable: Record<string, unknown>) => variablePrompt(VariableSchema.parse(variable));
	const slug = prompt({name: 'slug', pattern: '[a-z]+'});
	assert.deepEqual([slug.kind, slug.required, slug.default, slug.accepts], ['text', true, null, 'text matching [a-z]+']);
	assert.equal(slug.problem(''), 'slug needs a value: text matching [a-z]+');
	assert.equal(slug.problem('Shop'), '"Shop" does not match the pattern [a-z]+');
	assert.equal(slug.problem('shop'), null);
	assert.equal(
		slug.problem('sh\nop'),
		'the value contains a line break (LF); control characters are not allowed (values are written to line-based files such as .env)',
	);
	const size = prompt({name: 'size', choices: ['small', 'large'], default: 'small'});
	assert.deepEqual(
		[size.kind, size.choices, size.accepts, size.problem('large'), size.problem('huge')],
		['choice', ['small', 'large'], 'one of small, large', null, '"huge" is not one of "small", "large"'],
	);
	const seed = prompt({name: 'seed', type: 'boolean', default: false});
	assert.deepEqual(
		[seed.kind, seed.default, seed.accepts, seed.problem('true'), seed.problem('maybe')],
		['boolean', 'false', 'yes or no', null, 'expected a boolean, got "maybe"'],
	);
	const replicas = prompt({name: 'replicas', type: 'number', default: 2, choices: [1, 2, 3]});
	assert.deepEqual(
		[replicas.kind, replicas.choices, replicas.problem('3'), replicas.problem('4')],
		['choice', ['1', '2', '3'], null, '4 is not one of 1, 2, 3'],
	);
	const workers = prompt({name: 'workers', type: 'number', default: 2});
	assert.deepEqual(
		[workers.kind, workers.accepts, workers.problem('x'), workers.problem('')],
		['number', 'a number', 'expected a number, got "x"', 'expected a number, got ""'],
	);
	assert.equal(prompt({name: 'title', default: ''}).accepts, 'any text');
});
