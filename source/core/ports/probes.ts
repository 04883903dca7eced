import dgram from 'node:dgram';
import net from 'node:net';
import {readdir, readFile, readlink} from 'node:fs/promises';
import {PROJECT_LABEL} from '../compose-labels.ts';
import {isDeno} from '../runtime.ts';
import {listContainers, EngineUnreachableError, type ContainerSummary} from '../docker/engine.ts';
import {contextEnv, isLocalEndpoint, type EngineContext} from '../docker/contexts.ts';

/** Who holds a port, as far as the host tells. */
export interface PortHolder {
	port: number;
	kind: 'process' | 'container' | 'unknown';
	/** e.g. "process 4121 (python3)" or "container shop-app1-web-1 (compose project shop-app1)". */
	description: string;
	pid?: number;
	command?: string;
	container?: string;
	project?: string;
}

/** The host and engine questions the allocator asks, behind one interface so tests can pin them. */
export interface PortProbe {
	/** Is something listening on this TCP port on 127.0.0.1 or a wildcard address? */
	isBound(port: number): Promise<boolean>;
	/** Host ports published by running containers (empty when the engine is unreachable). */
	publishedPorts(): Promise<Map<number, ContainerSummary>>;
}

const WILDCARDS: readonly {host: string; ipv6Only?: boolean}[] = [{host: '127.0.0.1'}, {host: '0.0.0.0'}, {host: '::', ipv6Only: true}];

interface DenoListener {
	close(): void;
}
declare const Deno: {listen(options: {port: number; hostname: string; transport?: 'tcp'}): DenoListener} | undefined;

/**
 * Deno's own listen: its node:net compatibility layer takes ~4 ms per listen, Deno.listen ~0.02 ms.
 * A '::' listener is dual-stack there, which only makes the probe stricter after the IPv4 checks.
 */
function tryDenoListen(port: number, host: string): 'free' | 'bound' | 'unsupported' {
	try {
		Deno!.listen({port, hostname: host, transport: 'tcp'}).close();
		return 'free';
	} catch (error) {
		const code = (error as {code?: string}).code;
		return code === 'EADDRINUSE' || code === 'EACCES' || (error as Error).name === 'AddrInUse' || (error as Error).name === 'PermissionDenied'
			? 'bound'
			: 'unsupported';
	}
}

function tryListen(port: number, host: string, ipv6Only: boolean): Promise<'free' | 'bound' | 'unsupported'> {
	if (isDeno && typeof Deno!.listen === 'function') return Promise.resolve(tryDenoListen(port, host));
	return new Promise(resolve => {
		const server = net.createServer();
		server.unref();
		server.once('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve('bound');
			else resolve('unsupported'); // e.g. no IPv6 on this host
		});
		server.listen({port, host, ipv6Only, exclusive: true}, () => {
			server.close(() => resolve('free'));
		});
	});
}

/** Probes by listening: the only portable answer to "could a stack publish this port now?". */
export async function isPortBound(port: number): Promise<boolean> {
	for (const {host, ipv6Only} of WILDCARDS) {
		if ((await tryListen(port, host, ipv6Only ?? false)) === 'bound') return true;
	}
	return false;
}

/** The host ports published by running containers, and whether the Engine could be asked at all. */
export interface PublishedScan {
	ports: Map<number, ContainerSummary>;
	/** Set when the Engine is unreachable: `ports` is then empty, and says nothing about containers. */
	unreachable: EngineUnreachableError | null;
}

export async function scanPublished(env: NodeJS.ProcessEnv = process.env): Promise<PublishedScan> {
	const byPort = new Map<number, ContainerSummary>();
	let containers: ContainerSummary[];
	try {
		containers = await listContainers({}, env);
	} catch (error) {
		if (error instanceof EngineUnreachableError) return {ports: byPort, unreachable: error};
		throw error;
	}
	for (const container of containers) {
		for (const published of container.ports) byPort.set(published.hostPort, container);
	}
	return {ports: byPort, unreachable: null};
}

/** Host ports published by running containers; none when the Engine is unreachable (allocation goes on without it). */
export async function publishedPorts(): Promise<Map<number, ContainerSummary>> {
	return (await scanPublished()).ports;
}

/** Host ports published by running containers; throws EngineUnreachableError when the Engine cannot say. */
export async function publishedPortsOrThrow(env: NodeJS.ProcessEnv = process.env): Promise<Map<number, ContainerSummary>> {
	const scan = await scanPublished(env);
	if (scan.unreachable) throw scan.unreachable;
	return scan.ports;
}

/**
 * Whether a holder named by the OS is certainly not a container's port: a process other than the
 * Engine's own `docker-proxy`. Without the Engine, a docker-proxy (or a process the OS does not name)
 * may publish the app's own container, and nobody can say whose.
 */
