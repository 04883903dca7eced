import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import envPaths from 'env-paths';
import {berthPaths} from '../../source/core/config.ts';

// berth names its folders as the env-paths package does, without loading it (start-up cost, config.ts).

test('berthPaths: the folders env-paths names on this platform; XDG_* from the given environment win', () => {
	const expected = envPaths('berth', {suffix: ''});
	const env = {...process.env};
	delete env['XDG_DATA_HOME'];
	delete env['XDG_CONFIG_HOME'];
	if (process.platform !== 'win32' && process.platform !== 'darwin') {
		// env-paths reads XDG_* from process.env itself: compare with them unset.
		const saved = {data: process.env['XDG_DATA_HOME'], config: process.env['XDG_CONFIG_HOME']};
		delete process.env['XDG_DATA_HOME'];
		delete process.env['XDG_CONFIG_HOME'];
		try {
			const unset = envPaths('berth', {suffix: ''});
			assert.deepEqual(berthPaths(env), {data: unset.data, config: unset.config});
		} finally {
			if (saved.data !== undefined) process.env['XDG_DATA_HOME'] = saved.data;
			if (saved.config !== undefined) process.env['XDG_CONFIG_HOME'] = saved.config;
		}
	} else {
		assert.deepEqual(berthPaths(env), {data: expected.data, config: expected.config});
	}
	assert.equal(berthPaths(env).data.startsWith(os.homedir()), true);
	const xdg = path.join(os.tmpdir(), 'xdg');
	assert.deepEqual(berthPaths({...env, XDG_DATA_HOME: path.join(xdg, 'data')}), {
		data: path.join(xdg, 'data', 'berth'),
		config: berthPaths(env).config,
	});
	assert.deepEqual(berthPaths({...env, XDG_CONFIG_HOME: path.join(xdg, 'config')}).config, path.join(xdg, 'config', 'berth'));
});
