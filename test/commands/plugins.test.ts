import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {runCli, parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {isDeno, ROOT} from '../helpers/runtime.ts';

interface ListJson {
	plugins: {id: string; source: string; ok: boolean; error: string | null; overriddenBy: string | null; dir: string}[];
}

interface LintJson {
	ok: boolean;
	problems: {severity: string; file: string; where: string | null; message: string}[];
	checked: {files: string[]; compose: {ok: boolean}[]}[];
}

test('plugins list shows the built-ins, a broken plugin with its error, and overrides', async () => {
	const dir = await tempDir();
	const plugins = path.join(dir, '.berth', 'plugins');
	await mkdir(path.join(plugins, 'broken', 'files'), {recursive: true});
	await writeFile(path.join(plugins, 'broken', 'berth-plugin.json'), '{"schemaVersion": 1, "id": "broken"}');
	const env = {XDG_CONFIG_HOME: dir};
	const json = parseJson<ListJson>(await runCli(['plugins', 'list', '--json', '--plugin', path.join(ROOT, 'plugins', 'react-flask')], {env, cwd: dir}));
	const byId = (id: string) => json.plugins.filter(p => p.id === id);
	assert.deepEqual(
		byId('react-flask').map(p => [p.source, p.ok, p.overriddenBy !== null]),
		[
			['builtin', true, true],
			['flag', true, false],
		],
	);
	assert.equal(byId('broken')[0]!.source, 'workspace');
	assert.match(byId('broken')[0]!.error ?? '', /broken\/berth-plugin\.json: name: is missing/);
	assert.ok(byId('fastapi-vite')[0]!.ok && byId('multi-db-seeder')[0]!.ok);

	const text = await runCli(['plugins', 'list', '--plugin', path.join(ROOT, 'plugins', 'react-flask')], {env, cwd: dir});
	assert.equal(text.exitCode, 0);
	assert.match(text.stdout, /^broken +- +workspace +error/m);
	assert.match(text.stdout, /react-flask from .*plugins\/react-flask is overridden by .*plugins\/react-flask/);
});

test('plugins new writes a skeleton that lints clean and scaffolds', async () => {
	const dir = await tempDir();
	const env = {XDG_CONFIG_HOME: dir, BERTH_STORE: path.join(dir, 'ports.json'), BERTH_ROOT: path.join(dir, 'apps')};
	const created = await runCli(['plugins', 'new', 'static-site'], {env, cwd: dir});
	assert.equal(created.exitCode, 0, created.stderr);
	const pluginDir = path.join(dir, '.berth', 'plugins', 'static-site');
	assert.match(created.stdout, /Created plugin static-site/);
	const manifest = JSON.parse(await readFile(path.join(pluginDir, 'berth-plugin.json'), 'utf8'));
	assert.equal(path.resolve(pluginDir, manifest.$schema), path.join(ROOT, 'schema', 'plugin.schema.json'));

	const lint = await runCli(['plugins', 'lint', pluginDir, '--json'], {env, cwd: dir});
	assert.equal(lint.exitCode, 0, lint.stdout + lint.stderr);
	const lintJson = parseJson<LintJson>(lint);
	assert.deepEqual(lintJson.problems, []);
	assert.ok(lintJson.checked[0]!.compose.length > 0 && lintJson.checked[0]!.compose.every(c => c.ok), 'compose config ran and passed');

	// Found without --plugin: .berth/plugins of the working directory.
	const scaffold = await runCli(['new', 'm/app1', '--flavour', 'static-site'], {env, cwd: dir});
	assert.equal(scaffold.exitCode, 0, scaffold.stderr);
	assert.match(await readFile(path.join(dir, 'apps', 'm', 'app1', 'site', 'index.html'), 'utf8'), /<h1>static-site<\/h1>/);

	const again = await runCli(['plugins', 'new', 'static-site'], {env, cwd: dir});
	assert.equal(again.exitCode, 2);
	assert.match(again.stderr, /exists and is not empty/);
});

test('plugins lint names the file and field or line of each problem, and fails', async () => {
	const dir = await tempDir();
	const env = {XDG_CONFIG_HOME: dir};
	await runCli(['plugins', 'new', 'demo', '--dir', dir], {env, cwd: dir});
	const pluginDir = path.join(dir, 'demo');
	const manifestFile = path.join(pluginDir, 'berth-plugin.json');
	const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));

	await writeFile(manifestFile, JSON.stringify({...manifest, ports: [{...manifest.ports[0], container: 'eighty'}]}));
	const badManifest = parseJson<LintJson>(await runCli(['plugins', 'lint', pluginDir, '--json'], {env}));
	assert.equal(badManifest.ok, false);
	assert.deepEqual(
		badManifest.problems.map(p => [p.file, p.where]),
		[[manifestFile, 'ports[0].container']],
	);

	await writeFile(manifestFile, JSON.stringify(manifest));
	const composeFile = path.join(pluginDir, 'files', 'docker-compose.yml.eta');
	await writeFile(composeFile, (await readFile(composeFile, 'utf8')).replace('    restart: unless-stopped', '    restart: unless-stopped\n    ports: 12'));
	const badCompose = await runCli(['plugins', 'lint', pluginDir], {env});
	assert.equal(badCompose.exitCode, 1);
	assert.match(
		badCompose.stderr,
		new RegExp(`${composeFile.replace(/\./g, '\\.')}: docker-compose [\\d.]+ config failed .*\\n.*services\\.web\\.ports contains an invalid type`),
	);

	await writeFile(composeFile, 'services:\n  web:\n    image: x\n    ports:\n      - "<%= it.ports.db %>"\n');
	const badTemplate = await runCli(['plugins', 'lint', pluginDir], {env});
	assert.equal(badTemplate.exitCode, 1);
	assert.match(badTemplate.stderr, /docker-compose\.yml\.eta: line 5: it\.ports\.db is not defined \(defined: web\)/);
});

