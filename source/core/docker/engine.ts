import net from 'node:net';
import {BerthError, errorMessage} from '../errors.ts';
import {engineSocket} from './transport.ts';

/** A container as the Engine lists it (the fields berth uses). */
export interface ContainerSummary {
	id: string;
	name: string;
	image: string;
	/** created, running, paused, restarting, removing, exited, dead */
	state: string;
	/** The Engine's human status, e.g. "Up 5 seconds (healthy)". */
	status: string;
	labels: Record<string, string>;
	ports: PublishedPort[];
	createdAt: number;
}

export interface PublishedPort {
	hostIp: string;
	hostPort: number;
	containerPort: number;
	protocol: string;
}

/** Raised when the Docker Engine cannot be reached; the message says how to fix it. */
export class EngineUnreachableError extends BerthError {
	override name = 'EngineUnreachableError';
	/** What went wrong, without the advice: e.g. `/var/run/docker.sock: connect ENOENT ...`. */
	readonly detail: string;
	constructor(detail: string, cause?: unknown) {
		super(`the Docker Engine is not reachable (${detail}). Start it (e.g. "sudo systemctl start docker" or "dockerd"), or set DOCKER_HOST.`, {code: 'engine-unreachable', cause});
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
const UNREACHABLE_OUTPUT = /Cannot connect to the Docker daemon|Couldn't connect to Docker daemon|error during connect|permission denied while trying to connect to the Docker daemon/i;

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

export {engineSocket} from './transport.ts';

interface ApiContainer {
	Id: string;
	Names?: string[];
	Image: string;
	State: string;
	Status: string;
	Labels?: Record<string, string> | null;
	Ports?: {IP?: string; PrivatePort: number; PublicPort?: number; Type: string}[];
	Created: number;
}

/**
 * GET a JSON document from the Engine API over its unix socket. Plain HTTP/1.0 on `node:net` (the
 * server then sends the whole body and closes): `node:http` alone costs ~30 ms of CLI start-up.
 */
export function engineGet<T>(socketPath: string, urlPath: string, timeoutMs = 5000): Promise<T> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let settled = false;
		const finish = (error: Error | null, value?: T) => {
			if (settled) return;
			settled = true;
			socket.destroy();
			if (error) reject(error);
			else resolve(value as T);
		};
		const socket = net.createConnection({path: socketPath});
		// A hung socket may be a runtime's unix-socket support rather than the Engine: the CLI decides.
		socket.setTimeout(timeoutMs, () => finish(new SocketRouteError(`${socketPath}: no answer within ${timeoutMs} ms`)));
		socket.on('connect', () => socket.write(`GET ${urlPath} HTTP/1.0\r\nHost: docker\r\nAccept: application/json\r\n\r\n`));
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('error', error => finish(socketFailure(socketPath, error)));
		socket.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const split = text.indexOf('\r\n\r\n');
			const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(text)?.[1] ?? 0);
			const body = split === -1 ? '' : text.slice(split + 4);
			if (status === 0) return finish(new BerthError(`Docker Engine sent no HTTP answer to GET ${urlPath}`));
			if (status >= 400) return finish(new BerthError(`Docker Engine answered ${status} to GET ${urlPath}: ${body.trim()}`));
			try {
				finish(null, JSON.parse(body) as T);
			} catch (error) {
				finish(new BerthError(`Docker Engine sent an unreadable answer to GET ${urlPath}`, {cause: error}));
			}
		});
	});
}

function fromApi(c: ApiContainer): ContainerSummary {
	return {
		id: c.Id,
		name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
		image: c.Image,
		state: c.State,
		status: c.Status,
		labels: c.Labels ?? {},
		ports: (c.Ports ?? [])
			.filter(p => p.PublicPort !== undefined)
			.map(p => ({hostIp: p.IP ?? '0.0.0.0', hostPort: p.PublicPort!, containerPort: p.PrivatePort, protocol: p.Type})),
		createdAt: c.Created * 1000,
	};
}

export interface ListOptions {
	all?: boolean;
	/** Label filters, e.g. ["com.docker.compose.project"] or ["com.docker.compose.project=x"]. */
	labels?: string[];
}

/**
 * Lists containers with one Engine call: over the unix socket when there is one (a few ms), else
 * through `docker ps` (one process; see `engineSocket` for when). Throws `EngineUnreachableError` when
 * the Engine does not answer.
 */
export async function listContainers(options: ListOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<ContainerSummary[]> {
	const socket = engineSocket(env);
	if (socket) {
		const filters = options.labels?.length ? `&filters=${encodeURIComponent(JSON.stringify({label: options.labels}))}` : '';
		try {
			const list = await engineGet<ApiContainer[]>(socket, `/containers/json?all=${options.all ? 1 : 0}${filters}`);
			return list.map(fromApi);
		} catch (error) {
			// A runtime whose node:net lacks unix sockets falls through to the CLI; a dead engine does not.
			if (!(error instanceof SocketRouteError)) throw error;
		}
	}
	const {listContainersCli} = await import('./list-cli.ts');
	return listContainersCli(options, env);
}
