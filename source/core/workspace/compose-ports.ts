import path from 'node:path';
import {parse} from 'yaml';
import {errorMessage} from '../errors.ts';
import {readBounded} from '../read-bounded.ts';
import {runBounded} from '../pool.ts';

/**
 * Bounds on reading a user's compose file. A compose file is written by hand or generated; the largest
 * real ones hold a few hundred services in well under 100 kB. Past these bounds berth reads nothing
 * and says so, naming the file: a 1 MiB file parses in about 0.5 s here (yaml is linear with
 * `uniqueKeys: false`; with its default duplicate-key check, 30,000 services took 17 s), aliases are
 * capped (an alias bomb expands exponentially) and a port range longer than MAX_RANGE is not expanded.
 */
export const COMPOSE_LIMITS = {maxBytes: 1024 * 1024, maxServices: 1000, maxAliases: 100, maxRange: 1000, maxPorts: 10_000} as const;

export type Protocol = 'tcp' | 'udp' | 'sctp';

/** One host port a compose file publishes. */
export interface PublishedPort {
	service: string;
	hostPort: number;
	/** `null`: all addresses (compose's default). */
	hostIp: string | null;
	protocol: Protocol;
	/** Written as a literal number, not through a ${VARIABLE}. */
	fixed: boolean;
}

/** A host port a compose file publishes as a literal number (no ${VARIABLE} in it). */
export type FixedPort = PublishedPort;

/** What one port entry publishes: host ports (none for a container-only entry), or why it is not a port entry. */
export type PortEntryResult = {ok: true; ports: {hostPort: number; hostIp: string | null; protocol: Protocol}[]} | {ok: false; reason: string};

/** Variables for `${NAME}` in port entries; `undefined` leaves entries with variables out. */
export type Variables = (name: string) => string | undefined;

const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp', 'sctp'];

function shown(entry: unknown): string {
	let text: string;
	try {
		text = typeof entry === 'string' ? JSON.stringify(entry) : (JSON.stringify(entry) ?? typeof entry);
	} catch {
		// Cycles, BigInts, hostile toJSON/toString: say what it is, never call into it again.
		text = Object.prototype.toString.call(entry);
	}
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Compose's interpolation: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?err}, ${NAME?err}. `null` when a variable is unset. */
export function interpolate(text: string, variables: Variables): string | null {
	const pattern = /\$(?:\$|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\})/g;
	// A "$" that is none of these is a syntax compose refuses: not a port berth can know.
	if (text.replace(pattern, '').includes('$')) return null;
	let unresolved = false;
	const result = text.replace(pattern, (match, bare?: string, name?: string, op?: string, arg?: string) => {
		if (match === '$$') return '$';
		const value = variables((bare ?? name)!);
		if (op === ':-' && !value) return arg ?? '';
		if (op === '-' && value === undefined) return arg ?? '';
		if (value === undefined) unresolved = true;
		return value ?? '';
	});
	return unresolved ? null : result;
}

function expand(text: string): number[] | string {
	const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
	if (!match) return `"${text}" is not a port or a port range`;
	const from = Number(match[1]);
	const to = Number(match[2] ?? match[1]);
	if (from < 1 || to > 65535) return `port ${from > 65535 || from < 1 ? from : to} is outside 1..65535`;
	if (to < from) return `range ${text} ends before it starts`;
	if (to - from + 1 > COMPOSE_LIMITS.maxRange) return `range ${text} has ${to - from + 1} ports, more than berth checks (${COMPOSE_LIMITS.maxRange})`;
	const ports: number[] = [];
	for (let p = from; p <= to; p++) ports.push(p);
	return ports;
}

function protocolOf(value: unknown): Protocol | string {
	if (value === undefined || value === null || value === '') return 'tcp';
	if (typeof value !== 'string') return `protocol ${shown(value)} is not tcp, udp or sctp`;
	const text = value.toLowerCase();
	return (PROTOCOLS as readonly string[]).includes(text) ? (text as Protocol) : `protocol ${shown(value.slice(0, 20))} is not tcp, udp or sctp`;
}

function hostPorts(published: string, hostIp: string | null, protocol: Protocol): PortEntryResult {
	if (published === '') return {ok: true, ports: []}; // ":80": the engine picks the host port
	const ports = expand(published);
	if (typeof ports === 'string') return {ok: false, reason: ports};
	return {ok: true, ports: ports.map(hostPort => ({hostPort, hostIp, protocol}))};
}