export function isForeignProcess(holder: PortHolder): boolean {
	return holder.kind === 'process' && holder.command !== 'docker-proxy';
}

const WILDCARD_IPS = new Set(['', '0.0.0.0', '::', '*']);

function tryBindUdp(port: number, host: string): Promise<'free' | 'bound' | 'unsupported'> {
	return new Promise(resolve => {
		const socket = dgram.createSocket({type: net.isIPv6(host) ? 'udp6' : 'udp4', ipv6Only: host === '::'});
		socket.unref();
		socket.once('error', (error: NodeJS.ErrnoException) => {
			socket.close();
			resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? 'bound' : 'unsupported');
		});
		socket.bind({port, address: host, exclusive: true}, () => socket.close(() => resolve('free')));
	});
}

/**
 * Whether a stack could not publish `port` on `hostIp` (`null`: all addresses) with `protocol`: TCP is
 * probed by listening, UDP by binding; SCTP cannot be probed here and passes. An address that is not
 * this host's is left to the engine, which refuses it itself.
 */
export async function isPortBoundOn(port: number, hostIp: string | null, protocol: 'tcp' | 'udp' | 'sctp' = 'tcp'): Promise<boolean> {
	const wildcard = hostIp === null || WILDCARD_IPS.has(hostIp);
	if (protocol === 'tcp') return wildcard ? isPortBound(port) : (await tryListen(port, hostIp!, false)) === 'bound';
	if (protocol === 'udp') {
		for (const host of wildcard ? ['0.0.0.0', '::'] : [hostIp!]) if ((await tryBindUdp(port, host)) === 'bound') return true;
	}
	return false;
}

export const hostProbe: PortProbe = {isBound: isPortBound, publishedPorts};

/**
 * The probe for allocating on one engine: on a local one (its ports are this machine's) host binds and
 * the ports its containers publish; on a remote one only the ports its containers publish — host
 * processes there cannot be seen from here (`ports check` says so, and `up` names a bind failure).
 */
export function engineProbe(engine: EngineContext, env: NodeJS.ProcessEnv = process.env): PortProbe {
	const engineEnv = contextEnv(engine.name, env);
	const published = async () => (await scanPublished(engineEnv)).ports;
	return isLocalEndpoint(engine.endpoint) ? {isBound: isPortBound, publishedPorts: published} : {isBound: async () => false, publishedPorts: published};
}

/**
 * Names the process listening on a TCP port, from /proc (Linux). Returns `null` where the OS does not
 * tell (another OS, or a process of another user without permission to read its fds).
 */
export async function listeningProcess(port: number, protocol: 'tcp' | 'udp' = 'tcp'): Promise<{pid: number; command: string} | null> {
	const inodes = new Set<string>();
	// A TCP socket that holds a port is listening (0A); a UDP one is bound, unconnected (07).
	const state = protocol === 'udp' ? '07' : '0A';
	for (const table of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
		let text: string;
		try {
			text = await readFile(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10 || fields[3] !== state) continue;
			const local = fields[1]!;
			if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(fields[9]!);
		}
	}
	if (inodes.size === 0) return null;
	let pids: string[];
	try {
		pids = (await readdir('/proc')).filter(name => /^\d+$/.test(name));
	} catch {
		return null;
	}
	for (const pid of pids) {
		let fds: string[];
		try {
			fds = await readdir(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		for (const fd of fds) {
			let target: string;
			try {
				target = await readlink(`/proc/${pid}/fd/${fd}`);
			} catch {
				continue;
			}
			const match = /^socket:\[(\d+)\]$/.exec(target);
			if (match && inodes.has(match[1]!)) {
				const command = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim();
				return {pid: Number(pid), command};
			}
		}
	}
	return null;
}

/** Describes who holds `port`: a container (with its compose project), a named process, or unknown. */
export async function describeHolder(port: number, published?: Map<number, ContainerSummary>, protocol: 'tcp' | 'udp' | 'sctp' = 'tcp'): Promise<PortHolder> {
	const container = (published ?? (await publishedPorts())).get(port);
	if (container) {
		const project = container.labels[PROJECT_LABEL];
		return {
			port,
			kind: 'container',
			container: container.name,
			project,
			description: `container ${container.name}${project ? ` (compose project ${project})` : ''}`,
		};
	}
	const process = protocol === 'sctp' ? null : await listeningProcess(port, protocol);
	if (process) return {port, kind: 'process', ...process, description: `process ${process.pid} (${process.command})`};
	return {port, kind: 'unknown', description: 'another program (the OS did not say which)'};
}
