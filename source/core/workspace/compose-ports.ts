import {readFile} from 'node:fs/promises';
import {parse} from 'yaml';

/** A host port a compose file publishes as a literal number (no ${VARIABLE} in it). */
export interface FixedPort {
	service: string;
	hostPort: number;
	hostIp: string | null;
}

/**
 * Parses one short-syntax port entry ("8080", "127.0.0.1:5001:5000", "5001:5000/tcp") into its host
 * part. Entries with variables are not fixed: they follow the allocation. Ranges are expanded.
 */
export function fixedHostPorts(entry: unknown): {hostPort: number; hostIp: string | null}[] {
	if (typeof entry === 'number') return []; // container port only: the engine picks a random host port
	if (entry && typeof entry === 'object') {
		const long = entry as {published?: unknown; host_ip?: unknown};
		const published = typeof long.published === 'number' ? String(long.published) : typeof long.published === 'string' ? long.published : null;
		if (!published || published.includes('$')) return [];
		return expand(published).map(hostPort => ({hostPort, hostIp: typeof long.host_ip === 'string' ? long.host_ip : null}));
	}
	if (typeof entry !== 'string' || entry.includes('$')) return [];
	const spec = entry.replace(/\/(tcp|udp|sctp)$/, '');
	// IPv6 host addresses come in brackets: [::1]:5001:5000
	const ipMatch = /^(\[[^\]]+\]|\d+\.\d+\.\d+\.\d+):(.+)$/.exec(spec);
	const hostIp = ipMatch ? ipMatch[1]!.replace(/^\[|\]$/g, '') : null;
	const rest = ipMatch ? ipMatch[2]! : spec;
	const parts = rest.split(':');
	if (parts.length < 2 || !parts[0]) return []; // "5000" or ":5000": no fixed host port
	return expand(parts[0]).map(hostPort => ({hostPort, hostIp}));
}

function expand(text: string): number[] {
	const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
	if (!match) return [];
	const from = Number(match[1]);
	const to = Number(match[2] ?? match[1]);
	const ports: number[] = [];
	for (let p = from; p <= to && ports.length < 1000; p++) ports.push(p);
	return ports;
}

/** The fixed host ports of every service of a compose file; an unreadable file gives none. */
export async function composeFixedPorts(file: string): Promise<FixedPort[]> {
	let doc: unknown;
	try {
		doc = parse(await readFile(file, 'utf8'));
	} catch {
		return [];
	}
	const services = (doc as {services?: Record<string, {ports?: unknown[]}>} | null)?.services;
	if (!services || typeof services !== 'object') return [];
	const result: FixedPort[] = [];
	for (const [service, definition] of Object.entries(services)) {
		for (const entry of Array.isArray(definition?.ports) ? definition.ports : []) {
			for (const port of fixedHostPorts(entry)) result.push({service, ...port});
		}
	}
	return result;
}
