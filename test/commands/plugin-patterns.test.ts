/**
 * A plugin's `pattern` never hangs berth (issue 8, deliver 5). Patterns such as `(a+)+` against a crafted
 * value of 30-40 characters backtrack exponentially in a backtracking engine: `plugins list`, `plugins
 * lint` and `new` froze in berth's own process. Each run here is a child process with a timeout, so a hang
 * fails the test instead of blocking the suite.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {runCli, parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {makePlugin} from '../core/plugins/make-plugin.ts';

const CRAFTED = `${'a'.repeat(36)}!`;
/** Far longer than any of these commands needs; the unbounded match took minutes to hours. */
const TIMEOUT = 45_000;

interface ListJson {
	plugins: {id: string; ok: boolean; error: string | null}[];
}

async function setup(variables: Record<string, unknown>[]) {
	const dir = await tempDir();
	const plugin = await makePlugin(path.join(dir, 'plugins'), 'hostile', {variables});
	const env = {XDG_CONFIG_HOME: dir, BERTH_STORE: path.join(dir, 'ports.json'), BERTH_ROOT: path.join(dir, 'apps')};
	return {dir, plugin, env};
}

test('plugins list and lint check a crafted default against (a+)+ at once', async () => {
	const {dir, plugin, env} = await setup([{name: 'title', default: CRAFTED, pattern: '(a+)+'}]);
	const started = Date.now();
	const list = await runCli(['plugins', 'list', '--json', '--plugin', plugin], {env, cwd: dir, timeout: TIMEOUT});
	const hostile = parseJson<ListJson>(list).plugins.find(p => p.id === 'hostile');
	assert.equal(hostile?.ok, false, list.stdout);
	assert.match(hostile?.error ?? '', /hostile\/berth-plugin\.json: variables\[0\]\.default: "a+!" does not match the pattern \(a\+\)\+/);

	const lint = await runCli(['plugins', 'lint', plugin], {env, cwd: dir, timeout: TIMEOUT});
	assert.equal(lint.exitCode, 1, lint.stdout + lint.stderr);
	assert.match(lint.stdout + lint.stderr, /variables\[0\]\.default: .* does not match the pattern/);
	assert.ok(Date.now() - started < TIMEOUT, 'bounded');
});

test('new refuses a crafted --set value against (\\w+\\s?)*$ at once, naming the variable', async () => {
	const {dir, plugin, env} = await setup([{name: 'title', default: 'ok', pattern: '(\\w+\\s?)*$'}]);
	const result = await runCli(['new', 'm1/app1', '--flavour', 'hostile', '--plugin', plugin, '--set', `title=${CRAFTED}`], {env, cwd: dir, timeout: TIMEOUT});
	assert.equal(result.exitCode, 2, result.stdout + result.stderr);
	assert.match(result.stderr, /--set title: "a+!" does not match the pattern/);

	const alternatives = await setup([{name: 'code', default: 'ab', pattern: '(a|a)*|(a|ab)*'}]);
	const second = await runCli(['new', 'm1/app1', '--flavour', 'hostile', '--plugin', alternatives.plugin, '--set', `code=${CRAFTED}`], {
		env: alternatives.env,
		cwd: alternatives.dir,
		timeout: TIMEOUT,
	});
	assert.equal(second.exitCode, 2, second.stdout + second.stderr);
	assert.match(second.stderr, /--set code: "a+!" does not match the pattern/);
});

test('a value longer than 4 KiB is a usage error naming the variable', async () => {
	const {dir, plugin, env} = await setup([{name: 'title', default: 'ok', pattern: '[a-z]+'}]);
	const result = await runCli(['new', 'm1/app1', '--flavour', 'hostile', '--plugin', plugin, '--set', `title=${'a'.repeat(5000)}`], {
		env,
		cwd: dir,
		timeout: TIMEOUT,
	});
	assert.equal(result.exitCode, 2, result.stdout + result.stderr);
	assert.match(result.stderr, /--set title: the value is 5000 characters long; a value checked against a pattern may have at most 4096/);
	assert.ok(!result.stderr.includes('a'.repeat(100)), 'the value is not echoed whole');
});

test('a pattern with a lookahead or a backreference is refused, naming the file, the variable and why', async () => {
	const {dir, plugin, env} = await setup([
		{name: 'title', default: 'ok', pattern: '(?=a)\\w+|ok'},
		{name: 'twice', default: 'aa', pattern: '(a)\\1'},
	]);
	const list = parseJson<ListJson>(await runCli(['plugins', 'list', '--json', '--plugin', plugin], {env, cwd: dir, timeout: TIMEOUT}));
	const error = list.plugins.find(p => p.id === 'hostile')?.error ?? '';
	assert.match(error, /hostile\/berth-plugin\.json: /);
	assert.match(error, /variables\[0\]\.pattern: .*lookahead/);
	assert.match(error, /variables\[1\]\.pattern: .*backreference/);
});
