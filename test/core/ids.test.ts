import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseAppRef, parseModelId, appFolderNumber, modelIdProblem} from '../../source/core/ids.ts';
import {baseProjectName as projectName} from '../../source/core/project-names.ts';
import {UsageError} from '../../source/core/errors.ts';

test('model ids follow the slug rule and reject paths', () => {
	assert.equal(parseModelId('anthropic_claude-3.7-sonnet'), 'anthropic_claude-3.7-sonnet');
	for (const bad of ['', '.', '..', '../x', 'a/b', 'a\\b', '/abs', 'Upper', '-lead', 'a..b', 'x'.repeat(129), 'sp ace']) {
		assert.throws(() => parseModelId(bad), UsageError, `accepted ${JSON.stringify(bad)}`);
	}
	assert.equal(modelIdProblem('x'.repeat(128)), null);
});

test('app references are <model>/app<N> with N a positive integer', () => {
	assert.deepEqual(parseAppRef('openai_gpt-4o/app12'), {model: 'openai_gpt-4o', number: 12});
	for (const bad of ['m/app0', 'm/app-1', 'm/app1.5', 'm/app', 'm/foo1', 'm', '/app1', 'm/app01', '../m/app1', 'm/app99999999999999999999']) {
		assert.throws(
			() => parseAppRef(bad),
			(error: unknown) => error instanceof UsageError && error.exitCode === 2,
			`accepted ${bad}`,
		);
	}
	const error = (() => {
		try {
			parseAppRef('m/app0');
		} catch (e) {
			return e as Error;
		}
	})();
	assert.match(error!.message, /positive integer/);
});

test('compose project names are sanitised and unique per app', () => {
	assert.equal(projectName({model: 'anthropic_claude-3.7-sonnet', number: 1}), 'anthropic-claude-3-7-sonnet-app1');
	assert.equal(projectName({model: 'm1', number: 3}), 'm1-app3');
	assert.notEqual(projectName({model: 'm1', number: 1}), projectName({model: 'm2', number: 1}));
	assert.match(projectName({model: '9.x', number: 2}), /^[a-z0-9][a-z0-9_-]*$/);
});

test('app folders are app<N>', () => {
	assert.equal(appFolderNumber('app7'), 7);
	assert.equal(appFolderNumber('app0'), null);
	assert.equal(appFolderNumber('app07'), null);
	assert.equal(appFolderNumber('apps'), null);
});
