import assert from 'node:assert/strict';
import {mkdir, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

test('ls lists models and apps with flavour, ports, project and compose presence; odd folders are warnings', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'generated', 'apps');
	const store = path.join(dir, 'ports.json');
	await mkdir(path.join(root, 'anthropic_claude-3.7-sonnet', 'app1'), {recursive: true});
	await mkdir(path.join(root, 'anthropic_claude-3.7-sonnet', 'app2'), {recursive: true});
	await mkdir(path.join(root, 'anthropic_claude-3.7-sonnet', 'notes'), {recursive: true});
	await mkdir(path.join(root, 'openai_gpt-4o', 'app10'), {recursive: true});
	await mkdir(path.join(root, 'Not A Model'), {recursive: true});
	await writeFile(path.join(root, 'anthropic_claude-3.7-sonnet', 'app1', 'docker-compose.yml'), 'services: {}\n');
	const allocated = await runCli(['ports', 'allocate', 'anthropic_claude-3.7-sonnet/app1', '--store', store, '--root', root]);
	assert.equal(allocated.exitCode, 0, allocated.stderr);
	// Written after the allocation (which would keep a name pinned here): the store's name wins.
	await writeFile(
		path.join(root, 'anthropic_claude-3.7-sonnet', 'app1', '.berth.json'),
		JSON.stringify({
			schema: 1,
			flavour: {id: 'react-flask', version: '1.0.0'},
			answers: {},
			ports: {},
			projectName: 'x',
			files: {},
			createdAt: '',
			updatedAt: '',
		}),
	);

	// Run from the parent of generated/: the default root is ./generated/apps.
	const result = await runCli(['ls', '--json', '--store', store], {cwd: dir});
	assert.equal(result.exitCode, 0, result.stderr);
	const listing = parseJson<{root: string; models: {id: string; apps: Record<string, unknown>[]}[]; warnings: string[]}>(result);
	assert.equal(listing.root, root);
	assert.deepEqual(
		listing.models.map(m => [m.id, m.apps.map(a => a['id'])]),
		[
			['anthropic_claude-3.7-sonnet', ['anthropic_claude-3.7-sonnet/app1', 'anthropic_claude-3.7-sonnet/app2']],
			['openai_gpt-4o', ['openai_gpt-4o/app10']],
		],
	);
	assert.deepEqual(listing.models[0]!.apps[0], {
		id: 'anthropic_claude-3.7-sonnet/app1',
		model: 'anthropic_claude-3.7-sonnet',
		number: 1,
		path: path.join(root, 'anthropic_claude-3.7-sonnet', 'app1'),
		flavour: 'react-flask',
		ports: {backend: 5001, frontend: 8001},
		projectName: 'anthropic-claude-3-7-sonnet-app1',
		hasCompose: true,
	});
	assert.equal(listing.models[0]!.apps[1]!['hasCompose'], false);
	assert.equal(listing.models[0]!.apps[1]!['ports'], null);
	assert.equal(listing.warnings.length, 2);
	assert.match(result.stderr, /Not A Model.*not a valid model id/);
	assert.match(result.stderr, /notes: app folders are named app<N>/);

	const text = await runCli(['ls', '--store', store, '--root', root]);
	assert.match(text.stdout, /anthropic_claude-3\.7-sonnet \(2 apps\)/);
	assert.match(text.stdout, /app1 +react-flask +backend:5001 frontend:8001 +anthropic-claude-3-7-sonnet-app1 +compose/);

	const missing = await runCli(['ls', '--json', '--store', store, '--root', path.join(dir, 'nowhere')]);
	assert.equal(missing.exitCode, 0);
	assert.deepEqual(parseJson<{models: unknown[]}>(missing).models, []);
	assert.match(missing.stderr, /does not exist yet/);
});

test('ls reports symlinked model and app folders as warnings instead of dropping them silently', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const elsewhere = path.join(dir, 'elsewhere');
	await mkdir(path.join(elsewhere, 'app1'), {recursive: true});
	await mkdir(path.join(root, 'real_model', 'app1'), {recursive: true});
	await symlink(path.join(elsewhere, 'app1'), path.join(root, 'real_model', 'app2'));
	await symlink(elsewhere, path.join(root, 'linked_model'));
	const result = await runCli(['ls', '--json', '--root', root, '--store', path.join(dir, 'ports.json')]);
	assert.equal(result.exitCode, 0, result.stderr);
	const listing = parseJson<{models: {id: string; apps: {id: string}[]}[]; warnings: string[]}>(result);
	assert.deepEqual(
		listing.models.map(m => [m.id, m.apps.map(a => a.id)]),
		[['real_model', ['real_model/app1']]],
	);
	assert.deepEqual(listing.warnings, [
		`${path.join(root, 'linked_model')} is a symlink: berth does not follow symlinks in the apps root (skipped; move the folder here instead)`,
		`${path.join(root, 'real_model', 'app2')} is a symlink: berth does not follow symlinks in the apps root (skipped; move the folder here instead)`,
	]);
	const text = await runCli(['ls', '--root', root, '--store', path.join(dir, 'ports.json')]);
	assert.match(text.stderr, /linked_model is a symlink: berth does not follow symlinks in the apps root/);
});

test('BERTH_ROOT and BERTH_STORE are honoured', async () => {
	const dir = await tempDir();
	await mkdir(path.join(dir, 'r', 'm', 'app4'), {recursive: true});
	const result = await runCli(['ls', '--json'], {env: {BERTH_ROOT: path.join(dir, 'r'), BERTH_STORE: path.join(dir, 's.json')}});
	assert.deepEqual(
		parseJson<{models: {apps: {id: string}[]}[]}>(result).models[0]!.apps.map(a => a.id),
		['m/app4'],
	);
});
