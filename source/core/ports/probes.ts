import net from 'node:net';
import {readdir, readFile, readlink} from 'node:fs/promises';
import {listContainers, EngineUnreachableError, type ContainerSummary} from '../docker/engine.ts';

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

const WILDCARDS: readonly {host: string; ipv6Only?: boolean}[] = [
	{host: '127.0.0.1'},
	{host: '0.0.0.0'},
	{host: '::', ipv6Only: true},
];

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
		return code === 'EADDRINUSE' || code === 'EACCES' || (error as Error).name === 'AddrInUse' || (error as Error).name === 'PermissionDenied' ? 'bound' : 'unsupported';
	}
}

function tryListen(port: number, host: string, ipv6Only: boolean): Promise<'free' | 'bound' | 'unsupported'> {
	if (typeof Deno !== 'undefined' && typeof Deno.listen === 'function') return Promise.resolve(tryDenoListen(port, host));
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

export async function publishedPorts(): Promise<Map<number, ContainerSummary>> {
	const byPort = new Map<number, ContainerSummary>();
	let containers: ContainerSummary[];
	try {
		containers = await listContainers();
	} catch (error) {
		// No engine: no container can publish a port. Anything else is a real failure.
		if (error instanceof EngineUnreachableError) return byPort;
		throw error;
	}
	for (const container of containers) {
		for (const published of container.ports) byPort.set(published.hostPort, container);
	}
	return byPort;
}

export const hostProbe: PortProbe = {isBound: isPortBound, publishedPorts};

/**
 * Names the process listening on a TCP port, from /proc (Linux). Returns `null` where the OS does not
 * tell (another OS, or a process of another user without permission to read its fds).
 */
export async function listeningProcess(port: number): Promise<{pid: number; command: string} | null> {
	const inodes = new Set<string>();
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text: string;
		try {
			text = await readFile(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10 || fields[3] !== '0A') continue; // 0A = LISTEN
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
export async function describeHolder(port: number, published?: Map<number, ContainerSummary>): Promise<PortHolder> {
	const container = (published ?? (await publishedPorts())).get(port);
	if (container) {
		const project = container.labels['com.docker.compose.project'];
		return {
			port,
			kind: 'container',
			container: container.name,
			project,
			description: `container ${container.name}${project ? ` (compose project ${project})` : ''}`,
		};
	}
	const process = await listeningProcess(port);
	if (process) return {port, kind: 'process', ...process, description: `process ${process.pid} (${process.command})`};
	return {port, kind: 'unknown', description: 'another program (the OS did not say which)'};
}
