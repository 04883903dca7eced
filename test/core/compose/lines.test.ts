import {test} from 'node:test';
import assert from 'node:assert/strict';
import {BoundedQueue, LineSplitter, MAX_LINE, Ring, OrderedMerge} from '../../../source/core/compose/lines.ts';

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

test('OrderedMerge: sources each in order come out in order, an item waits only while an open source might bring an earlier one', () => {
	const out: string[] = [];
	const merge = new OrderedMerge<string>(
		3,
		item => item.slice(0, 2),
		item => out.push(item),
	);
	merge.push(0, '01 out');
	merge.push(0, '04 out');
	assert.deepEqual(out, [], 'sources 1 and 2 may still bring earlier lines');
	merge.push(1, '02 err');
	merge.end(2);
	assert.deepEqual(out, ['01 out', '02 err']);
	merge.push(1, '03 err');
	merge.push(1, '05 err');
	assert.deepEqual(out, ['01 out', '02 err', '03 err', '04 out']);
	merge.end(0);
	assert.deepEqual(out.at(-1), '05 err');
	merge.push(1, '06 err');
	merge.push(1, '06 err again');
	merge.end(1);
	assert.deepEqual(out.slice(-2), ['06 err', '06 err again']);
});

test('OrderedMerge: a long run from one source is held, then released in order, without unbounded copies', () => {
	const out: number[] = [];
	const merge = new OrderedMerge<number>(
		2,
		item => String(item).padStart(8, '0'),
		item => out.push(item),
	);
	for (let i = 0; i < 50_000; i += 2) merge.push(0, i);
	merge.push(1, 1);
	for (let i = 3; i < 50_000; i += 2) merge.push(1, i);
	merge.end(0);
	merge.end(1);
	assert.equal(out.length, 50_000);
	assert.ok(out.every((value, i) => value === i));
});
