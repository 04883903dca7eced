/** The one runtime test (core/runtime.ts), used by doctor, the port probe and the lint sandbox and its worker. */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {isDeno, runtime, runtimeExecPath} from '../../source/core/runtime.ts';
import {runtimeName} from '../helpers/runtime.ts';

test('berth knows which runtime runs it, its version and its executable', () => {
	assert.equal(isDeno, runtimeName === 'deno');
	assert.equal(runtime.name, runtimeName);
	assert.match(runtime.version, /^\d+\.\d+\.\d+/);
	assert.ok(existsSync(runtimeExecPath()));
});
