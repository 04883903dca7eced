import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {AppModel} from '../../../source/core/compose/model.ts';
import {modelWarnings} from '../../../source/core/compose/workspace-models.ts';

test("modelWarnings: a remark about the user's override names the override, not the compose file in front of it", () => {
	const files = ['/apps/m/app1/docker-compose.yml', '/apps/m/app1/docker-compose.override.yml'];
	const model: AppModel = {
		files,
		source: 'compose v2 2.26.1',
		services: [],
		config: {},
		error: null,
		// As model-load words compose v2's remark about the override's obsolete `version`.
		warnings: [`compose: ${files[1]}: the attribute \`version\` is obsolete, it will be ignored`, `${files[0]}: compose: The "X" variable is not set.`],
		declaredName: null,
	};
	assert.deepEqual(
		modelWarnings({id: 'm/app1', composeFile: files[0]!}, model).map(w => w.message),
		[`compose: ${files[1]}: the attribute \`version\` is obsolete, it will be ignored`, `${files[0]}: compose: The "X" variable is not set.`],
	);
});
