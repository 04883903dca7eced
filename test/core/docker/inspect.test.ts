import {test} from 'node:test';
import assert from 'node:assert/strict';
import {detailsFromInspect} from '../../../source/core/docker/inspect.ts';

test('inspect details: start time, restart count, health, the Engine start error', () => {
	assert.deepEqual(
		detailsFromInspect({
			Id: 'a',
			RestartCount: 2,
			State: {Status: 'running', StartedAt: '2026-11-23T16:30:48.123456789Z', ExitCode: 0, Error: '', Health: {Status: 'healthy'}},
		}),
		{
			id: 'a',
			state: 'running',
			restartCount: 2,
			startedAt: '2026-11-23T16:30:48.123Z',
			exitCode: 0,
			health: 'healthy',
			error: '',
		},
	);
	// Never started (a port bind failure): Go's zero time, the Engine's message.
	assert.deepEqual(
		detailsFromInspect({
			Id: 'b',
			State: {
				Status: 'created',
				StartedAt: '0001-01-01T00:00:00Z',
				ExitCode: 128,
				Error: 'driver failed programming external connectivity: Bind for 127.0.0.1:5001 failed: port is already allocated',
			},
		}),
		{
			id: 'b',
			state: 'created',
			restartCount: 0,
			startedAt: null,
			exitCode: 128,
			health: null,
			error: 'driver failed programming external connectivity: Bind for 127.0.0.1:5001 failed: port is already allocated',
		},
	);
	assert.equal(detailsFromInspect({Id: 'c', State: {Status: 'exited', Health: {Status: 'none'}}}).health, null);
});
