import {constants} from 'node:fs';
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
		const info = await handle.stat();
		if (!info.isFile()) throw new Error('it is not a regular file');
		if (info.size > maxBytes) throw new Error(`it is ${formatBytes(info.size)}, more than berth reads (${formatBytes(maxBytes)})`);
		const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
		let length = 0;
		for (;;) {
			const {bytesRead} = await handle.read(buffer, length, buffer.length - length, length);
			if (bytesRead === 0) break;
			length += bytesRead;
			if (length > maxBytes) throw new Error(`it grew past ${formatBytes(maxBytes)} while berth read it`);
		}
		return buffer.subarray(0, length).toString('utf8');
	} finally {
		await handle.close();
	}
}

export function formatBytes(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
