import {test as nodeTest} from 'node:test';
import assert from 'node:assert/strict';
import {access} from 'node:fs/promises';
import {createServer} from 'node:net';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {isDeno as runnerIsDeno} from '../../helpers/runtime.ts';
import {lintPlugin, type LintResult} from '../../../source/core/lint/lint.ts';
import {loadRegistry, readPlugin} from '../../../source/core/plugins/registry.ts';
import {openRenderSandbox, sandboxRuntime, TemplateDeniedError} from '../../../source/core/lint/render-sandbox.ts';
import {renderInProcess, type RenderInput} from '../../../source/core/scaffold/render.ts';
import {makePlugin} from '../plugins/make-plugin.ts';

async function exists(file: string): Promise<boolean> {
	return access(file).then(
		() => true,
		() => false,
	);
}

/**
 * The sandboxes lint may render in: under Deno, Deno; under Node, the one lint picks (Deno when one is
 * found) and Node's own (what lint uses without Deno).
 */
const SANDBOXES: {label: string; deno?: null; isDeno: boolean}[] = runnerIsDeno
	? [{label: 'deno sandbox', isDeno: true}]
	: [
			{label: `${sandboxRuntime().name} sandbox (auto)`, isDeno: sandboxRuntime().name === 'deno'},
			{label: 'node sandbox', deno: null, isDeno: false},
		];

