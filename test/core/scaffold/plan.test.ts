import {test} from 'node:test';
import assert from 'node:assert/strict';
import {access, mkdir, readFile, readdir, stat, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {readPlugin} from '../../../source/core/plugins/registry.ts';
import {commitPlan, nextAppNumber, planScaffold, UnsafePathError, type PlanOptions} from '../../../source/core/scaffold/index.ts';
import {UsageError} from '../../../source/core/errors.ts';
import {FREE_PROBE, makePlugin} from '../plugins/make-plugin.ts';

async function setup(manifest: Record<string, unknown> = {}, files: Record<string, string | Uint8Array> = {}) {
	const dir = await tempDir();
	const pluginDir = await makePlugin(path.join(dir, 'plugins'), 'demo', manifest, files);
	const info = await readPlugin(pluginDir, 'flag');
	assert.equal(info.error, null);
	const options: PlanOptions = {
		root: path.join(dir, 'apps'),
		storeFile: path.join(dir, 'ports.json'),
		app: {model: 'm', number: 1},
		plugin: info.plugin!,
		probe: FREE_PROBE,
	};
	return {dir, options, appDir: path.join(dir, 'apps', 'm', 'app1')};
}

async function exists(file: string): Promise<boolean> {
	return access(file).then(
		() => true,
		() => false,
	);
}

/** Every file under dir, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => []);
	return entries
		.filter(e => e.isFile())
		.map(e => path.relative(dir, path.join(e.parentPath, e.name)))
		.sort();
}

test('plan writes nothing; commit writes files, .env (0600), .env.example and .berth.json', async () => {
	const {dir, options, appDir} = await setup();
	const plan = await planScaffold(options);
	assert.deepEqual(
		plan.files.map(f => [f.path, f.action]),
		[
			['docker-compose.yml', 'create'],
			['.env.example', 'create'],
			['.env', 'create'],
		],
	);
	assert.deepEqual(plan.ports, {web: 20001});
	assert.equal(plan.projectName, 'm-app1');
	assert.equal(await exists(appDir), false, 'planning created the app folder');
	assert.equal(await exists(path.join(dir, 'ports.json')), false, 'planning wrote the port store');

	const result = await commitPlan(plan);
	assert.deepEqual(result.written, ['docker-compose.yml', '.env.example', '.env', '.berth.json']);
	assert.equal((await stat(path.join(appDir, '.env'))).mode & 0o777, 0o600);
	assert.match(await readFile(path.join(appDir, 'docker-compose.yml'), 'utf8'), /- "127\.0\.0\.1:\$\{WEB_PORT:-20001\}:80"/);
	assert.match(await readFile(path.join(appDir, '.env'), 'utf8'), /^COMPOSE_PROJECT_NAME=m-app1\nPROJECT_NAME=m-app1\n[\s\S]*WEB_PORT=20001\n/m);
	const store = JSON.parse(await readFile(path.join(dir, 'ports.json'), 'utf8'));
	assert.deepEqual(store.allocations[0].ports, {web: 20001});
	const state = JSON.parse(await readFile(path.join(appDir, '.berth.json'), 'utf8'));
	assert.deepEqual(state.flavour, {id: 'demo', version: '1.2.3'});
	assert.deepEqual(state.answers, {title: 'Hello'});
	assert.deepEqual(Object.keys(state.files), ['.env.example', 'docker-compose.yml']);
});

test('a second identical run changes nothing', async () => {
	const {options, appDir} = await setup();
	await commitPlan(await planScaffold(options));
	const before = await readFile(path.join(appDir, '.berth.json'), 'utf8');
	const again = await planScaffold(options);
	assert.equal(again.changes, false);
	assert.deepEqual(
		again.files.map(f => f.action),
		['identical', 'identical', 'skip'],
	);
	assert.equal(again.stateFile.action, 'unchanged');
	assert.equal(await readFile(path.join(appDir, '.berth.json'), 'utf8'), before);
});

test('conflicts are kept unless force; .env is never overwritten', async () => {
	const {options, appDir} = await setup();
	await commitPlan(await planScaffold(options));
	await writeFile(path.join(appDir, 'docker-compose.yml'), 'edited by hand\n');
	const env = await readFile(path.join(appDir, '.env'), 'utf8');
	const plan = await planScaffold(options);
	const compose = plan.files.find(f => f.path === 'docker-compose.yml')!;
	assert.equal(compose.action, 'conflict');
	assert.equal(compose.write, false);
	await commitPlan(plan);
	assert.equal(await readFile(path.join(appDir, 'docker-compose.yml'), 'utf8'), 'edited by hand\n');

	const forced = await planScaffold({...options, force: true});
	assert.equal(forced.files.find(f => f.path === 'docker-compose.yml')!.write, true);
	assert.equal(forced.files.find(f => f.path === '.env')!.action, 'skip');
	await commitPlan(forced);
	assert.match(await readFile(path.join(appDir, 'docker-compose.yml'), 'utf8'), /services:/);
	assert.equal(await readFile(path.join(appDir, '.env'), 'utf8'), env);
});

test('secrets: random per app, only in .env, never in .berth.json, .env.example or templates', async () => {
	const manifest = {variables: [{name: 'dbPassword', secret: true, env: 'DB_PASSWORD', length: 24}]};
	const {options, appDir, dir} = await setup(manifest);
	const first = await commitPlan(await planScaffold(options));
	const second = await commitPlan(await planScaffold({...options, app: {model: 'm', number: 2}}));
	const secretOf = async (app: string) => /^DB_PASSWORD=([0-9a-f]{24})$/m.exec(await readFile(path.join(app, '.env'), 'utf8'))?.[1];
	const a = await secretOf(appDir);
	const b = await secretOf(second.plan.appDir);
	assert.ok(a && b && a !== b, 'each app gets its own random secret');
	assert.match(await readFile(path.join(appDir, '.env.example'), 'utf8'), /^DB_PASSWORD=$/m);
	for (const file of ['.berth.json', '.env.example', 'docker-compose.yml']) {
		assert.ok(!(await readFile(path.join(appDir, file), 'utf8')).includes(a), `${file} holds the secret`);
	}
	assert.ok(!JSON.stringify(first.plan.state).includes(a));
	// A template that reads a secret fails, naming it, rather than leaking it.
	const {options: leaky} = await setup(manifest, {'leak.txt.eta': '<%= it.vars.dbPassword %>'});
	await assert.rejects(
		planScaffold(leaky),
		/it\.vars\.dbPassword is not defined for templates: it is a secret, it lives only in \.env — reference \$\{DB_PASSWORD\}/,
	);
	void dir;
});

test('only *.eta files are rendered; other files are copied byte for byte; modes and when rules apply', async () => {
	const binary = new Uint8Array([0, 1, 2, 255, 60, 37, 61, 32, 120, 32, 37, 62]); // contains "<%= x %>"
	const {options, appDir} = await setup(
		{
			variables: [
				{name: 'title', default: 'Hello'},
				{name: 'extras', type: 'boolean', default: false},
			],
			files: [
				{match: 'run.sh', mode: '0755'},
				{match: 'extras/**', when: 'extras'},
			],
		},
		{'logo.bin': binary, 'run.sh': '#!/bin/sh\necho <%= it.vars.title %>\n', 'page.html.eta': '<h1><%= it.vars.title %></h1>\n', 'extras/x.txt': 'x'},
	);
	await commitPlan(await planScaffold(options));
	assert.deepEqual(new Uint8Array(await readFile(path.join(appDir, 'logo.bin'))), binary);
	assert.equal(await readFile(path.join(appDir, 'run.sh'), 'utf8'), '#!/bin/sh\necho <%= it.vars.title %>\n');
	assert.equal((await stat(path.join(appDir, 'run.sh'))).mode & 0o777, 0o755);
	assert.equal(await readFile(path.join(appDir, 'page.html'), 'utf8'), '<h1>Hello</h1>\n');
	assert.equal(await exists(path.join(appDir, 'extras')), false);
	await commitPlan(await planScaffold({...options, answers: {extras: 'true'}}));
	assert.equal(await readFile(path.join(appDir, 'extras', 'x.txt'), 'utf8'), 'x');
});

test('seed-style {{key|default}} placeholders: declared keys in .eta files, file paths and "placeholders" files', async () => {
	const {options, appDir} = await setup(
		{
			variables: [
				{name: 'title', default: 'Hello'},
				{name: 'pkg', default: 'shop', pattern: '[a-z]+'},
				{name: 'note', default: ''},
			],
			files: [{match: 'legacy/**', placeholders: true}],
		},
		{
			'a.txt.eta': 'title={{title}} port={{web_port}} env={{WEB_PORT}} project={{PROJECT_NAME}} note={{note|none}} other={{ unknown }}\n',
			'{{pkg}}/__init__.py': '',
			'legacy/config.ini': 'name={{ title | x }}\nport={{web_port|5000}}\n',
			'legacy/raw.txt.keep': 'x',
		},
	);
	await commitPlan(await planScaffold(options));
	assert.equal(await readFile(path.join(appDir, 'a.txt'), 'utf8'), 'title=Hello port=20001 env=20001 project=m-app1 note=none other={{ unknown }}\n');
	assert.equal(await exists(path.join(appDir, 'shop', '__init__.py')), true);
	assert.equal(await readFile(path.join(appDir, 'legacy', 'config.ini'), 'utf8'), 'name=Hello\nport=20001\n');
	// A value can never inject Eta code through a placeholder.
	const {options: injected, appDir: other} = await setup({variables: [{name: 'title', default: 'x'}]}, {'b.txt.eta': '{{title}}'});
	await commitPlan(await planScaffold({...injected, answers: {title: '<%= it.projectName %>'}}));
	assert.equal(await readFile(path.join(other, 'b.txt'), 'utf8'), '<%= it.projectName %>');
});

test('bad input writes nothing: undeclared --set, bad value, missing required value', async () => {
	const {dir, options} = await setup({variables: [{name: 'title', pattern: '[A-Z][a-z]+'}]});
	await assert.rejects(
		planScaffold({...options, answers: {colour: 'red'}}),
		(e: unknown) => e instanceof UsageError && /no variable "colour"\. Its variables: title/.test(e.message),
	);
	await assert.rejects(planScaffold({...options, answers: {title: 'lower'}}), /--set title: "lower" does not match the pattern/);
	await assert.rejects(planScaffold(options), /needs a value for title: pass --set title=/);
	assert.deepEqual(await tree(dir).then(files => files.filter(f => !f.startsWith('plugins'))), []);
});

test('paths that escape the app folder are refused before anything is written', async () => {
	for (const [name, pattern] of [
		['{{dir}}/x.txt', /leaves the app folder/],
		['x{{abs}}.txt', /leaves the app folder|is absolute/],
	] as const) {
		const {dir, options} = await setup(
			{
				variables: [
					{name: 'dir', default: '..'},
					{name: 'abs', default: '/../../etc/passwd'},
				],
			},
			{'a-first.txt': 'first', [name]: 'x'},
		);
		await assert.rejects(planScaffold(options), (e: unknown) => e instanceof UnsafePathError && pattern.test(e.message));
		assert.deepEqual(
			(await tree(dir)).filter(f => !f.startsWith('plugins')),
			[],
			`${name}: something was written`,
		);
	}
	const {dir, options} = await setup(
		{
			variables: [
				{name: 'title', default: 'Hello'},
				{name: 'where', default: '/tmp/evil'},
			],
		},
		{'{{where}}': 'x'},
	);
	await assert.rejects(planScaffold(options), /is absolute; a flavour writes only inside the app folder/);
	assert.deepEqual(
		(await tree(dir)).filter(f => !f.startsWith('plugins')),
		[],
	);
});

test('a symlink in the app folder is never written through', async () => {
	const {dir, options, appDir} = await setup({}, {'conf/app.conf': 'x'});
	const outside = path.join(dir, 'outside');
	await mkdir(outside);
	await mkdir(appDir, {recursive: true});
	await symlink(outside, path.join(appDir, 'conf'));
	await assert.rejects(planScaffold(options), (e: unknown) => e instanceof UnsafePathError && /conf is a symbolic link/.test(e.message));
	assert.deepEqual(await readdir(outside), []);
	assert.deepEqual((await readdir(appDir)).sort(), ['conf']);
	assert.equal(await exists(options.storeFile), false);
});

test('an app folder or model folder that is itself a symlink is refused: nothing is written where it points', async () => {
	for (const linked of ['app', 'model'] as const) {
		const {dir, options, appDir} = await setup();
		const outside = path.join(dir, 'elsewhere');
		await mkdir(outside);
		const link = linked === 'app' ? appDir : path.dirname(appDir);
		await mkdir(path.dirname(link), {recursive: true});
		await symlink(outside, link);
		await assert.rejects(
			planScaffold(options),
			(e: unknown) => e instanceof UnsafePathError && e.message.startsWith(`${link} is a symbolic link; berth does not write through links`),
			linked,
		);
		await assert.rejects(planScaffold({...options, mode: 'backfill'}), UnsafePathError);
		assert.deepEqual(await readdir(outside), [], `${linked}: written through the link`);
		assert.equal(await exists(options.storeFile), false);
	}
});

test('nextAppNumber skips past a symlinked app folder', async () => {
	const {dir, options} = await setup();
	await mkdir(path.join(options.root, 'm', 'app1'), {recursive: true});
	await mkdir(path.join(dir, 'elsewhere'));
	await symlink(path.join(dir, 'elsewhere'), path.join(options.root, 'm', 'app2'));
	assert.equal(await nextAppNumber(options.root, 'm'), 3);
});

test('backfill mode plans only the Docker files (plus berth files) and leaves the rest alone', async () => {
	const {options, appDir} = await setup(
		{files: [{match: 'docs/**', backfill: true}]},
		{'backend/Dockerfile': 'FROM x\n', 'backend/app.py': 'print(1)\n', 'backend/.dockerignore': '*.pyc\n', 'docs/a.md': 'a'},
	);
	await mkdir(path.join(appDir, 'backend'), {recursive: true});
	await writeFile(path.join(appDir, 'backend', 'app.py'), 'generated elsewhere\n');
	const plan = await planScaffold({...options, mode: 'backfill'});
	assert.deepEqual(plan.files.map(f => f.path).sort(), [
		'.env',
		'.env.example',
		'backend/.dockerignore',
		'backend/Dockerfile',
		'docker-compose.yml',
		'docs/a.md',
	]);
	await commitPlan(plan);
	assert.equal(await readFile(path.join(appDir, 'backend', 'app.py'), 'utf8'), 'generated elsewhere\n');
});

test('nextAppNumber: one past the highest app folder or allocation', async () => {
	const {options} = await setup();
	assert.equal(await nextAppNumber(options.root, 'm', options.storeFile), 1);
	await mkdir(path.join(options.root, 'm', 'app4'), {recursive: true});
	await mkdir(path.join(options.root, 'm', 'notes'), {recursive: true});
	assert.equal(await nextAppNumber(options.root, 'm', options.storeFile), 5);
	await commitPlan(await planScaffold({...options, app: {model: 'm', number: 9}}));
	assert.equal(await nextAppNumber(options.root, 'm', options.storeFile), 10);
	assert.equal(await nextAppNumber(options.root, 'other', options.storeFile), 1);
});

test('a template reading an undeclared name fails naming file, line and name (never renders "undefined")', async () => {
	const {options, dir} = await setup({}, {'x.txt.eta': 'ok\n<%= it.ports.db %>\n'});
	await assert.rejects(planScaffold(options), /files\/x\.txt\.eta: line 2: it\.ports\.db is not defined \(defined: web\)/);
	assert.deepEqual(
		(await tree(dir)).filter(f => !f.startsWith('plugins')),
		[],
	);
});

test('a flavour without port slots: no allocation, and a re-run still changes nothing', async () => {
	const {options} = await setup(
		{ports: []},
		{'docker-compose.yml.eta': 'services:\n  job:\n    image: busybox\n    container_name: <%= it.projectName %>-job\n'},
	);
	const first = await commitPlan(await planScaffold(options));
	assert.deepEqual(first.plan.ports, {});
	assert.equal(first.allocationCreated, false);
	assert.equal(await exists(options.storeFile), false);
	assert.equal((await planScaffold(options)).changes, false);
});

test('a re-run with a new --set value updates the files berth wrote, but keeps the ones the user edited', async () => {
	const {options, appDir} = await setup({}, {'a.txt.eta': 'A <%= it.vars.title %>\n', 'b.txt.eta': 'B <%= it.vars.title %>\n'});
	await commitPlan(await planScaffold(options));
	await writeFile(path.join(appDir, 'b.txt'), 'B edited by hand\n');
	const plan = await planScaffold({...options, answers: {title: 'Shop'}});
	assert.deepEqual(
		plan.files.filter(f => f.path.endsWith('.txt')).map(f => [f.path, f.action, f.write, f.reason]),
		[
			['a.txt', 'conflict', true, 'not edited since berth wrote it: updated'],
			['b.txt', 'conflict', false, 'differs: kept (use --force to overwrite)'],
		],
	);
	await commitPlan(plan);
	assert.equal(await readFile(path.join(appDir, 'a.txt'), 'utf8'), 'A Shop\n');
	assert.equal(await readFile(path.join(appDir, 'b.txt'), 'utf8'), 'B edited by hand\n');
	const state = JSON.parse(await readFile(path.join(appDir, '.berth.json'), 'utf8'));
	assert.deepEqual(state.answers, {title: 'Shop'});
	// The answer is remembered: a plain re-run keeps "Shop" and changes nothing.
	assert.equal((await planScaffold(options)).changes, false);
});

test('an existing .env is kept; keys it lacks and ignored secret --set values are warned about', async () => {
	const manifest = {
		variables: [
			{name: 'title', default: 'Hello', env: 'TITLE'},
			{name: 'pw', secret: true, env: 'PW'},
		],
	};
	const {options, appDir} = await setup(manifest);
	await mkdir(appDir, {recursive: true});
	await writeFile(path.join(appDir, '.env'), 'PROJECT_NAME=m-app1\nexport PW=mine\n');
	const plan = await planScaffold({...options, answers: {pw: 'newsecret'}});
	assert.equal(plan.files.find(f => f.path === '.env')!.action, 'skip');
	assert.deepEqual(plan.warnings, [
		'.env exists and lacks COMPOSE_PROJECT_NAME, WEB_PORT, TITLE: add them (see .env.example); berth never rewrites .env',
		'--set pw ignored: .env exists and keeps its secrets; edit .env to change them',
	]);
	await commitPlan(plan);
	assert.equal(await readFile(path.join(appDir, '.env'), 'utf8'), 'PROJECT_NAME=m-app1\nexport PW=mine\n');
});

test('a plugin whose files/ holds a symlink or ships .env is refused, naming the file', async () => {
	const {options} = await setup();
	await symlink('/etc/passwd', path.join(options.plugin.dir, 'files', 'passwd'));
	await assert.rejects(planScaffold(options), /files\/passwd: symbolic links are not allowed in files\//);
	const {options: withEnv} = await setup({}, {'.env': 'X=1\n'});
	await assert.rejects(planScaffold(withEnv), /files\/\.env: \.env is written by berth itself/);
});

test('plan fails clearly when the renderer does not return every template it was asked for', async () => {
	const {options} = await setup();
	await assert.rejects(
		planScaffold({...options, renderer: async () => new Map()}),
		/files\/docker-compose\.yml\.eta: the template renderer returned no text for this template/,
	);
});
