/**
 * Errors raised by berth's core. Every error a user can meet is a `BerthError`: its message says what
 * went wrong and what to do, `exitCode` is the CLI exit status (1 failure, 2 usage) and `cause` keeps
 * the original error for `--debug`.
 */
export class BerthError extends Error {
	override name = 'BerthError';
	readonly exitCode: 1 | 2;
	/** A short machine-readable code, printed in `--json` error output. */
	readonly code: string;

	constructor(message: string, options: {code?: string; exitCode?: 1 | 2; cause?: unknown} = {}) {
		super(message, options.cause === undefined ? undefined : {cause: options.cause});
		this.code = options.code ?? 'failed';
		this.exitCode = options.exitCode ?? 1;
	}
}

/** Bad command-line input: exit status 2, nothing was changed. */
export class UsageError extends BerthError {
	override name = 'UsageError';
	constructor(message: string, options: {code?: string; cause?: unknown} = {}) {
		super(message, {code: options.code ?? 'usage', exitCode: 2, cause: options.cause});
	}
}

/** The port store cannot be read or parsed. The file is never touched when this is raised. */
export class StoreError extends BerthError {
	override name = 'StoreError';
	readonly file: string;
	constructor(message: string, file: string, cause?: unknown) {
		super(message, {code: 'store', cause});
		this.file = file;
	}
}

/** A port is held by someone else. */
export class PortConflictError extends BerthError {
	override name = 'PortConflictError';
	readonly conflicts: readonly {port: number; holder: string}[];
	constructor(message: string, conflicts: readonly {port: number; holder: string}[]) {
		super(message, {code: 'port-conflict'});
		this.conflicts = conflicts;
	}
}

export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	if (error && typeof error === 'object' && 'message' in error) return String((error as {message: unknown}).message);
	return String(error);
}
