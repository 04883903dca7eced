import {execa} from 'execa';
import path from 'node:path';
import {isDeno, ROOT, runtimeCommand} from './runtime.ts';

export interface CliResult {
	exitCode: number;
	stdout: string;
	stderr: string;
}

/**
 * Runs `berth <args>` under the runtime running the tests (Node: the built bin; Deno: the source),
 * with no colour, no stdin, and the given environment on top of a clean copy of the current one.
 */
export async function runCli(args: string[], options: {env?: Record<string, string | undefined>; cwd?: string; timeout?: number} = {}): Promise<CliResult> {
	// Node runs the package's bin (what `npx berth` runs); Deno the source (what `deno task berth` runs).
	const [file, prefix] = isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];
	const result = await execa(file, [...prefix, ...args], {
		reject: false,
		stdin: 'ignore',
		cwd: options.cwd,
		env: {NO_COLOR: '1', ...options.env},
		timeout: options.timeout ?? 120_000,
	});
	return {exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr)};
}

/** Parses the stdout of a `--json` run, failing with the whole output when it is not one JSON document. */
export function parseJson<T = unknown>(result: CliResult): T {
	try {
		return JSON.parse(result.stdout) as T;
	} catch {
		throw new Error(`stdout is not JSON (exit ${result.exitCode}):\n${result.stdout}\nstderr:\n${result.stderr}`);
	}
}
