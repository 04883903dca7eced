/**
 * The process `berth plugins lint` renders templates in (started by render-sandbox.ts, never imported):
 * Node with --permission and read access only, or Deno with --allow-read only. Reads a nonce line, then
 * one JSON request per line; answers each with one line `<nonce> <JSON>` on stdout (anything else a
 * template prints there is ignored: it cannot know the nonce).
 */
import path from 'node:path';
import {createInterface} from 'node:readline';
import {setImmediate} from 'node:timers';
import {renderSources} from '../scaffold/render.ts';
import {TemplateError} from '../scaffold/templates.ts';
import {PluginError} from './plugin-error.ts';
import type {RenderFailure, WorkerRequest, WorkerResponse} from './render-protocol.ts';
import {deniedAction} from './sandbox-denial.ts';
import {lockDown} from './sandbox-lockdown.ts';

const isDeno = process.versions['deno'] !== undefined;
if (!isDeno) {
	try {
		lockDown();
	} catch (error) {
		// One plain line: the parent quotes the end of stderr in its error.
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(70);
	}
}

// Taken before any template runs: a template may replace process.stdout.write, not this reference.
const write = process.stdout.write.bind(process.stdout);
const exit = process.exit.bind(process);

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
	const file = error instanceof TemplateError ? error.file : error instanceof LateError ? path.join(pluginDir, 'files', error.source) : error instanceof PluginError ? error.file : pluginDir;
	const line = error instanceof TemplateError ? error.line : null;
	if (action) return {kind: 'denied', file, line, message: action};
	if (error instanceof TemplateError) return {kind: 'template', file, line, message: error.detail};
	if (error instanceof PluginError) return {kind: 'plugin', file, line: null, message: error.message, problems: [...error.problems]};
	return {kind: error instanceof LateError ? 'template' : 'other', file, line: null, message: error instanceof Error ? error.message : String(error)};
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
	try {
		const rendered = await renderSources(request.plugin, request.sources, request.input, async source => {
			// One turn of the event loop: a refused socket, fetch or promise is reported within it
			// (measured on Node 24 and Deno 2.9), so the error is charged to the template that caused it.
			await new Promise(resolve => setImmediate(resolve));
			if (late.length > 0) throw new LateError(source, late.shift());
		});
		return {id: request.id, ok: true, files: Object.fromEntries(rendered)};
	} catch (error) {
		return {id: request.id, ok: false, failure: failure(error, request.plugin.dir)};
	}
}

let nonce: string | null = null;
for await (const line of createInterface({input: process.stdin, crlfDelay: Infinity})) {
	if (nonce === null) {
		nonce = line;
		continue;
	}
	write(`${nonce} ${JSON.stringify(await handle(JSON.parse(line) as WorkerRequest))}\n`);
}
exit(0);
