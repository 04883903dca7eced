import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {ROOT} from '../../helpers/runtime.ts';
import {BUILTIN_PLUGINS_DIR, SHARED_TEMPLATES_DIR, loadRegistry} from '../../../source/core/plugins/registry.ts';
import {UsageError} from '../../../source/core/errors.ts';
import {makePlugin} from './make-plugin.ts';

test('the built-in plugins and templates folders are found relative to the module', () => {
	assert.equal(BUILTIN_PLUGINS_DIR, path.join(ROOT, 'plugins'));
	assert.equal(SHARED_TEMPLATES_DIR, path.join(ROOT, 'templates'));
});

test('built-in flavours are listed and valid', async () => {
	const dir = await tempDir();
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: path.join(dir, 'config')}});
	assert.deepEqual(
		registry.usable().map(p => p.id),
		['fastapi-vite', 'multi-db-seeder', 'react-flask'],
	);
	for (const info of registry.plugins) {
		assert.equal(info.source, 'builtin');
		assert.equal(info.error, null, `${info.id}: ${info.error}`);
	}
});

test('discovery order builtin < user < workspace < --plugin; later overrides earlier, and it is reported', async () => {
	const dir = await tempDir();
	const config = path.join(dir, 'config');
	const user = await makePlugin(path.join(config, 'berth', 'plugins'), 'react-flask', {version: '9.0.0'});
	const workspace = await makePlugin(path.join(dir, '.berth', 'plugins'), 'shared-one', {version: '1.0.0'});
	const flag = await makePlugin(path.join(dir, 'mine'), 'shared-one', {version: '2.0.0'});
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: config}, pluginDirs: [flag]});
	assert.equal(registry.get('react-flask').version, '9.0.0');
	assert.equal(registry.get('react-flask').dir, user);
	const builtin = registry.plugins.find(p => p.id === 'react-flask' && p.source === 'builtin');
	assert.equal(builtin?.overriddenBy, user);
	assert.equal(registry.get('shared-one').version, '2.0.0');
	assert.equal(registry.plugins.find(p => p.dir === workspace)?.overriddenBy, flag);
	assert.deepEqual(
		registry.plugins.map(p => p.source),
		['builtin', 'builtin', 'builtin', 'user', 'workspace', 'flag'],
	);
});

test('--plugin accepts a plugin folder or a folder of plugins; a bad one is listed with its error', async () => {
	const dir = await tempDir();
	const many = path.join(dir, 'many');
	await makePlugin(many, 'one');
	await makePlugin(many, 'two');
	await mkdir(path.join(many, 'not-a-plugin'));
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: dir}, pluginDirs: [many, path.join(dir, 'missing')]});
	assert.ok(registry.get('one') && registry.get('two'));
	const missing = registry.plugins.find(p => p.source === 'flag' && p.error);
	assert.match(missing?.error ?? '', /--plugin .*missing: no such folder/);
});

test('a broken plugin is listed with an error naming file and field, and does not hide the others', async () => {
	const dir = await tempDir();
	const plugins = path.join(dir, '.berth', 'plugins');
	const broken = await makePlugin(plugins, 'broken', {ports: [{slot: 'web', base: 20001, container: 'eighty'}]});
	await makePlugin(plugins, 'fine');
	const future = await makePlugin(plugins, 'future', {berth: '>=99.0.0'});
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: dir}});
	const info = registry.plugins.find(p => p.dir === broken);
	assert.equal(info?.id, 'broken');
	assert.match(info?.error ?? '', new RegExp(`${path.join(broken, 'berth-plugin.json').replace(/[.]/g, '\\.')}: ports\\[0\\]\\.container: `));
	assert.equal(registry.get('fine').id, 'fine');
	assert.match(registry.plugins.find(p => p.dir === future)?.error ?? '', /supports berth >=99\.0\.0/);
	assert.throws(() => registry.get('broken'), /flavour "broken" cannot be used: .*ports\[0\]\.container/);
});

test('an unknown flavour is a usage error listing the available ones', async () => {
	const dir = await tempDir();
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: dir}});
	assert.throws(
		() => registry.get('django'),
		(error: unknown) => error instanceof UsageError && /unknown flavour "django"\. Available: fastapi-vite, multi-db-seeder, react-flask/.test(error.message),
	);
});

test('listing executes no plugin code: a manifest cannot run anything', async () => {
	const dir = await tempDir();
	const marker = path.join(dir, 'ran');
	const plugin = await makePlugin(path.join(dir, '.berth', 'plugins'), 'sneaky');
	await writeFile(path.join(plugin, 'index.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`);
	await writeFile(path.join(plugin, 'package.json'), JSON.stringify({main: 'index.js', type: 'commonjs'}));
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: dir}});
	assert.equal(registry.get('sneaky').id, 'sneaky');
	await assert.rejects(import('node:fs/promises').then(fs => fs.access(marker)));
});
