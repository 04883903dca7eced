/**
 * The process `berth plugins lint` renders templates in (started by render-sandbox.ts, never imported):
 * Deno with --allow-read only, or Node with --permission and read access only. Reads a nonce line, then
 * one JSON request per line; answers each with `\n<nonce> <JSON>\n` on stdout, written through
 * fs.writeSync and JSON.stringify as they were before any template ran (what else a template prints
 * is skipped by the parent: it cannot know the nonce).
 */
import fs from 'node:fs';
import path from 'node:path';
import {setImmediate} from 'node:timers';
import {renderSources} from '../scaffold/render.ts';
import {TemplateError} from '../scaffold/templates.ts';
import {isDeno} from '../runtime.ts';
import {PluginError} from '../plugins/plugin-error.ts';
import type {RenderFailure, WorkerRequest, WorkerResponse} from './render-protocol.ts';
import {deniedAction} from './sandbox-denial.ts';
import {lockDown} from './sandbox-lockdown.ts';

// Taken before any template runs: a template may replace these (process.stdout.write, JSON), not our references.
const writeSync = fs.writeSync;
const stringify = JSON.stringify;
const parse = JSON.parse;
const encoder = new TextEncoder();
const exit = process.exit.bind(process);

/** Writes all of `text` to file descriptor `fd` (retrying a pipe that is momentarily full). */
function writeAll(fd: number, text: string): void {
	let bytes = encoder.encode(text);
	while (bytes.length > 0) {
		try {
			bytes = bytes.subarray(writeSync(fd, bytes));
		} catch (error) {
			if ((error as {code?: unknown}).code !== 'EAGAIN') throw error;
		}
	}
}

/** Reads stdin one line at a time, blocking (null at its end): a synchronous read keeps no fs request pending in the thread pool, which would stop a template's process.exit() from exiting. */
const readSync = fs.readSync;
const lines = (() => {
	const decoder = new TextDecoder();
	const buffer = new Uint8Array(65536);
	let pending = '';
	let ended = false;
	return (): string | null => {
		for (;;) {
			const newline = pending.indexOf('\n');
			if (newline !== -1) {
				const line = pending.slice(0, newline);
				pending = pending.slice(newline + 1);
				return line;
			}
			if (ended) return null;
			let read: number;
			try {
				read = readSync(0, buffer, 0, buffer.length, null);
			} catch (error) {
				if ((error as {code?: unknown}).code === 'EAGAIN') continue;
				if ((error as {code?: unknown}).code === 'EOF') read = 0;
				else throw error;
			}
			if (read === 0) ended = true;
			pending += decoder.decode(buffer.subarray(0, read), {stream: !ended});
		}
	};
})();

// Node: requests are read through fs, not process.stdin, so that the renderer holds no socket (a pipe is a
// net.Socket there) a template could reach; lockDown() then gives templates stdio streams that lead nowhere.
if (!isDeno) {
	try {
		lockDown();
	} catch (error) {
		// One plain line: the parent quotes the end of stderr in its error.
		writeAll(2, `${error instanceof Error ? error.message : String(error)}\n`);
		exit(70);
	}
}

/** Errors a template left behind asynchronously (a rejected fetch, a failed socket). */
const late: unknown[] = [];
process.on('unhandledRejection', reason => void late.push(reason));
process.on('uncaughtException', error => void late.push(error));

/** An error that surfaced after `source` was rendered: it is charged to that template. */
class LateError extends Error {
	readonly source: string;
	constructor(source: string, cause: unknown) {
		super(cause instanceof Error ? cause.message : String(cause), {cause});
		this.source = source;
	}
}

function failure(error: unknown, pluginDir: string): RenderFailure {
	// Only a template's own doing is charged to it; a refusal elsewhere is the sandbox's setup failing.
	const action = error instanceof TemplateError || error instanceof LateError ? deniedAction(error) : null;
	const file =
		error instanceof TemplateError
			? error.file
			: error instanceof LateError
				? path.join(pluginDir, 'files', error.source)
				: error instanceof PluginError
					? error.file
					: pluginDir;
	const line = error instanceof TemplateError ? error.line : null;
	if (action) return {kind: 'denied', file, line, message: action};
	if (error instanceof TemplateError) return {kind: 'template', file, line, message: error.detail};
	if (error instanceof PluginError) return {kind: 'plugin', file, line: null, message: error.message, problems: [...error.problems]};
	return {kind: error instanceof LateError ? 'template' : 'other', file, line: null, message: error instanceof Error ? error.message : String(error)};
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
	try {
		const rendered = await renderSources(request.plugin, request.sources, request.input, {
			progress: (file, step) => reply({id: request.id, working: {file, step}}),
			after: async source => {
				// One turn of the event loop: a refused socket, fetch or promise is reported within it
				// (measured on Node 24 and Deno 2.9), so the error is charged to the template that caused it.
				await new Promise(resolve => setImmediate(resolve));
				if (late.length > 0) throw new LateError(source, late.shift());
			},
		});
		return {id: request.id, ok: true, files: Object.fromEntries(rendered)};
	} catch (error) {
		return {id: request.id, ok: false, failure: failure(error, request.plugin.dir)};
	}
}

const nonce = lines();

/** Sends one message to the parent. A newline first: a template's output without one cannot glue itself to it. */
function reply(response: WorkerResponse): void {
	writeAll(1, `\n${nonce} ${stringify(response)}\n`);
}

for (let line = lines(); nonce !== null && line !== null; line = lines()) reply(await handle(parse(line) as WorkerRequest));
exit(0);
