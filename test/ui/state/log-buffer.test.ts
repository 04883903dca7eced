import {test} from 'node:test';
import assert from 'node:assert/strict';
import {appendLines, emptyLogBuffer, logTotal} from '../../../source/ui/state/log-buffer.ts';

test('the buffer keeps the newest lines up to its capacity', () => {
	let buffer = emptyLogBuffer(3);
	buffer = appendLines(buffer, ['a', 'b']);
	assert.deepEqual(buffer.lines, ['a', 'b']);
	buffer = appendLines(buffer, ['c', 'd']);
	assert.deepEqual(buffer.lines, ['b', 'c', 'd']);
	assert.equal(buffer.dropped, 1);
	buffer = appendLines(buffer, ['1', '2', '3', '4', '5']);
	assert.deepEqual(buffer.lines, ['3', '4', '5']);
	assert.equal(buffer.dropped, 6);
	assert.equal(appendLines(buffer, []), buffer, 'no lines, same object (no re-render)');
});

test('a chatty stream stays bounded', () => {
	let buffer = emptyLogBuffer(2000);
	for (let batch = 0; batch < 100; batch++)
		buffer = appendLines(
			buffer,
			Array.from({length: 500}, (_, i) => `line ${batch * 500 + i}`),
		);
	assert.equal(buffer.lines.length, 2000);
	assert.equal(buffer.lines.at(-1), 'line 49999');
	assert.equal(buffer.lines[0], 'line 48000');
	assert.equal(buffer.dropped, 48_000, 'the first line kept is line number 48,000');
	assert.equal(logTotal(buffer), 50_000);
});
