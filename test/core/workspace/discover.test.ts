import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, symlink} from 'node:fs/promises';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {discoverWorkspace} from '../../../source/core/workspace/discover.ts';
import type {StoreDocument} from '../../../source/core/ports/allocator.ts';

test('symlinked model and app folders are warned about (once each), never followed, never listed', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	await mkdir(path.join(dir, 'elsewhere', 'app1'), {recursive: true});
	await mkdir(path.join(root, 'm', 'app1'), {recursive: true});
	await symlink(path.join(dir, 'elsewhere', 'app1'), path.join(root, 'm', 'app3'));
	await symlink(path.join(dir, 'elsewhere'), path.join(root, 'linked'));
	const allocation = (model: string, app: number) => ({
		model,
		app,
		ports: {web: 20000 + app},
		projectName: `${model}-app${app}`,
		appPath: path.join(root, model, `app${app}`),
		createdAt: '',
		engine: 'default',
	});
	const store: StoreDocument = {version: 1, allocations: [allocation('m', 3), allocation('linked', 1), allocation('m', 7)]};
	const workspace = await discoverWorkspace(root, store);
	assert.deepEqual(
		workspace.models.map(m => [m.id, m.apps.map(a => a.number)]),
		[['m', [1]]],
	);
	assert.deepEqual(workspace.warnings, [
		`${path.join(root, 'linked')} is a symlink: berth does not follow symlinks in the apps root (skipped; move the folder here instead)`,
		`${path.join(root, 'm', 'app3')} is a symlink: berth does not follow symlinks in the apps root (skipped; move the folder here instead)`,
		`m/app7 has ports allocated in the store but no folder ${path.join(root, 'm', 'app7')}`,
	]);
});
