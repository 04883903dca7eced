import type {Protocol} from '../workspace/compose-ports.ts';

/**
 * An app's effective compose model as berth uses it: what compose itself resolved from the app's files
 * (the compose file, the user's override, `.env`, interpolation, `extends`, `include`, merge keys),
 * normalised to what berth needs to know about ports and the hazards of running copies side by side.
 * The loader (model-load.ts) asks compose; this module only reads what compose printed, so it is
 * free of I/O and shared by compose's JSON (v2), its YAML (v1) and berth's own reader (no compose).
 */

/** One host port mapping of a service, as compose resolved it. */
export interface ModelPort {
	service: string;
	/** The container port. */
	target: number;
	/** The host port; `null` when the engine picks one (a container-only entry, or a host range). */
	hostPort: number | null;
	/** `"9100-9110"` when the entry publishes the target on one port of a host range. */
	hostRange: string | null;
	/** `null`: all addresses (compose's default). */
	hostIp: string | null;
	protocol: Protocol;
}

export interface ModelService {
	name: string;
	/** Every port entry, container-only ones included (an override that replaces the list must keep them). */
	ports: ModelPort[];
	/** `network_mode`, e.g. "host", "service:db"; `null` for compose's default network. */
	networkMode: string | null;
	containerName: string | null;
	profiles: string[];
	/** Started by a plain `up`: no profile, or one of COMPOSE_PROFILES. */
	active: boolean;
}

export interface AppModel {
	/** The files compose read, in the order berth passes them (`-f` each). */
	files: string[];
	/** Who read them: "compose v2 2.26.1", "compose v1 1.29.2", or "berth's reader" (no compose installed). */
	source: string;
	services: ModelService[];
	/** The effective config as compose printed it (`null` from berth's reader or when compose refused the files). */
	config: Record<string, unknown> | null;
	/** Compose (or the reader) refused the files: why, naming the file. `services` is then empty. */
	error: string | null;
	/** What compose said on the side (unset variables, obsolete keys), each naming the file. */
	warnings: string[];
	/**
	 * The project name the user's files set themselves (a top-level `name:`), interpolated; `null` when they
	 * set none. berth passes its own (`-p`), so this is not the name berth runs the app under.
	 */
	declaredName: string | null;
}

const PROTOCOLS: readonly string[] = ['tcp', 'udp', 'sctp'];

function portNumber(value: unknown): number | null {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d{1,5}$/.test(text)) return null;
	const port = Number(text);
	return port >= 1 && port <= 65535 ? port : null;
}

function range(text: string): [number, number] | null {
	const match = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
	if (!match) return null;
	const from = portNumber(match[1]);
	const to = portNumber(match[2]);
	return from !== null && to !== null && from <= to ? [from, to] : null;
}

/** The longest range berth expands into single ports (a `1-65535:1-65535` entry is refused, not expanded). */
const MAX_RANGE = 1000;

