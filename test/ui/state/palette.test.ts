import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parsePalette} from '../../../source/ui/state/palette.ts';

test('palette words map to keymap commands', () => {
	assert.deepEqual(parsePalette('up'), {command: 'start', argument: ''});
	assert.deepEqual(parsePalette(' Down '), {command: 'compose-down', argument: ''});
	assert.deepEqual(parsePalette('goto model-002/app3'), {command: 'focus', argument: 'model-002/app3'});
	assert.deepEqual(parsePalette('filter flask app'), {command: 'filter', argument: 'flask app'});
	const unknown = parsePalette('launch');
	assert.ok('error' in unknown && unknown.error.startsWith('unknown command "launch"'));
	assert.ok('error' in parsePalette('goto'));
});

test('reload is a palette word: the apps root and the store scanned again, as R does', () => {
	assert.deepEqual(parsePalette('reload'), {command: 'reload', argument: ''});
});
