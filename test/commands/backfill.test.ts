import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, readFile, readdir, stat, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {runCli, parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

interface BackfillJson {
	dryRun: boolean;
	apps: {
		app: string;
		status: string;
		flavour: string | null;
		added: string[];
		kept: {path: string; reason: string}[];
		reason?: string;
		ports?: Record<string, number>;
	}[];
	summary: Record<string, number>;
}

/** Apps "generated elsewhere": code only, no Docker files. */
async function generatedApps(root: string): Promise<void> {
	for (const [model, n] of [
		['gen-a', 1],
		['gen-a', 2],
		['gen-b', 1],
	] as const) {
		const app = path.join(root, model, `app${n}`);
		await mkdir(path.join(app, 'backend'), {recursive: true});
		await mkdir(path.join(app, 'frontend', 'src'), {recursive: true});
		await writeFile(path.join(app, 'backend', 'app.py'), `# generated code of ${model}/app${n}\n`);
		await writeFile(path.join(app, 'frontend', 'src', 'App.jsx'), 'export default () => null;\n');
	}
}

async function snapshot(dir: string): Promise<Record<string, string>> {
	const result: Record<string, string> = {};
	for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
		if (entry.isFile()) result[path.relative(dir, path.join(entry.parentPath, entry.name))] = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
	}
	return result;
}

test('backfill adds the Docker files to generated apps without touching their code; dry run first; then idempotent', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const env = {XDG_CONFIG_HOME: dir, BERTH_STORE: path.join(dir, 'ports.json'), BERTH_ROOT: root};
	await generatedApps(root);
	const before = await snapshot(root);

	const dry = await runCli(['backfill', '--flavour', 'react-flask', '--dry-run', '--json'], {env});
	assert.equal(dry.exitCode, 0, dry.stderr);
	const dryJson = parseJson<BackfillJson>(dry);
	assert.deepEqual(
		dryJson.apps.map(a => `${a.app} ${a.status}`),
		['gen-a/app1 would-change', 'gen-a/app2 would-change', 'gen-b/app1 would-change'],
	);
	assert.ok(dryJson.apps[0]!.added.includes('backend/Dockerfile'));
	assert.deepEqual(await snapshot(root), before, 'the dry run changed files');

	const run = await runCli(['backfill', '--flavour', 'react-flask'], {env});
	assert.equal(run.exitCode, 0, run.stderr);
	assert.match(run.stdout, /gen-a\/app1 changed \(react-flask\): added .*backend\/Dockerfile/);
	assert.match(run.stdout, /3 app\(s\): 3 changed, 0 unchanged, 0 skipped, 0 failed\./);
	const after = await snapshot(root);
	for (const [file, content] of Object.entries(before)) assert.equal(after[file], content, `${file} was touched`);
	const added = Object.keys(after)
		.filter(f => f.startsWith('gen-a/app1/') && !(f in before))
		.map(f => f.slice('gen-a/app1/'.length))
		.sort();
	assert.deepEqual(added, [
		'.berth.json',
		'.env',
		'.env.example',
		'backend/.dockerignore',
		'backend/Dockerfile',
		'docker-compose.yml',
		'frontend/.dockerignore',
		'frontend/Dockerfile',
		'frontend/nginx.conf',
	]);
	assert.equal((await stat(path.join(root, 'gen-a/app1/.env'))).mode & 0o777, 0o600);

	const again = await runCli(['backfill', '--json'], {env});
	assert.equal(again.exitCode, 0, again.stderr);
	assert.deepEqual(parseJson<BackfillJson>(again).summary, {changed: 0, unchanged: 3, 'would-change': 0, skipped: 0, failed: 0});
});

test('backfill --model, a Docker file edited by hand is kept (reported), apps without a flavour are skipped', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const env = {XDG_CONFIG_HOME: dir, BERTH_STORE: path.join(dir, 'ports.json'), BERTH_ROOT: root};
	await generatedApps(root);
	await writeFile(path.join(root, 'gen-a', 'app1', 'backend', 'Dockerfile'), 'FROM my-own-image\n');
	const result = await runCli(['backfill', '--model', 'gen-a', '--flavour', 'fastapi-vite', '--json'], {env});
	assert.equal(result.exitCode, 0, result.stderr);
	const json = parseJson<BackfillJson>(result);
	assert.deepEqual(
		json.apps.map(a => a.app),
		['gen-a/app1', 'gen-a/app2'],
	);
	assert.deepEqual(json.apps[0]!.kept, [{path: 'backend/Dockerfile', reason: 'differs: kept (use --force to overwrite)'}]);
	assert.equal(await readFile(path.join(root, 'gen-a', 'app1', 'backend', 'Dockerfile'), 'utf8'), 'FROM my-own-image\n');
	const ports = json.apps.map(a => a.ports!['backend']);
	assert.notEqual(ports[0], ports[1]);

	const noFlavour = await runCli(['backfill', '--model', 'gen-b', '--json'], {env});
	assert.equal(noFlavour.exitCode, 0);
	assert.equal(parseJson<BackfillJson>(noFlavour).apps[0]!.status, 'skipped');
	const other = await runCli(['backfill', '--model', 'gen-a', '--flavour', 'react-flask', '--json'], {env});
	assert.match(parseJson<BackfillJson>(other).apps[0]!.reason ?? '', /scaffolded with flavour fastapi-vite, not react-flask/);
	const unknown = await runCli(['backfill', '--flavour', 'nope'], {env});
	assert.equal(unknown.exitCode, 2);
	assert.match(unknown.stderr, /unknown flavour "nope"/);
});

test('backfill says which folders it passed over: a symlinked app is a warning, and nothing is written through it', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	await generatedApps(root);
	const elsewhere = path.join(dir, 'elsewhere');
	await mkdir(elsewhere);
	await symlink(elsewhere, path.join(root, 'gen-a', 'app3'));
	const args = ['backfill', '--flavour', 'react-flask', '--root', root, '--store', path.join(dir, 'ports.json')];
	const text = await runCli(args);
	assert.equal(text.exitCode, 0, text.stderr);
	assert.match(text.stdout, /warning: .*gen-a\/app3.* is a symlink/);
	const json = parseJson<BackfillJson & {warnings: string[]}>(await runCli([...args, '--json']));
	assert.ok(
		json.warnings.some(w => /gen-a\/app3.* is a symlink/.test(w)),
		JSON.stringify(json.warnings),
	);
	assert.deepEqual(json.apps.map(a => a.app).sort(), ['gen-a/app1', 'gen-a/app2', 'gen-b/app1']);
	assert.deepEqual(await readdir(elsewhere), [], 'nothing was written through the symlink');
});