test('every built-in flavour and the busybox-test fixture lint clean', async () => {
	const dir = await tempDir();
	for (const plugin of ['plugins/react-flask', 'plugins/fastapi-vite', 'plugins/multi-db-seeder', 'test/fixtures/plugins/busybox-test']) {
		const result = await runCli(['plugins', 'lint', path.join(ROOT, plugin), '--json'], {env: {XDG_CONFIG_HOME: dir}});
		assert.equal(result.exitCode, 0, `${plugin}: ${result.stdout}`);
		assert.deepEqual(parseJson<LintJson>(result).problems, [], plugin);
	}
});

test('plugins lint renders templates sandboxed: a template that writes a file fails the lint and writes nothing', async () => {
	const dir = await tempDir();
	const env = {XDG_CONFIG_HOME: dir};
	await runCli(['plugins', 'new', 'evil', '--dir', dir], {env, cwd: dir});
	const target = path.join(dir, 'ran');
	const readme = path.join(dir, 'evil', 'files', 'README.md.eta');
	await writeFile(readme, `<% process.getBuiltinModule("fs").writeFileSync(${JSON.stringify(target)}, "ran") %>\n`);
	const result = await runCli(['plugins', 'lint', path.join(dir, 'evil'), '--no-compose'], {env});
	assert.equal(result.exitCode, 1, result.stdout + result.stderr);
	assert.ok(
		result.stderr.includes(`${readme}: line 1: template files/README.md.eta tried to write ${target}: plugins lint renders with no permissions`),
		result.stderr,
	);
	assert.match(result.stdout, /evil: 1 error\(s\)/);
	assert.equal(await readFile(target, 'utf8').catch(() => null), null, 'lint ran the template with write access');
});

