import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LogDemuxer, unixSince} from '../../../source/core/docker/container-logs.ts';

/** One frame of the Engine's multiplexed log stream. */
function frame(stream: 1 | 2, text: string): Uint8Array {
	const payload = new TextEncoder().encode(text);
	const out = new Uint8Array(8 + payload.length);
	out[0] = stream;
	new DataView(out.buffer).setUint32(4, payload.length);
	out.set(payload, 8);
	return out;
}

function demux(chunks: Uint8Array[]): string[] {
	const seen: string[] = [];
	const decoder = {stdout: new TextDecoder(), stderr: new TextDecoder()};
	const demuxer = new LogDemuxer((stream, chunk) => seen.push(`${stream}:${decoder[stream].decode(chunk)}`));
	for (const chunk of chunks) demuxer.push(chunk);
	return seen;
}

test('the multiplexed stream of a container without a TTY: stdout and stderr frames, however the chunks split them', () => {
	const all = new Uint8Array([
		...frame(1, '2026-01-02T03:04:05.1Z out\n'),
		...frame(2, '2026-01-02T03:04:05.2Z err\n'),
		...frame(1, '2026-01-02T03:04:05.3Z é\n'),
	]);
	const whole = demux([all]);
	assert.deepEqual(whole, ['stdout:2026-01-02T03:04:05.1Z out\n', 'stderr:2026-01-02T03:04:05.2Z err\n', 'stdout:2026-01-02T03:04:05.3Z é\n']);
	// Split at every byte: the same text per stream (a header or a payload cut in two waits for the rest).
	const bytes = demux([...all].map(b => new Uint8Array([b])));
	const joined = (seen: string[], stream: string) =>
		seen
			.filter(s => s.startsWith(`${stream}:`))
			.map(s => s.slice(stream.length + 1))
			.join('');
	assert.equal(joined(bytes, 'stdout'), '2026-01-02T03:04:05.1Z out\n2026-01-02T03:04:05.3Z é\n');
	assert.equal(joined(bytes, 'stderr'), '2026-01-02T03:04:05.2Z err\n');
});

test('the raw stream of a container with a TTY: everything is stdout, as it came', () => {
	const text = '2026-01-02T03:04:05.1Z tty line\r\n2026-01-02T03:04:05.2Z next\r\n';
	const bytes = new TextEncoder().encode(text);
	assert.deepEqual(demux([bytes.subarray(0, 2), bytes.subarray(2, 30), bytes.subarray(30)]), [`stdout:${text.slice(0, 30)}`, `stdout:${text.slice(30)}`]);
});

test("the API's since: an RFC 3339 time as Unix seconds with nanoseconds; anything else is the CLI's", () => {
	assert.equal(unixSince('2026-01-02T03:04:05.123456789Z'), `${Date.UTC(2026, 0, 2, 3, 4, 5) / 1000}.123456789`);
	assert.equal(unixSince('2026-01-02T03:04:05Z'), `${Date.UTC(2026, 0, 2, 3, 4, 5) / 1000}.000000000`);
	assert.equal(unixSince('2026-01-02T05:04:05.5+02:00'), `${Date.UTC(2026, 0, 2, 3, 4, 5) / 1000}.500000000`);
	assert.equal(unixSince('10m'), null);
	assert.equal(unixSince('2026-01-02'), null);
});
