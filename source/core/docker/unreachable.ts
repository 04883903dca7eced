import {BerthError, errorMessage} from '../errors.ts';

/** Raised when the Docker Engine cannot be reached; the message says how to fix it. */
export class EngineUnreachableError extends BerthError {
	override name = 'EngineUnreachableError';
	/** What went wrong, without the advice: e.g. `/var/run/docker.sock: connect ENOENT ...`. */
	readonly detail: string;
	constructor(detail: string, cause?: unknown) {
		super(`the Docker Engine is not reachable (${detail}). Start it (e.g. "sudo systemctl start docker" or "dockerd"), or set DOCKER_HOST.`, {
			code: 'engine-unreachable',
			cause,
		});
		this.detail = detail;
	}
}

/**
 * The Engine's unix socket failed in a way the docker CLI may not (a runtime without unix sockets in
 * `node:net`, no answer in time): callers go through the docker CLI instead. Never user-facing.
 */
export class SocketRouteError extends BerthError {
	override name = 'SocketRouteError';
	constructor(message: string, cause?: unknown) {
		super(message, {code: 'engine-socket', cause});
	}
}

/** Socket error codes that mean no Engine answers there: nothing listens, no socket file, not allowed. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPERM']);
/** What the docker CLI, compose v2 and compose v1 print when they cannot reach the Engine. */
const UNREACHABLE_OUTPUT =
	/Cannot connect to the Docker daemon|Couldn't connect to Docker daemon|error during connect|permission denied while trying to connect to the Docker daemon/i;

/**
 * The one rule for "the Docker Engine is unreachable", used by every caller that must tell an absent
 * Engine from any other failure: an `EngineUnreachableError`; an error (or one of its causes) whose
 * code says nothing answers on the socket (ECONNREFUSED, ENOENT, EACCES); or output of the docker
 * CLI or compose (a string, or an error's `stderr`) saying it cannot connect to the daemon.
 */
export function isEngineUnreachable(error: unknown): boolean {
	let current = error;
	for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
		if (current instanceof EngineUnreachableError) return true;
		if (typeof current === 'string') return UNREACHABLE_OUTPUT.test(current);
		if (typeof current !== 'object') return false;
		const {code, stderr, message} = current as {code?: unknown; stderr?: unknown; message?: unknown};
		if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
		if ((typeof stderr === 'string' && UNREACHABLE_OUTPUT.test(stderr)) || (typeof message === 'string' && UNREACHABLE_OUTPUT.test(message))) return true;
		current = (current as {cause?: unknown}).cause;
	}
	return false;
}

/** The error for a socket that failed: unreachable when `isEngineUnreachable` says so, else a route to give up on. */
export function socketFailure(socketPath: string, error: unknown): EngineUnreachableError | SocketRouteError {
	const detail = `${socketPath}: ${errorMessage(error)}`;
	return isEngineUnreachable(error) ? new EngineUnreachableError(detail, error) : new SocketRouteError(detail, error);
}