test('plugins lint --no-compose still finds the compose file (no false warning) and runs no compose', async () => {
	const dir = await tempDir();
	const env = {XDG_CONFIG_HOME: dir};
	await runCli(['plugins', 'new', 'demo', '--dir', dir], {env, cwd: dir});
	const pluginDir = path.join(dir, 'demo');
	const lint = await runCli(['plugins', 'lint', pluginDir, '--no-compose', '--json'], {env});
	assert.equal(lint.exitCode, 0, lint.stdout + lint.stderr);
	const json = parseJson<LintJson>(lint);
	assert.deepEqual(json.problems, []);
	assert.deepEqual(
		json.checked.map(c => [c.files, c.compose.length]),
		[[['docker-compose.yml'], 0]],
	);

	// Without a compose file the warning is right, with or without --no-compose.
	await rm(path.join(pluginDir, 'files', 'docker-compose.yml.eta'));
	for (const flags of [['--no-compose'], []]) {
		const result = await runCli(['plugins', 'lint', pluginDir, ...flags], {env});
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stderr, /files: no compose file \(docker-compose\.yml or compose\.yaml\) in files\/: berth cannot start this flavour/);
	}
});

test('plugins lint says what rendered the templates, and warns (text and --json) when it could not keep them off the network', async () => {
	const {findDeno, TOOLS_DENO} = await import('../../source/core/lint/render-sandbox.ts');
	const {existsSync} = await import('node:fs');
	const dir = await tempDir();
	const env = {XDG_CONFIG_HOME: dir};
	await runCli(['plugins', 'new', 'demo', '--dir', dir], {env, cwd: dir});
	const pluginDir = path.join(dir, 'demo');
	const warning =
		/templates were rendered by Node [\d.]+, which cannot take the network away from them \(Deno or Node >= 25 can\): lint only plugins you trust/;
	type Sandbox = {sandbox: {name: string; networkRefused: boolean; warning: string | null}};
	if (isDeno) {
		const json = parseJson<LintJson & Sandbox>(await runCli(['plugins', 'lint', pluginDir, '--no-compose', '--json'], {env}));
		assert.deepEqual([json.sandbox.name, json.sandbox.warning], ['deno', null]);
		return;
	}
	// A PATH without Deno: Node renders (unless berth's .tools/ holds a Deno).
	const noDeno = {...env, PATH: path.dirname(process.execPath)};
	const nodeRenders = !existsSync(TOOLS_DENO) || findDeno({PATH: ''}) === null;
	const warns = nodeRenders && !process.allowedNodeEnvironmentFlags.has('--allow-net');
	const json = parseJson<LintJson & Sandbox>(await runCli(['plugins', 'lint', pluginDir, '--no-compose', '--json'], {env: noDeno}));
	assert.equal(json.ok, true);
	assert.equal(json.sandbox.name, nodeRenders ? 'node' : 'deno');
	if (warns) assert.match(json.sandbox.warning ?? '', warning);
	else assert.equal(json.sandbox.warning, null);
	const text = await runCli(['plugins', 'lint', pluginDir, '--no-compose'], {env: noDeno});
	assert.equal(text.exitCode, 0, text.stderr);
	assert.equal(warning.test(text.stderr), warns, text.stderr);
	assert.match(text.stdout, /demo: ok/);
	// With a Deno on PATH, Deno renders and nothing is said.
	const deno = findDeno();
	if (deno) {
		const withDeno = {...env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${path.dirname(deno.command)}`};
		const denoJson = parseJson<LintJson & Sandbox>(await runCli(['plugins', 'lint', pluginDir, '--no-compose', '--json'], {env: withDeno}));
		assert.deepEqual([denoJson.sandbox.name, denoJson.sandbox.networkRefused, denoJson.sandbox.warning], ['deno', true, null]);
		const denoText = await runCli(['plugins', 'lint', pluginDir, '--no-compose'], {env: withDeno});
		assert.doesNotMatch(denoText.stderr, warning);
	}
});