/**
 * Parses one entry of a service's `ports:` list, short syntax ("8080", "127.0.0.1:5001:5000/udp",
 * "8000-8010:8000-8010", "[::1]:80:80") or long ({published, target, host_ip, protocol}), into the host
 * ports it publishes. A container-only entry publishes none (the engine picks a random host port).
 * With `variables`, ${NAME} is interpolated first; without, an entry with a variable publishes none.
 * Never throws: garbage gives `{ok: false, reason}`.
 */
export function parsePortEntry(entry: unknown, variables?: Variables): PortEntryResult {
	if (typeof entry === 'number') {
		return Number.isInteger(entry) && entry >= 1 && entry <= 65535 ? {ok: true, ports: []} : {ok: false, reason: `${shown(entry)} is not a container port`};
	}
	const resolve = (text: string): string | null => (!text.includes('$') ? text : variables ? interpolate(text, variables) : null);
	if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
		const long = entry as {published?: unknown; target?: unknown; host_ip?: unknown; protocol?: unknown};
		if (long.target === undefined) return {ok: false, reason: `${shown(entry)} has no target (the container port)`};
		const target = typeof long.target === 'number' || typeof long.target === 'string' ? expand(String(long.target)) : 'it is not a port';
		if (typeof target === 'string') return {ok: false, reason: `target ${shown(long.target)}: ${target}`};
		const protocol = protocolOf(typeof long.protocol === 'string' ? resolve(long.protocol) : long.protocol);
		if (!PROTOCOLS.includes(protocol as Protocol)) return {ok: false, reason: protocol};
		if (long.published === undefined || long.published === null) return {ok: true, ports: []};
		if (typeof long.published !== 'number' && typeof long.published !== 'string')
			return {ok: false, reason: `published ${shown(long.published)} is not a port`};
		const published = resolve(String(long.published));
		if (published === null) return {ok: true, ports: []};
		if (long.host_ip !== undefined && typeof long.host_ip !== 'string') return {ok: false, reason: `host_ip ${shown(long.host_ip)} is not an address`};
		const hostIp = typeof long.host_ip === 'string' ? resolve(long.host_ip) : null;
		if (typeof long.host_ip === 'string' && hostIp === null) return {ok: true, ports: []};
		return hostPorts(published, hostIp ? hostIp.replace(/^\[(.*)\]$/, '$1') : null, protocol as Protocol);
	}
	if (typeof entry !== 'string') return {ok: false, reason: `${shown(entry)} is not a port entry`};
	const text = resolve(entry);
	if (text === null) return {ok: true, ports: []};
	const slash = text.lastIndexOf('/');
	const protocol = slash === -1 ? 'tcp' : protocolOf(text.slice(slash + 1));
	if (!PROTOCOLS.includes(protocol as Protocol)) return {ok: false, reason: `${shown(entry)}: ${protocol}`};
	const spec = slash === -1 ? text : text.slice(0, slash);
	// IPv6 host addresses come in brackets: [::1]:5001:5000; IPv4 ones as dotted quads.
	const withIp = /^(\[[0-9A-Fa-f:.%a-z]+\]|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):(.*)$/.exec(spec);
	const hostIp = withIp ? withIp[1]!.replace(/^\[(.*)\]$/, '$1') : null;
	const parts = (withIp ? withIp[2]! : spec).split(':');
	if (parts.length > 2 || (withIp && parts.length !== 2)) return {ok: false, reason: `${shown(entry)} is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`};
	const container = expand(parts.at(-1)!);
	if (typeof container === 'string') return {ok: false, reason: `${shown(entry)}: container ${container}`};
	if (parts.length === 1) return {ok: true, ports: []};
	return hostPorts(parts[0]!, hostIp, protocol as Protocol);
}

/** The host part of one port entry (no variables interpolated); kept for callers that only want numbers. */
export function fixedHostPorts(entry: unknown): {hostPort: number; hostIp: string | null}[] {
	const result = parsePortEntry(entry);
	return result.ok ? result.ports.map(({hostPort, hostIp}) => ({hostPort, hostIp})) : [];
}

function usesVariables(entry: unknown): boolean {
	if (typeof entry === 'string') return entry.includes('$');
	if (!entry || typeof entry !== 'object') return false;
	const long = entry as Record<string, unknown>;
	return ['published', 'host_ip', 'protocol'].some(key => typeof long[key] === 'string' && (long[key] as string).includes('$'));
}

