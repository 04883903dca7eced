import {test} from 'node:test';
import assert from 'node:assert/strict';
import {BoundedQueue, LineSplitter, MAX_LINE, Ring} from '../../../source/core/compose/lines.ts';

test('lines split across chunks, CRLF, and a multi-byte character cut in two', () => {
	const splitter = new LineSplitter();
	const bytes = new TextEncoder().encode('Creating web ... done\r\nCréa');
	assert.deepEqual(splitter.push(bytes.slice(0, 25)), ['Creating web ... done']);
	assert.deepEqual(splitter.push(bytes.slice(25)), []);
	assert.deepEqual(splitter.push('ting\nworker line 1\nworker'), ['Créating', 'worker line 1']);
	assert.deepEqual(splitter.end(), ['worker']);
	assert.deepEqual(splitter.end(), []);
});

test('an endless line is cut, so memory stays bounded', () => {
	const splitter = new LineSplitter();
	for (let i = 0; i < 10; i++) splitter.push('x'.repeat(MAX_LINE));
	const [line] = splitter.push('\n');
	assert.equal(line!.length, MAX_LINE);
});

test('a ring keeps the last items', () => {
	const ring = new Ring<number>(3);
	for (let i = 1; i <= 5; i++) ring.push(i);
	assert.deepEqual(ring.toArray(), [3, 4, 5]);
});

test('a bounded queue drops the oldest items for a slow reader and says how many', async () => {
	const queue = new BoundedQueue<string>(3, n => `${n} dropped`);
	for (let i = 1; i <= 5; i++) queue.push(`line ${i}`);
	queue.close();
	const seen: string[] = [];
	for await (const item of queue) seen.push(item);
	assert.deepEqual(seen, ['2 dropped', 'line 3', 'line 4', 'line 5']);
});

test('a waiting reader gets items as they come and ends on close', async () => {
	const queue = new BoundedQueue<number>(10);
	const pending = queue.next();
	queue.push(1);
	assert.deepEqual(await pending, {value: 1, done: false});
	const end = queue.next();
	queue.close();
	assert.deepEqual(await end, {value: undefined, done: true});
	queue.push(2);
	assert.equal(queue.length, 0, 'nothing is kept after close');
});
