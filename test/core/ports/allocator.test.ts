import assert from 'node:assert/strict';
import {test} from 'node:test';
import {candidates, DEFAULT_SLOTS, documentProblems, portsAt, slotsProblem, takenPorts, emptyDocument} from '../../../source/core/ports/allocator.ts';

function first<T>(iterable: Iterable<T>): T | undefined {
	for (const value of iterable) return value;
	return undefined;
}

test('the first candidate with an empty store is backend 5001 / frontend 8001', () => {
	assert.deepEqual(first(candidates(DEFAULT_SLOTS, new Set())), {backend: 5001, frontend: 8001});
});

test('taken ports are skipped per index, and a freed index is offered first again', () => {
	assert.deepEqual(first(candidates(DEFAULT_SLOTS, new Set([5001, 8003]))), {backend: 5005, frontend: 8005});
	// Only the frontend of index 0 is taken: the whole index is skipped, never a mixed pair.
	assert.deepEqual(first(candidates(DEFAULT_SLOTS, new Set([8001]))), {backend: 5003, frontend: 8003});
});

test('candidates stop at 65535 instead of wrapping', () => {
	const slots = [{name: 'web', base: 65_533, step: 2}];
	assert.deepEqual([...candidates(slots, new Set())], [{web: 65_533}, {web: 65_535}]);
	assert.equal(portsAt(slots, 2), null);
});

test('overlapping slots never give one port to two slots', () => {
	const slots = [
		{name: 'a', base: 6000, step: 1},
		{name: 'b', base: 6000, step: 2},
	];
	const got = first(candidates(slots, new Set()));
	assert.ok(got && got['a'] !== got['b']);
});

test('slot and document checks explain the problem', () => {
	assert.match(slotsProblem([{name: 'web', base: 80, step: 1}]) ?? '', /1024\.\.65535/);
	assert.match(slotsProblem([{name: 'web', base: 5000, step: 0}]) ?? '', /positive/);
	assert.match(
		slotsProblem([
			{name: 'a', base: 5000, step: 1},
			{name: 'a', base: 6000, step: 1},
		]) ?? '',
		/twice/,
	);
	assert.deepEqual(documentProblems(emptyDocument()), []);
	assert.match(documentProblems({version: 99, allocations: []})[0] ?? '', /newer/);
	assert.match(documentProblems([])[0] ?? '', /not a JSON object/);
	assert.deepEqual(
		[...takenPorts({version: 2, allocations: [{model: 'm', app: 1, ports: {a: 1, b: 2}, projectName: 'p', appPath: '/x', createdAt: '', engine: 'e1'}]}, 'e1')],
		[1, 2],
	);
	// A port is unique per engine: another engine's allocations do not take it.
	assert.deepEqual(
		[...takenPorts({version: 2, allocations: [{model: 'm', app: 1, ports: {a: 1, b: 2}, projectName: 'p', appPath: '/x', createdAt: '', engine: 'e1'}]}, 'e2')],
		[],
	);
});
