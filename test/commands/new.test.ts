import {test} from 'node:test';
import {execa} from 'execa';
import assert from 'node:assert/strict';
import {access, readFile, readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {runCli, parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {ROOT} from '../helpers/runtime.ts';
import {dockerTestOptions} from '../helpers/docker.ts';
import {runCompose} from '../helpers/compose.ts';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'plugins', 'busybox-test');

async function workspace() {
	const dir = await tempDir();
	const env = {XDG_CONFIG_HOME: path.join(dir, 'config'), BERTH_STORE: path.join(dir, 'ports.json'), BERTH_ROOT: path.join(dir, 'apps')};
	return {dir, env, root: path.join(dir, 'apps')};
}

interface NewJson {
	app: string;
	projectName: string;
	ports: Record<string, number>;
	changed: boolean;
	files: {path: string; action: string; write: boolean}[];
}

test('berth new scaffolds the busybox-test fixture; a second run changes nothing and says so', async () => {
	const {env, root} = await workspace();
	const first = await runCli(['new', 'm1/app1', '--flavour', 'busybox-test', '--plugin', FIXTURE, '--json'], {env});
	assert.equal(first.exitCode, 0, first.stderr);
	const json = parseJson<NewJson>(first);
	assert.equal(json.changed, true);
	assert.deepEqual(
		json.files.map(f => `${f.action} ${f.path}`),
		['create README.md', 'create docker-compose.yml', 'create .env.example', 'create .env'],
	);
	const appDir = path.join(root, 'm1', 'app1');
	const compose = await readFile(path.join(appDir, 'docker-compose.yml'), 'utf8');
	assert.match(compose, new RegExp(`container_name: ${json.projectName}-web`));
	assert.match(compose, new RegExp(`"127\\.0\\.0\\.1:\\$\\{BACKEND_PORT:-${json.ports['backend']}\\}:8080"`));
	assert.equal((await stat(path.join(appDir, '.env'))).mode & 0o777, 0o600);

	const second = await runCli(['new', 'm1/app1', '--plugin', FIXTURE], {env});
	assert.equal(second.exitCode, 0, second.stderr);
	assert.match(second.stdout, /identical +docker-compose\.yml/);
	assert.match(second.stdout, /skip +\.env — exists/);
	assert.match(second.stdout, /Nothing changed: m1\/app1 is up to date\./);
});

test('berth new <model> takes the next free app number; --plugin also accepts a folder of plugins', async () => {
	const {env, root} = await workspace();
	for (const expected of ['m1/app1', 'm1/app2']) {
		const result = await runCli(['new', 'm1', '--flavour', 'busybox-test', '--plugin', path.dirname(FIXTURE), '--json'], {env});
		assert.equal(result.exitCode, 0, result.stderr);
		assert.equal(parseJson<NewJson>(result).app, expected);
	}
	assert.deepEqual((await readdir(path.join(root, 'm1'))).sort(), ['app1', 'app2']);
});

test('--dry-run prints the plan and writes nothing, not even the port store', async () => {
	const {dir, env} = await workspace();
	const result = await runCli(['new', 'm1/app1', '--flavour', 'react-flask', '--dry-run'], {env});
	assert.equal(result.exitCode, 0, result.stderr);
	assert.match(result.stdout, /create +backend\/Dockerfile/);
	assert.match(result.stdout, /Dry run: nothing written/);
	assert.deepEqual(
		(await readdir(dir)).filter(name => name !== 'config'),
		[],
	);
});

test('bad input: exit 2, a clear message, nothing written', async () => {
	const {dir, env} = await workspace();
	const cases: [string[], RegExp][] = [
		[['new', 'm1/app1', '--flavour', 'django'], /unknown flavour "django"\. Available: fastapi-vite, multi-db-seeder, react-flask/],
		[
			['new', 'm1/app1', '--flavour', 'react-flask', '--set', 'colour=red'],
			/flavour react-flask has no variable "colour"\. Its variables: appTitle, gunicornWorkers/,
		],
		[['new', 'm1/app1', '--flavour', 'react-flask', '--set', 'gunicornWorkers=many'], /--set gunicornWorkers: expected a number/],
		[['new', 'm1/app1', '--flavour', 'react-flask', '--set', 'novalue'], /invalid --set "novalue": write it as --set key=value/],
		[['new', 'm1/app1'], /missing --flavour\. Available: fastapi-vite, multi-db-seeder, react-flask/],
		[['new', 'Bad Model/app1', '--flavour', 'react-flask'], /invalid model id/],
	];
	for (const [args, message] of cases) {
		const result = await runCli(args, {env});
		assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.stderr}`);
		assert.match(result.stderr, message);
	}
	assert.deepEqual(
		(await readdir(dir)).filter(name => name !== 'config'),
		[],
	);
});

test('an invalid manifest: exit 1, the error names the file and the field, nothing written', async () => {
	const {dir, env} = await workspace();
	const {mkdir, writeFile} = await import('node:fs/promises');
	const plugin = path.join(dir, 'bad');
	await mkdir(path.join(plugin, 'files'), {recursive: true});
	await writeFile(
		path.join(plugin, 'berth-plugin.json'),
		JSON.stringify({
			schemaVersion: 1,
			id: 'bad',
			name: 'Bad',
			description: 'x',
			version: '1.0.0',
			berth: '>=0.1.0',
			ports: [{slot: 'web', base: 80, container: 80}],
		}),
	);
	const result = await runCli(['new', 'm1/app1', '--flavour', 'bad', '--plugin', plugin], {env});
	assert.equal(result.exitCode, 1);
	assert.match(
		result.stderr,
		new RegExp(`flavour "bad" cannot be used: ${path.join(plugin, 'berth-plugin.json').replace(/\./g, '\\.')}: ports\\[0\\]\\.base: `),
	);
	await assert.rejects(access(path.join(dir, 'apps')));
	await assert.rejects(access(path.join(dir, 'ports.json')));
});

test('an app folder that is a symlink: exit 1, a clear error, nothing written where it points or in the store', async () => {
	const {dir, env, root} = await workspace();
	const {mkdir, symlink} = await import('node:fs/promises');
	const elsewhere = path.join(dir, 'elsewhere');
	await mkdir(elsewhere);
	await mkdir(path.join(root, 'm1'), {recursive: true});
	await symlink(elsewhere, path.join(root, 'm1', 'app1'));
	const result = await runCli(['new', 'm1/app1', '--flavour', 'busybox-test', '--plugin', FIXTURE], {env});
	assert.equal(result.exitCode, 1, result.stdout);
	assert.match(result.stderr, new RegExp(`${path.join(root, 'm1', 'app1').replace(/\./g, '\\.')} is a symbolic link; berth does not write through links`));
	assert.deepEqual(await readdir(elsewhere), []);
	await assert.rejects(access(path.join(dir, 'ports.json')));
});

// Unique per run: container names derive from the project, and other suites may run at the same time.
const MODEL = `bb-${process.pid}`;

test('the busybox-test app runs: web healthy on its allocated 127.0.0.1 port, worker printing lines', await dockerTestOptions(), async () => {
	const {env, root} = await workspace();
	const result = await runCli(['new', `${MODEL}/app1`, '--flavour', 'busybox-test', '--plugin', FIXTURE, '--json'], {env});
	assert.equal(result.exitCode, 0, result.stderr);
	const {projectName, ports} = parseJson<NewJson>(result);
	const appDir = path.join(root, MODEL, 'app1');
	// The compose berth would use (BERTH_COMPOSE, else v2, else v1): the scaffold must run under each.
	const compose = (...args: string[]) =>
		runCompose(['-p', projectName, '--project-directory', appDir, '-f', path.join(appDir, 'docker-compose.yml'), ...args], {cwd: appDir});
	// try/finally, not after(): the temp folder (with the compose file) is removed by an after() hook.
	try {
		const up = await compose('up', '-d');
		assert.equal(up.exitCode, 0, String(up.stderr));
		let body = '';
		for (let i = 0; i < 60 && body !== 'ok\n'; i++) {
			body = await fetch(`http://127.0.0.1:${ports['backend']}/`).then(
				r => r.text(),
				() => '',
			);
			if (body !== 'ok\n') await new Promise(resolve => setTimeout(resolve, 250));
		}
		assert.equal(body, 'ok\n');
		let logs = '';
		for (let i = 0; i < 40 && !/worker line 2/.test(logs); i++) {
			logs = String((await compose('logs', '--no-color', 'worker')).stdout);
			if (!/worker line 2/.test(logs)) await new Promise(resolve => setTimeout(resolve, 250));
		}
		assert.match(logs, /worker line 1\n[\s\S]*worker line 2/);
		const health = await execa('docker', ['inspect', '--format', '{{.State.Health.Status}}', `${projectName}-web`]);
		assert.equal(String(health.stdout).trim(), 'healthy');
	} finally {
		const down = await compose('down', '--timeout', '1');
		assert.equal(down.exitCode, 0, String(down.stderr));
	}
});
