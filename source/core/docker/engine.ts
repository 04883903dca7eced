import net from 'node:net';
import {BerthError} from '../errors.ts';
import type {ContainerSummary, ListOptions} from './containers.ts';
import {engineSocket} from './transport.ts';
import {SocketRouteError, socketFailure} from './unreachable.ts';

export {engineSocket} from './transport.ts';
export type {ContainerSummary, ListOptions, PublishedPort} from './containers.ts';
export {EngineUnreachableError, SocketRouteError, isEngineUnreachable, socketFailure} from './unreachable.ts';

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

/** The request berth sends the Engine over its socket: a GET in plain HTTP/1.0 (the Engine then sends the body unchunked and closes it). */
export function engineRequest(urlPath: string): string {
	return `GET ${urlPath} HTTP/1.0\r\nHost: docker\r\nAccept: application/json\r\n\r\n`;
}

/** The Engine's answer as far as `text` goes: its HTTP status (0 when it is no HTTP answer) and the body, `null` until the headers have ended. */
export function engineResponse(text: string): {status: number; body: string | null} {
	const split = text.indexOf('\r\n\r\n');
	return {status: Number(/^HTTP\/\d\.\d (\d{3})/.exec(text)?.[1] ?? 0), body: split === -1 ? null : text.slice(split + 4)};
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
		socket.on('connect', () => socket.write(engineRequest(urlPath)));
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('error', error => finish(socketFailure(socketPath, error)));
		socket.on('end', () => {
			const response = engineResponse(Buffer.concat(chunks).toString('utf8'));
			const {status} = response;
			const body = response.body ?? '';
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
