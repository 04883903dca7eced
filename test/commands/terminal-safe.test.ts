/**
 * No text berth prints can drive the terminal (issue 8, item 12: a template's output reached the
 * terminal raw, set its title and printed a fake "lint ok"): Output shows control characters escaped
 * in lines, warnings and errors, keeps berth's own colours, and keeps --json escaped.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {tempDir} from '../helpers/temp.ts';
import {parseJson, runCli} from '../helpers/cli.ts';
import {createOutput, keepColours, terminalSafe} from '../../source/commands/output.ts';
import {makePlugin} from '../core/plugins/make-plugin.ts';

function capture(color: boolean, json = false) {
	const written = {stdout: '', stderr: ''};
	const out = createOutput({
		json,
		color: color ? 'color' : 'plain',
		stdout: {write: (chunk: string) => (written.stdout += chunk)},
		stderr: {write: (chunk: string) => (written.stderr += chunk)},
	});
	return {out, written};
}

/** A byte a terminal acts on: C0 but tab and newline, DEL, C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('Output escapes control characters in lines, warnings and errors, and keeps its own colours', () => {
	const hostile = 'title\u001b]0;pwned\u0007 back\r fake lint ok \u009b2J bidi\u202e end\ttab\nnext';
	for (const color of [false, true]) {
		const {out, written} = capture(color);
		out.line(`${out.paint('green', 'ok')} ${hostile}`);
		out.warn(hostile);
		out.error(hostile);
		const shown = 'title\\x1b]0;pwned\\x07 back\\r fake lint ok \\x9b2J bidi\\u202e end\ttab\nnext';
		const [green, greenEnd, yellow, red, reset] = color ? ['\u001b[32m', '\u001b[39m', '\u001b[33m', '\u001b[31m', '\u001b[39m'] : ['', '', '', '', ''];
		assert.equal(written.stdout, `${green}ok${greenEnd} ${shown}\n`);
		assert.equal(written.stderr, `${yellow}warning:${reset} ${shown}\n${red}error:${reset} ${shown}\n`);
	}
});

test('a container log line keeps its colours when colour is on, loses them when off, and still cannot set the title', () => {
	const line = '\u001b[1;32mready\u001b[0m on :8080 \u001b]0;pwned\u0007 \u001b[2J';
	const on = capture(true);
	on.out.line(keepColours(line));
	assert.equal(on.written.stdout, '\u001b[1;32mready\u001b[0m on :8080 \\x1b]0;pwned\\x07 \\x1b[2J\n');
	const off = capture(false);
	off.out.line(keepColours(line));
	assert.equal(off.written.stdout, 'ready on :8080 \\x1b]0;pwned\\x07 \\x1b[2J\n');
});

test('under NO_COLOR on a terminal (mono) a container log line keeps its bold and underline, not its colours', () => {
	const written = {stdout: ''};
	const out = createOutput({json: false, color: 'mono', stdout: {write: (chunk: string) => (written.stdout += chunk)}, stderr: {write: () => true}});
	out.line(keepColours('\u001b[1;32mready\u001b[0m \u001b[38;5;208mamber\u001b[39m \u001b[4;38;2;1;2;3;48:5:9mtrue\u001b[m \u001b[91mbright'));
	assert.equal(written.stdout, '\u001b[1mready\u001b[0m amber \u001b[4mtrue\u001b[m bright\n');
});

test('terminalSafe leaves no control character but newline and tab, whatever the text; --json stays JSON with the same value', () => {
	fc.assert(
		fc.property(fc.string({unit: 'binary', maxLength: 200}), text => {
			const safe = terminalSafe(text);
			assert.ok(!CONTROL.test(safe.replace(/[\n\t]/g, '')), JSON.stringify(safe));
			const {out, written} = capture(true, true);
			out.data({text});
			assert.ok(!CONTROL.test(written.stdout.replace(/[\n\t]/g, '')));
			assert.deepEqual(JSON.parse(written.stdout), {text});
		}),
		{numRuns: 2000, interruptAfterTimeLimit: 2000},
	);
});

test("berth plugins lint: what a template writes to the renderer's stderr is shown escaped, never raw", async () => {
	const dir = await tempDir();
	// The renderer stops (exit 3): lint quotes the end of its stderr in the error.
	const pluginDir = await makePlugin(
		dir,
		'noisy',
		{},
		{'README.md.eta': '<% process.getBuiltinModule("fs").writeSync(2, "\\u001b]0;pwned\\u0007\\rnoisy: ok — 1 variant(s) rendered.\\n"); process.exit(3) %>\n'},
	);
	const text = await runCli(['plugins', 'lint', pluginDir, '--no-compose']);
	assert.equal(text.exitCode, 1);
	assert.ok(!CONTROL.test((text.stdout + text.stderr).replace(/[\n\t]/g, '')), JSON.stringify(text.stderr));
	assert.match(text.stderr, /\\x1b\]0;pwned\\x07\\rnoisy: ok — 1 variant\(s\) rendered\./);
	const json = await runCli(['plugins', 'lint', pluginDir, '--no-compose', '--json']);
	assert.ok(!CONTROL.test(json.stdout.replace(/[\n\t]/g, '')));
	assert.match(JSON.stringify(parseJson(json)), /\\u001b\]0;pwned\\u0007/);
});