for (const sandbox of SANDBOXES) {
	const isDeno = sandbox.isDeno;
	const options = sandbox.deno === null ? {compose: false, deno: null} : {compose: false};
	const test = (name: string, fn: () => Promise<void>) => nodeTest(`${name} [${sandbox.label}]`, fn);

	/** A plugin whose README.md.eta runs `code` (an Eta scriptlet), linted without compose. */
	async function lintEvil(code: string): Promise<{result: LintResult; template: string}> {
		const dir = await tempDir();
		const pluginDir = await makePlugin(dir, 'evil', {}, {'README.md.eta': `# <%= it.vars.title %>\n<% ${code} %>\n`});
		return {result: await lintPlugin(pluginDir, options), template: path.join(pluginDir, 'files', 'README.md.eta')};
	}

	function assertDenied(result: LintResult, template: string, action: RegExp): LintResult['problems'] {
		assert.equal(result.ok, false, 'lint passed a template that tried to escape');
		const errors = result.problems.filter(p => p.severity === 'error');
		assert.ok(errors.length > 0);
		for (const problem of errors) {
			assert.equal(problem.file, template);
			assert.match(problem.message, new RegExp(`^template files/README\\.md\\.eta tried to (?:${action.source}).*: plugins lint renders with no permissions`));
		}
		return errors;
	}

	test('lint: a template that writes a file fails the lint, naming the template, and the file is not created', async () => {
		const target = path.join(await tempDir(), 'ran');
		const {result, template} = await lintEvil(`process.getBuiltinModule("fs").writeFileSync(${JSON.stringify(target)}, "ran")`);
		const [problem] = assertDenied(result, template, new RegExp(`write ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		assert.equal(problem!.where, 'line 2');
		assert.equal(await exists(target), false, 'the template wrote a file during lint');
	});

	test('lint: asynchronous writes and SQLite files are refused too', async () => {
		const dir = await tempDir();
		const promised = path.join(dir, 'promised');
		const database = path.join(dir, 'db.sqlite');
		const async = await lintEvil(`process.getBuiltinModule("fs").promises.writeFile(${JSON.stringify(promised)}, "ran")`);
		assertDenied(async.result, async.template, /write /);
		const sqlite = await lintEvil(`new (process.getBuiltinModule("node:sqlite").DatabaseSync)(${JSON.stringify(database)}).exec("create table t (x)")`);
		assertDenied(sqlite.result, sqlite.template, /(open a SQLite database|read|write) /);
		await new Promise(resolve => setTimeout(resolve, 100));
		assert.equal(await exists(promised), false);
		assert.equal(await exists(database), false);
	});

	test('lint: a template that starts a subprocess or signals a process fails the lint, and nothing runs', async () => {
		const target = path.join(await tempDir(), 'touched');
		const exec = await lintEvil(`process.getBuiltinModule("child_process").execSync("touch ${target}")`);
		// Deno's child_process reads the environment before it spawns: that refusal comes first there.
		assertDenied(exec.result, exec.template, isDeno ? /start a subprocess|read the environment/ : /start a subprocess/);
		const kill = await lintEvil('process.kill(process.ppid, "SIGTERM")');
		assertDenied(kill.result, kill.template, /(signal a process|start a subprocess or signal a process)/);
		assert.equal(await exists(target), false);
	});

	test('lint: a template that reaches for the network fails the lint, and no connection is made', async () => {
		let connections = 0;
		const server = createServer(socket => {
			connections++;
			socket.destroy();
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		try {
			for (const code of [
				`process.getBuiltinModule("net").connect(${port}, "127.0.0.1")`,
				`fetch("http://127.0.0.1:${port}/")`,
				`import("node:http").then(http => http.get("http://127.0.0.1:${port}/"))`,
				// Node's fetch machinery (undici) keeps a dispatcher on globalThis; Deno has none.
				...(isDeno
					? []
					: [`new Response("x"); globalThis[Symbol.for("undici.globalDispatcher.1")].request({origin: "http://127.0.0.1:${port}", path: "/", method: "GET"})`]),
			]) {
				const {result, template} = await lintEvil(code);
				assertDenied(result, template, /use the network/);
			}
			await new Promise(resolve => setTimeout(resolve, 200));
			assert.equal(connections, 0, 'a template connected to 127.0.0.1 during lint');
		} finally {
			server.close();
		}
	});

	test("lint: a template may not read outside the plugin and berth's templates", async () => {
		const outside = path.join(await tempDir(), 'secret.txt');
		const {result, template} = await lintEvil(`process.getBuiltinModule("fs").readFileSync(${JSON.stringify(outside)})`);
		assertDenied(result, template, /read /);
	});

	test('lint: a template that exits the renderer or prints to its stdout does not break the reply protocol', async () => {
		const exit = await lintEvil('process.exit(3)');
		assert.equal(exit.result.ok, false);
		assert.match(exit.result.problems.find(p => p.severity === 'error')!.message, /lint's template renderer \(.+\) stopped \(exit code 3\)/);
		const noise = await lintEvil('process.getBuiltinModule("fs").writeSync(1, \'{"id": 1, "ok": true, "files": {}}\\n\')');
		assert.deepEqual(
			noise.result.problems.filter(p => p.severity === 'error'),
			[],
		);
		assert.ok(noise.result.checked[0]!.files.includes('docker-compose.yml'), 'rendered for real');
	});

	test('lint: after a template stopped the renderer, the next variant gets a new one', async () => {
		const dir = await tempDir();
		const variables = [
			{name: 'title', default: 'Hi'},
			{name: 'exit', type: 'boolean', default: true},
		];
		const pluginDir = await makePlugin(dir, 'exits', {variables}, {'README.md.eta': '<% if (it.vars.exit) process.exit(3) %>ok\n'});
		const result = await lintPlugin(pluginDir, options);
		assert.deepEqual(result.problems.filter(p => p.severity === 'error').length, 1);
		assert.deepEqual(
			result.checked.map(c => c.answers['exit']),
			[false],
		);
	});
}

nodeTest('the sandbox renders exactly what berth new renders, for every built-in flavour', async () => {
	const dir = await tempDir();
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: dir}});
	for (const plugin of registry.usable()) {
		const compiledSources = (await import('../../../source/core/scaffold/templates.ts')).compilePlugin;
		const sources = (await compiledSources(plugin)).files.filter(f => f.kind === 'template').map(f => f.source);
		const answers = Object.fromEntries(plugin.manifest.variables.filter(v => !v.secret).map(v => [v.name, v.default ?? 'x']));
		const input: RenderInput = {
			app: {model: 'm', number: 3},
			projectName: 'm-app3',
			ports: Object.fromEntries(plugin.manifest.ports.map(p => [p.slot, p.base + 4])),
			answers,
		};
		for (const mode of SANDBOXES) {
			const sandbox = openRenderSandbox(plugin.dir, mode.deno === null ? {deno: null} : {});
			try {
				assert.deepEqual(await sandbox.render(plugin, sources, input), await renderInProcess(plugin, sources, input), `${plugin.id} [${mode.label}]`);
			} finally {
				await sandbox.close();
			}
		}
	}
});

nodeTest('the sandbox stops a template that never ends', async () => {
	const dir = await tempDir();
	const pluginDir = await makePlugin(dir, 'loop', {}, {'README.md.eta': '<% while (true) {} %>\n'});
	const plugin = (await readPlugin(pluginDir, 'flag')).plugin!;
	const sandbox = openRenderSandbox(pluginDir, {timeoutMs: 1500});
	try {
		await assert.rejects(
			sandbox.render(plugin, ['README.md.eta'], {app: {model: 'm', number: 1}, projectName: 'm-app1', ports: {web: 20001}, answers: {title: 'Hi'}}),
			/took more than 1\.5 s in lint's sandbox: does a template loop forever\?/,
		);
	} finally {
		await sandbox.close();
	}
});

nodeTest('a refused template error is a TemplateDeniedError naming the template relative to the plugin', () => {
	const error = new TemplateDeniedError('/p/files/a/b.eta', 4, 'write /tmp/x', '/p');
	assert.equal(
		error.message,
		`/p/files/a/b.eta: line 4: template files/a/b.eta tried to write /tmp/x: plugins lint renders with no permissions (templates are code: there they may only read the plugin and berth's own files)`,
	);
	assert.equal(error.action, 'write /tmp/x');
});
