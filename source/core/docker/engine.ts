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
		socket.setTimeout(timeoutMs, () => finish(new EngineUnreachableError(`${socketPath}: no answer within ${timeoutMs} ms`)));
		socket.on('connect', () => socket.write(`GET ${urlPath} HTTP/1.0\r\nHost: docker\r\nAccept: application/json\r\n\r\n`));
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('error', error => finish(new EngineUnreachableError(`${socketPath}: ${errorMessage(error)}`, error)));
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
			// A runtime whose node:http lacks unix sockets falls through to the CLI; a dead engine does not.
			if (!(error instanceof EngineUnreachableError) || /ENOENT|ECONNREFUSED|EACCES/.test(errorMessage(error))) throw error;
		}
	}
	const {listContainersCli} = await import('./list-cli.ts');
	return listContainersCli(options, env);
}
