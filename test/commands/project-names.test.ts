import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

interface NameConflict {
	kind: string;
	projectName: string;
	apps: string[];
	message: string;
}

async function stateFile(dir: string, projectName: string): Promise<void> {
	await mkdir(dir, {recursive: true});
	await writeFile(
		path.join(dir, '.berth.json'),
		JSON.stringify({schema: 1, flavour: {id: 'x', version: '1.0.0'}, answers: {}, ports: {}, projectName, files: {}, createdAt: '', updatedAt: ''}),
	);
}

test('ls and ports check report apps that share a project name made by hand; ports check exits 1', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const env = {BERTH_ROOT: root, BERTH_STORE: store};
	// Two .berth.json files edited to one name, and two store allocations (one outside this root) sharing another.
	await stateFile(path.join(root, 'a', 'app1'), 'shared-app1');
	await stateFile(path.join(root, 'b', 'app1'), 'shared-app1');
	await mkdir(path.join(root, 'c', 'app1'), {recursive: true});
	const allocation = (model: string, appPath: string, backend: number) => ({
		model,
		app: 1,
		ports: {backend},
		projectName: 'dup-app1',
		appPath,
		createdAt: '2026-01-01T00:00:00.000Z',
	});
	await writeFile(
		store,
		JSON.stringify({
			version: 1,
			allocations: [allocation('c', path.join(root, 'c', 'app1'), 47_001), allocation('d', path.join(dir, 'elsewhere', 'd', 'app1'), 47_003)],
		}),
	);

	const expected = [
		{projectName: 'dup-app1', apps: ['c/app1', 'd/app1']},
		{projectName: 'shared-app1', apps: ['a/app1', 'b/app1']},
	];
	const pick = (conflicts: NameConflict[]) => conflicts.filter(c => c.kind === 'shared-project-name').map(c => ({projectName: c.projectName, apps: c.apps}));

	const check = await runCli(['ports', 'check', '--json'], {env});
	assert.equal(check.exitCode, 1, check.stdout + check.stderr);
	const report = parseJson<{ok: boolean; conflicts: NameConflict[]}>(check);
	assert.equal(report.ok, false);
	assert.deepEqual(pick(report.conflicts), expected);

	const text = await runCli(['ports', 'check'], {env});
	assert.equal(text.exitCode, 1);
	assert.match(text.stdout, /conflict compose project name shared-app1 is shared by a\/app1 and b\/app1: "berth up" of one replaces the other's containers/);
	assert.match(text.stdout, /conflict compose project name dup-app1 is shared by c\/app1 and d\/app1/);

	const ls = await runCli(['ls', '--json'], {env});
	assert.equal(ls.exitCode, 0, ls.stderr);
	assert.deepEqual(pick(parseJson<{conflicts: NameConflict[]}>(ls).conflicts), expected);
	const lsText = await runCli(['ls'], {env});
	assert.match(lsText.stderr, /warning: conflict: compose project name shared-app1 is shared by a\/app1 and b\/app1/);
	assert.match(lsText.stderr, /warning: conflict: compose project name dup-app1 is shared by c\/app1 and d\/app1/);
});

test('no conflict is reported for apps whose models differ only in "." and "-"', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const env = {BERTH_ROOT: root, BERTH_STORE: path.join(dir, 'ports.json')};
	for (const model of ['rtcol.x', 'rtcol-x']) await mkdir(path.join(root, model, 'app1'), {recursive: true});
	const allocated = await runCli(['ports', 'allocate', 'rtcol.x/app1', '--slot', 'backend=47101:2', '--json'], {env});
	assert.equal(allocated.exitCode, 0, allocated.stderr);
	assert.match(parseJson<{projectName: string}>(allocated).projectName, /^rtcol-x_[0-9a-f]{8}-app1$/);
	const check = await runCli(['ports', 'check', '--json'], {env});
	assert.equal(check.exitCode, 0, check.stdout);
	const ls = parseJson<{models: {apps: {id: string; projectName: string}[]}[]; conflicts: unknown[]}>(await runCli(['ls', '--json'], {env}));
	assert.deepEqual(ls.conflicts, []);
	const names = ls.models.flatMap(m => m.apps.map(a => a.projectName));
	assert.equal(new Set(names).size, 2, JSON.stringify(names));
});
