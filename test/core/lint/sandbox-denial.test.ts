import {test} from 'node:test';
import assert from 'node:assert/strict';
import {deniedAction, sandboxDenied} from '../../../source/core/lint/sandbox-denial.ts';

const nodeDenied = (permission: string, resource = '') =>
	Object.assign(new Error('Access to this API has been restricted'), {code: 'ERR_ACCESS_DENIED', permission, resource});
const denoDenied = (message: string) => Object.assign(new Error(message), {name: 'NotCapable'});

test('permission errors of Node and Deno become what the template tried to do, through the cause chain', () => {
	assert.equal(deniedAction(nodeDenied('FileSystemWrite', '/tmp/x')), 'write /tmp/x');
	assert.equal(deniedAction(nodeDenied('ChildProcess', '/bin/sh')), 'start a subprocess (/bin/sh)');
	assert.equal(deniedAction(nodeDenied('WorkerThreads')), 'start a worker thread');
	assert.equal(deniedAction(Object.assign(new Error('x'), {code: 'ERR_DLOPEN_DISABLED'})), 'load a native addon');
	assert.equal(deniedAction(denoDenied('Requires write access to "/tmp/x", run again with the --allow-write flag')), 'write /tmp/x');
	assert.equal(deniedAction(denoDenied('Requires net access to "127.0.0.1:80", run again with the --allow-net flag')), 'use the network (127.0.0.1:80)');
	assert.equal(deniedAction(denoDenied('Requires run access, run again with the --allow-run flag')), 'start a subprocess or signal a process');
	assert.equal(deniedAction(sandboxDenied('use the network (node:net)')), 'use the network (node:net)');
	// Eta wraps a template's error (cause), and berth's TemplateError wraps Eta's.
	assert.equal(deniedAction(new Error('template failed', {cause: new Error('line 2', {cause: nodeDenied('FileSystemWrite', '/tmp/y')})})), 'write /tmp/y');
});

test('other errors are not refusals', () => {
	assert.equal(deniedAction(new Error('it.ports.db is not defined')), null);
	assert.equal(deniedAction(new TypeError('Requires a string')), null);
	assert.equal(deniedAction('text'), null);
	const loop: Error & {cause?: unknown} = new Error('loop');
	loop.cause = loop;
	assert.equal(deniedAction(loop), null);
});