function shown(entry: unknown): string {
	let text: string;
	try {
		text = JSON.stringify(entry) ?? typeof entry;
	} catch {
		text = Object.prototype.toString.call(entry);
	}
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The mappings of one `ports:` entry as compose prints it: long syntax (v2 always; v1 for most) or
 * short syntax ("127.0.0.1:8000:8000/tcp", "8000-8002:8000-8002", "[::1]:80:80", "80"). A string is a
 * reason the entry is not a port entry.
 */
export function portMappings(service: string, entry: unknown): ModelPort[] | string {
	let target: string;
	let published: string | null;
	let hostIp: string | null;
	let protocol: string;
	if (typeof entry === 'number') {
		target = String(entry);
		published = null;
		hostIp = null;
		protocol = 'tcp';
	} else if (typeof entry === 'string') {
		const slash = entry.lastIndexOf('/');
		protocol = slash === -1 ? 'tcp' : entry.slice(slash + 1).toLowerCase();
		const spec = slash === -1 ? entry : entry.slice(0, slash);
		// "[::1]:80:80" as written; compose v1 prints it as "::1:80:80" (the last two fields are the ports).
		const withIp =
			/^(\[[0-9A-Fa-f:.%a-z]+\]|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):(.*)$/.exec(spec) ??
			/^([0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?:%[\w.-]+)?):([\d-]+:[\d-]+)$/.exec(spec);
		hostIp = withIp ? withIp[1]!.replace(/^\[(.*)\]$/, '$1') : null;
		const parts = (withIp ? withIp[2]! : spec).split(':');
		if (parts.length > 2 || (withIp && parts.length !== 2)) return `${shown(entry)} is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`;
		target = parts.at(-1)!;
		published = parts.length === 2 && parts[0] !== '' ? parts[0]! : null;
	} else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
		const long = entry as Record<string, unknown>;
		if (typeof long['target'] !== 'number' && typeof long['target'] !== 'string') return `${shown(entry)} has no target (the container port)`;
		target = String(long['target']);
		const p = long['published'];
		published = p === undefined || p === null || p === '' ? null : typeof p === 'number' || typeof p === 'string' ? String(p) : '?';
		const ip = long['host_ip'];
		if (ip !== undefined && ip !== null && typeof ip !== 'string') return `host_ip ${shown(ip)} is not an address`;
		hostIp = ip ? ip.replace(/^\[(.*)\]$/, '$1') : null;
		const proto = long['protocol'];
		if (proto !== undefined && proto !== null && typeof proto !== 'string') return `${shown(entry)}: protocol ${shown(proto)} is not tcp, udp or sctp`;
		protocol = proto ? proto.toLowerCase() : 'tcp';
	} else {
		return `${shown(entry)} is not a port entry`;
	}
	if (!PROTOCOLS.includes(protocol)) return `${shown(entry)}: protocol ${shown(protocol)} is not tcp, udp or sctp`;
	if (hostIp === '0.0.0.0' || hostIp === '') hostIp = null;
	const proto = protocol as Protocol;
	const single = portNumber(target);
	const targets = range(target);
	if (single === null && targets === null) return `${shown(entry)}: container port ${shown(target)} is not a port or a port range`;
	const make = (t: number, hostPort: number | null, hostRange: string | null): ModelPort => ({
		service,
		target: t,
		hostPort,
		hostRange,
		hostIp,
		protocol: proto,
	});
	if (published === null) {
		if (single !== null) return [make(single, null, null)];
		const [from, to] = targets!;
		if (to - from + 1 > MAX_RANGE) return `${shown(entry)}: range of ${to - from + 1} ports, more than berth expands (${MAX_RANGE})`;
		return Array.from({length: to - from + 1}, (_, i) => make(from + i, null, null));
	}
	const host = portNumber(published);
	const hosts = range(published);
	if (host === null && hosts === null) return `${shown(entry)}: host port ${shown(published)} is not a port or a port range`;
	if (single !== null) {
		if (host !== null) return [make(single, host, null)];
		// A host range for one container port: the engine picks one free port of the range.
		const [from, to] = hosts!;
		return from === to ? [make(single, from, null)] : [make(single, null, published)];
	}
	const [tFrom, tTo] = targets!;
	const [hFrom, hTo] = hosts ?? [host!, host!];
	if (hTo - hFrom !== tTo - tFrom) return `${shown(entry)}: host range and container range differ in length`;
	if (tTo - tFrom + 1 > MAX_RANGE) return `${shown(entry)}: range of ${tTo - tFrom + 1} ports, more than berth expands (${MAX_RANGE})`;
	return Array.from({length: tTo - tFrom + 1}, (_, i) => make(tFrom + i, hFrom + i, null));
}

/** The profiles COMPOSE_PROFILES turns on ("*" turns on all). */
export function activeProfiles(env: NodeJS.ProcessEnv): Set<string> {
	return new Set(
		(env['COMPOSE_PROFILES'] ?? '')
			.split(',')
			.map(p => p.trim())
			.filter(Boolean),
	);
}

/**
 * The services of a resolved compose config (compose's JSON or YAML output, or berth's own merge).
 * `problems` collects what cannot be read, each naming `file`.
 */
export function servicesOf(config: Record<string, unknown>, env: NodeJS.ProcessEnv, file: string, problems: string[]): ModelService[] {
	const services = config['services'];
	if (services === undefined || services === null) return [];
	if (typeof services !== 'object' || Array.isArray(services)) {
		problems.push(`${file}: "services" is not a mapping`);
		return [];
	}
	const profilesOn = activeProfiles(env);
	const result: ModelService[] = [];
	for (const [name, value] of Object.entries(services as Record<string, unknown>)) {
		const definition = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
		const ports: ModelPort[] = [];
		const list = definition['ports'];
		if (list !== undefined && list !== null && !Array.isArray(list)) problems.push(`${file}: service ${name}: "ports" is not a list`);
		for (const entry of Array.isArray(list) ? list : []) {
			const mapped = portMappings(name, entry);
			if (typeof mapped === 'string') problems.push(`${file}: service ${name}: port entry ${mapped}`);
			else ports.push(...mapped);
		}
		const profiles = Array.isArray(definition['profiles']) ? definition['profiles'].filter((p): p is string => typeof p === 'string') : [];
		result.push({
			name,
			ports,
			networkMode: typeof definition['network_mode'] === 'string' ? definition['network_mode'] : null,
			containerName: typeof definition['container_name'] === 'string' ? definition['container_name'] : null,
			profiles,
			active: profiles.length === 0 || profilesOn.has('*') || profiles.some(p => profilesOn.has(p)),
		});
	}
	return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The host ports a model publishes: every mapping with a host port, of active services not on the host network. */
export function publishedPorts(model: Pick<AppModel, 'services'>): ModelPort[] {
	return model.services.filter(s => s.active && s.networkMode !== 'host').flatMap(s => s.ports.filter(p => p.hostPort !== null));
}
