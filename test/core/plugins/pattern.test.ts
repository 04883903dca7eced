/**
 * Variable patterns are matched in linear time (source/core/plugins/pattern.ts; issue 8, deliver 5).
 * The fuzz runs in a child process with a timeout: a hang fails the test rather than blocking the suite.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {ROOT, runtimeCommand} from '../../helpers/runtime.ts';
import {parseManifest, valueProblem, type Variable} from '../../../source/core/plugins/manifest.ts';
import {compilePattern, PatternRefused} from '../../../source/core/plugins/pattern.ts';

test('fuzz: random patterns are refused with a reason or match like RegExp, within the hang guard (bounded)', async t => {
	const [file, args] = runtimeCommand('test/fixtures/pattern-fuzz.ts');
	const result = await execa(file, args, {reject: false, timeout: 120_000});
	assert.equal(result.exitCode, 0, `${result.timedOut ? 'timed out (a hang)\n' : ''}${result.stdout}\n${result.stderr}`);
	t.diagnostic(String(result.stdout).trim());
});

test('the built-in plugins, the skeleton and the test fixtures keep their patterns, and their defaults pass them', async () => {
	const manifests = [
		...(await readdir(path.join(ROOT, 'plugins'))).map(id => path.join(ROOT, 'plugins', id, 'berth-plugin.json')),
		...(await readdir(path.join(ROOT, 'test/fixtures/plugins'))).map(id => path.join(ROOT, 'test/fixtures/plugins', id, 'berth-plugin.json')),
	];
	let patterns = 0;
	for (const file of manifests) {
		const manifest = parseManifest(await readFile(file, 'utf8'), file);
		for (const variable of manifest.variables.filter(v => v.pattern !== undefined)) {
			patterns++;
			assert.ok(!(compilePattern(variable.pattern!) instanceof PatternRefused), `${file}: ${variable.name}`);
		}
	}
	assert.ok(patterns >= 6, `${patterns} patterns`);
	const skeleton: Variable = {name: 'title', type: 'string', pattern: '[A-Za-z0-9 ._-]{1,60}'};
	assert.equal(valueProblem(skeleton, 'My site 1.0'), null);
	assert.match(valueProblem(skeleton, 'x'.repeat(61)) ?? '', /does not match the pattern/);
});

test('what a linear engine cannot run is refused with the reason and a way out', () => {
	const refused = (source: string) => {
		const result = compilePattern(source);
		assert.ok(result instanceof PatternRefused, source);
		return result.message;
	};
	assert.match(refused('(?=\\d)\\w+'), /lookahead .*express the condition with classes and alternatives, or use "choices"/);
	assert.match(refused('(?<!a)b'), /lookbehind/);
	assert.match(refused('(a)\\1'), /backreference .*repeat the group itself/);
	assert.match(refused('(?<x>a)\\k<x>'), /backreference/);
	assert.match(refused('(?i:a)b'), /modifier group .*\[Aa\]/);
	assert.match(refused('a)(b'), /"\)" at position 2 without its "\("/);
	assert.match(refused('[a-z'), /^is not a valid regular expression \(.+\)$/);
	assert.match(refused('(a{100}){100}'), /too large: .*more than 2000 steps/);
	assert.match(refused('a'.repeat(1001)), /1001 characters long; a pattern may have at most 1000/);
});

test("matching keeps JavaScript's meaning: classes, \\p{…}, astral characters, anchors and \\b, lazy quantifiers", () => {
	const matches = (source: string, value: string) => {
		const pattern = compilePattern(source);
		assert.ok(!(pattern instanceof PatternRefused), source);
		assert.equal(pattern.test(value), new RegExp(`^(?:${source})$`, 'u').test(value), `${source} on ${JSON.stringify(value)}`);
		return pattern.test(value);
	};
	assert.equal(matches('[a-z][a-z0-9_]{0,30}', 'app_1'), true);
	assert.equal(matches('\\p{Lu}\\p{Ll}+', 'Élan'), true);
	assert.equal(matches('.', '😀'), true);
	assert.equal(matches('\\uD83D\\uDE00', '😀'), true);
	assert.equal(matches('.', '\n'), false);
	assert.equal(matches('^ab$|c', 'c'), true);
	assert.equal(matches('a\\bb', 'ab'), false);
	assert.equal(matches('a\\b!', 'a!'), true);
	assert.equal(matches('a+?b{1,2}?', 'aabb'), true);
	assert.equal(matches('(?<word>\\w+)(?: \\w+)*', 'two words'), true);
	assert.equal(matches('[^]*', 'any\nthing'), true);
	assert.equal(matches('(a|)*b', 'aab'), true);
});
