import {constants} from 'node:fs';
import {Buffer} from 'node:buffer';
import {open, stat} from 'node:fs/promises';
import {PluginError} from './plugin-error.ts';

/**
 * Bounds on what berth reads and runs from a plugin: every file it parses has a size cap, and lint's
 * sandbox gives each template a time limit, so that a plugin, hostile or broken, cannot keep berth
 * busy without end. Kept apart from the schema (no zod): lint's sandboxed renderer imports this.
 */

/** Largest berth-plugin.json read (real manifests are a few kB). */
export const MANIFEST_MAX_BYTES = 1024 * 1024;
/** Largest template (*.eta in files/ or partials/) or placeholder file read (real ones are a few kB). */
export const TEMPLATE_MAX_BYTES = 5 * 1024 * 1024;
/** How long lint's sandbox lets one template compile, and then render, before it stops the renderer. */
export const TEMPLATE_TIME_LIMIT_MS = 10_000;

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** The message for a file over its cap, e.g. "is 200 MB: a manifest may be at most 1 MB". */
export function tooLarge(size: number, limit: number, what: string): string {
	return `is ${size > limit && megabytes(size) === megabytes(limit) ? `over ${megabytes(limit)}` : megabytes(size)}: ${what} may be at most ${megabytes(limit)}`;
}

/**
 * Reads `file` whole when it is a regular file of at most `limit` bytes; else a PluginError naming the
 * file and why (its size and the limit). Reads at most `limit` + 1 bytes, whatever the file claims, so
 * one that grows while it is read is caught too; a FIFO or device is refused before it is opened (its
 * open or read could wait for ever).
 */
export async function readCapped(file: string, limit: number, what: string): Promise<Uint8Array> {
	const info = await stat(file);
	if (!info.isFile()) throw new PluginError(file, [{path: '', message: `is not a regular file: ${what} must be one`}]);
	if (info.size > limit) throw new PluginError(file, [{path: '', message: tooLarge(info.size, limit, what)}]);
	const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
	try {
		const chunks: Uint8Array[] = [];
		let length = 0;
		for (;;) {
			const chunk = new Uint8Array(Math.min(limit + 1 - length, 1024 * 1024));
			const {bytesRead} = await handle.read(chunk, 0, chunk.length, null);
			if (bytesRead === 0) break;
			chunks.push(chunk.subarray(0, bytesRead));
			length += bytesRead;
			if (length > limit) throw new PluginError(file, [{path: '', message: tooLarge(length, limit, what)}]);
		}
		return Buffer.concat(chunks, length);
	} finally {
		await handle.close();
	}
}
