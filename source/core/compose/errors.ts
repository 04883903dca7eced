import {BerthError} from '../errors.ts';
import {causeLine} from './cause-line.ts';

/** What a failed compose run left behind: kept as the `cause` of a `ComposeError`. */
export interface ComposeFailure {
	command: string[];
	exitCode: number | null;
	stderr: string;
}

/** A compose command failed. The message quotes the line of stderr that explains why. */
export class ComposeError extends BerthError {
	override name = 'ComposeError';
	declare readonly cause: ComposeFailure;
	constructor(message: string, failure: ComposeFailure) {
		super(message, {code: 'compose', cause: failure});
	}
}

const EXPLAINING =
	/error|failed|cannot|can't|denied|not found|no such|invalid|unsupported|conflict|already|refused|timed? ?out|unknown|missing|forbidden|not allowed|is not/i;
// Progress chatter that can contain words like "error" without explaining anything.
const NOISE =
	/^(error: encountered errors while|creating|starting|stopping|removing|recreating|pulling|building|attaching|network .* (created|removed)|container .* (created|started|stopped|removed)|\s*$)/i;

/**
 * The line of compose's stderr that explains a failure: the cause (cause-line.ts) when one reads like
 * a reason, else the last line that reads like an error.
 */
export function explainingLine(stderr: string): string | null {
	const cause = causeLine(stderr.split(/\r?\n/));
	if (cause) return cause;
	const lines = stderr
		.split(/\r?\n/)
		.map(line => line.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').trim())
		.filter(line => line.length > 0);
	for (let i = lines.length - 1; i >= 0; i--) {
		const line = lines[i]!;
		if (EXPLAINING.test(line) && !NOISE.test(line)) return line.replace(/^ERROR:\s*/, '');
	}
	const last = lines.at(-1);
	return last ? last.replace(/^ERROR:\s*/, '') : null;
}

/**
 * Converts a failed compose run (a plain `{exitCode, err?}` object, as the docker-compose package rejects
 * with and client.ts `runCall` returns; or an Error when the binary cannot be spawned) into a `ComposeError`.
 */
export function composeError(what: string, command: string[], rejection: unknown, stderrTail?: string): ComposeError {
	if (rejection instanceof ComposeError) return rejection;
	let exitCode: number | null = null;
	let stderr = stderrTail ?? '';
	if (rejection instanceof Error) {
		const code = (rejection as NodeJS.ErrnoException).code;
		const message =
			code === 'ENOENT' ? `${command[0]} was not found on PATH. Install compose (docker compose or docker-compose); "berth doctor" checks.` : rejection.message;
		return new ComposeError(`${what} failed: ${message}`, {command, exitCode: null, stderr: stderr || rejection.message});
	}
	if (rejection && typeof rejection === 'object') {
		const r = rejection as {exitCode?: unknown; err?: unknown};
		if (typeof r.exitCode === 'number') exitCode = r.exitCode;
		if (!stderr && typeof r.err === 'string') stderr = r.err;
	}
	const line = explainingLine(stderr);
	// The whole command line is in `cause`; the message stays short enough for a status bar.
	const status = exitCode === null ? 'killed' : `exit code ${exitCode}`;
	return new ComposeError(`${what} failed (${status})${line ? `: ${line}` : ''}`, {command, exitCode, stderr});
}
