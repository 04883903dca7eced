import {test} from 'node:test';
import assert from 'node:assert/strict';
import {selectCompose, type ComposeDetection} from '../../../source/core/compose/detect.ts';

const v1 = {flavour: 'v1' as const, version: '1.29.2', command: ['docker-compose'] as [string]};
const v2 = {flavour: 'v2' as const, version: '2.29.1', command: ['docker', 'compose'] as [string, string]};

test('v2 is preferred, v1 is the fallback, BERTH_COMPOSE forces one', () => {
	const both: ComposeDetection = {v1, v2, selected: v2};
	assert.equal(selectCompose(both, {}), v2);
	assert.equal(selectCompose(both, {BERTH_COMPOSE: 'v1'}), v1);
	assert.equal(selectCompose({v1, v2: null, selected: v1}, {}), v1);
	assert.equal(selectCompose({v1, v2: null, selected: v1}, {BERTH_COMPOSE: 'v2'}), null, 'forcing a missing binary finds none');
	assert.equal(selectCompose({v1: null, v2: null, selected: null}, {}), null);
});
