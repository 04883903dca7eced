import {closeSync, constants, fstatSync, openSync, readSync, type Stats} from 'node:fs';
import {open} from 'node:fs/promises';

/**
 * Reads a user-supplied file (compose file, `.env`, `.berth.json`) of at most `maxBytes`. Only a regular
 * file is read: a FIFO or a device is refused before anything waits on it (opening a FIFO blocks until
 * somebody writes, and Node cannot even exit while a thread waits there). The size is checked on the
 * open handle and again while reading, so a file that grows meanwhile is caught too.
 */
export async function readBounded(file: string, maxBytes: number): Promise<string> {
	const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
	try {
		const buffer = bufferFor(await handle.stat(), maxBytes);
		let length = 0;
		for (;;) {
			const {bytesRead} = await handle.read(buffer, length, buffer.length - length, length);
			if (bytesRead === 0) break;
			length = grown(length, bytesRead, maxBytes);
		}
		return buffer.subarray(0, length).toString('utf8');
	} finally {
		await handle.close();
	}
}

/**
 * `readBounded` without the thread pool, for many small files read in a row (the model cache checks
 * every compose and `.env` file of every app on each `ls`): each asynchronous step is a round trip
 * through libuv's threads, five per file, which cost 200 apps ~100 ms more than the reads themselves.
 * Same checks; it blocks the event loop only for as long as the file takes to read.
 */
export function readBoundedSync(file: string, maxBytes: number): string {
	const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
	try {
		const buffer = bufferFor(fstatSync(fd), maxBytes);
		let length = 0;
		for (;;) {
			const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
			if (bytesRead === 0) break;
			length = grown(length, bytesRead, maxBytes);
		}
		return buffer.subarray(0, length).toString('utf8');
	} finally {
		closeSync(fd);
	}
}

/** One byte more than the file: a file that grows while berth reads it fills that byte. */
function bufferFor(info: Stats, maxBytes: number): Buffer {
	if (!info.isFile()) throw new Error('it is not a regular file');
	if (info.size > maxBytes) throw new Error(`it is ${formatBytes(info.size)}, more than berth reads (${formatBytes(maxBytes)})`);
	return Buffer.alloc(Math.min(info.size, maxBytes) + 1);
}

function grown(length: number, bytesRead: number, maxBytes: number): number {
	if (length + bytesRead > maxBytes) throw new Error(`it grew past ${formatBytes(maxBytes)} while berth read it`);
	return length + bytesRead;
}

export function formatBytes(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
