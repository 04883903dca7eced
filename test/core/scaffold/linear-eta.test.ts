import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {Eta} from 'eta/core';
import {LinearEta} from '../../../source/core/scaffold/linear-eta.ts';
import {compilePlugin} from '../../../source/core/scaffold/templates.ts';
import {readPlugin} from '../../../source/core/plugins/registry.ts';
import {tempDir} from '../../helpers/temp.ts';
import {makePlugin} from '../plugins/make-plugin.ts';

const OPTIONS = {autoEscape: false, autoTrim: false as const, useWith: false, debug: true};

/** Pieces of templates where Eta's parser has something to decide: quotes and comments in tags (holding "%>" and newlines), newlines, whitespace control. */
const loose = fc.constantFrom('text', ' ', '\n', '\r\n', '<%', '%>', "'", '"', '`', '/*', '*/', '${', '}', '\\', ';');
const inner = fc.constantFrom(' it.a ', '\n', ' ', "'%>'", '"<%"', '`a\n${1}%>`', '/* %> \n */', "'\\''", 'x', '\r\n', '"\\""');
const tag = fc
	.tuple(fc.constantFrom('<%', '<%=', '<%~', '<%-', '<%_', '<%= '), fc.array(inner, {maxLength: 5}), fc.constantFrom('%>', '-%>', '_%>', ' %>', '\n%>'))
	.map(([open, body, close]) => open + body.join('') + close);
const text = fc.constantFrom('a', 'line\n', '\n', '\r\n', ' ', "'", '"', '%>');
const template = fc
	.array(fc.oneof({arbitrary: tag, weight: 3}, {arbitrary: text, weight: 3}, {arbitrary: loose, weight: 1}), {maxLength: 30})
	.map(parts => parts.join(''));

function parsed(eta: Eta, text: string): unknown {
	try {
		return eta.parse(text);
	} catch (error) {
		return {error: (error as Error).message};
	}
}

test('LinearEta parses exactly as Eta does, line numbers included, for any template', () => {
	fc.assert(
		fc.property(template, text => {
			assert.deepEqual(parsed(new LinearEta(OPTIONS), text), parsed(new Eta(OPTIONS), text), JSON.stringify(text));
		}),
		{numRuns: 3000, interruptAfterTimeLimit: 2500},
	);
});

test('compiling a template is linear: 200,000 tags and a 5 MB template on one line compile in seconds, with line numbers', async () => {
	const eta = new LinearEta(OPTIONS);
	for (const [label, text, limitMs] of [
		['200,000 tags on 200,000 lines', 'x: <%= it.a %>\n'.repeat(200_000), 8000],
		['5 MB on one line', '<%= it.a %>'.repeat(450_000), 8000],
	] as const) {
		const started = performance.now();
		const render = eta.compile(text);
		const elapsed = performance.now() - started;
		// Eta's own debug parser took 14 s for the first (21 s for 40,000 tags here) and minutes for the second.
		assert.ok(elapsed < limitMs, `${label}: compiled in ${Math.round(elapsed)} ms`);
		assert.equal(typeof render, 'function');
	}
	const dir = await tempDir();
	const pluginDir = await makePlugin(dir, 'lines', {}, {'README.md.eta': `${'ok <%= it.vars.title %>\n'.repeat(50_000)}<%= it.vars.nope %>\n`});
	const plugin = (await readPlugin(pluginDir, 'flag')).plugin!;
	const compiled = await compilePlugin(plugin);
	const readme = compiled.files.find(file => file.source === 'README.md.eta')!;
	assert.throws(
		() =>
			readme.render!({
				vars: new Proxy(
					{title: 'x'},
					{
						get: (target, key) =>
							key in target
								? target[key as 'title']
								: (() => {
										throw new ReferenceError(`it.vars.${String(key)} is not defined`);
									})(),
					},
				),
			}),
		/README\.md\.eta: line 50001: it\.vars\.nope is not defined/,
	);
});