/** What berth read from one compose file: its published ports, and every problem, each naming the file. */
export interface ComposePorts {
	file: string;
	ports: PublishedPort[];
	/** The file could not be read at all (too large, not YAML, too many services): `ports` is empty. */
	error: string | null;
	/** Entries berth could not read (the rest of the file was read). */
	warnings: string[];
}

/** The variables compose interpolates for an app: the process environment over the app's `.env`. */
export async function composeVariables(appDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Variables> {
	const file: Record<string, string> = {};
	let text = '';
	try {
		text = await readBounded(path.join(appDir, '.env'), COMPOSE_LIMITS.maxBytes);
	} catch {
		// No .env (or an unreadable one): compose then only has the environment.
	}
	for (const line of text.split(/\r?\n/)) {
		const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
		if (match) file[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
	}
	return name => env[name] ?? file[name];
}

/**
 * The published host ports of every service of a compose file, within COMPOSE_LIMITS. Never throws:
 * a file berth cannot read gives `error`, an entry it cannot read a warning, each naming the file.
 * With `variables`, ${NAME} in port entries is interpolated; without, only literal ports are read.
 */
export async function readComposePorts(file: string, variables?: Variables): Promise<ComposePorts> {
	const fail = (reason: string): ComposePorts => ({file, ports: [], error: `cannot read the ports of ${file}: ${reason}`, warnings: []});
	let text: string;
	try {
		text = await readBounded(file, COMPOSE_LIMITS.maxBytes);
	} catch (error) {
		return fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : errorMessage(error));
	}
	let doc: unknown;
	try {
		doc = parse(text, {maxAliasCount: COMPOSE_LIMITS.maxAliases, uniqueKeys: false, prettyErrors: false});
	} catch (error) {
		const message = errorMessage(error).split('\n')[0]!.slice(0, 200);
		if (/call stack/i.test(message)) return fail('it nests too deeply');
		if (/alias/i.test(message)) return fail(`it expands more aliases than berth follows (${COMPOSE_LIMITS.maxAliases})`);
		return fail(`it is not valid YAML (${message})`);
	}
	if (doc === null || doc === undefined) return {file, ports: [], error: null, warnings: []};
	if (typeof doc !== 'object' || Array.isArray(doc)) return fail('it is not a compose file (not a mapping)');
	const services = (doc as {services?: unknown}).services;
	if (services === undefined || services === null) return {file, ports: [], error: null, warnings: []};
	if (typeof services !== 'object' || Array.isArray(services)) return fail('"services" is not a mapping');
	const names = Object.keys(services);
	if (names.length > COMPOSE_LIMITS.maxServices) return fail(`it has ${names.length} services, more than berth reads (${COMPOSE_LIMITS.maxServices})`);
	const result: ComposePorts = {file, ports: [], error: null, warnings: []};
	for (const service of names) {
		const definition = (services as Record<string, unknown>)[service];
		const ports = definition && typeof definition === 'object' ? (definition as {ports?: unknown}).ports : undefined;
		if (ports === undefined || ports === null) continue;
		if (!Array.isArray(ports)) {
			result.warnings.push(`${file}: service ${service}: "ports" is not a list`);
			continue;
		}
		for (const entry of ports) {
			const fixed = !usesVariables(entry);
			const parsed = parsePortEntry(entry, variables);
			if (!parsed.ok) {
				result.warnings.push(`${file}: service ${service}: port entry ${parsed.reason}`);
				continue;
			}
			for (const port of parsed.ports) result.ports.push({service, ...port, fixed});
			if (result.ports.length > COMPOSE_LIMITS.maxPorts) return fail(`it publishes more than ${COMPOSE_LIMITS.maxPorts} host ports`);
		}
	}
	return result;
}

/** The fixed (literal) host ports of every service of a compose file; an unreadable file gives none (see readComposePorts for why). */
export async function composeFixedPorts(file: string): Promise<FixedPort[]> {
	return (await readComposePorts(file)).ports.filter(port => port.fixed);
}

/**
 * What berth cannot read in these compose files (whole files, then single port entries), each message
 * naming its file: for listings, so that no file is skipped without a word. Reads 8 files at a time.
 */
export async function composeFileWarnings(files: readonly string[]): Promise<string[]> {
	// readComposePorts never throws: every file has a result.
	const results = await runBounded(files, 8, file => readComposePorts(file));
	return results.flatMap(r => (r.status === 'fulfilled' ? (r.value.error ? [r.value.error] : r.value.warnings) : [String(r.reason)]));
}
