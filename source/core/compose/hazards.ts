import path from 'node:path';
import {type AppModel, type ModelService, publishedPorts} from './model.ts';

/**
 * What stops two copies of an app from running at once, and what berth's adoption does not change:
 * each a warning a user can act on, never a failure. Read from the model only (compose's resolved
 * config, v2 JSON or v1 YAML shape, and the services berth derived from it), so this is free of I/O.
 */

export interface Hazard {
	kind:
		| 'host-network'
		| 'fixed-subnet'
		| 'container-ip'
		| 'external-network'
		| 'external-volume'
		| 'bind-outside'
		| 'env-mentions-port'
		| 'project-name'
		| 'host-range';
	/** The service it concerns; `null` when it concerns the app as a whole. */
	service: string | null;
	message: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/**
 * Host files that every container may share without one copy disturbing another: the engine's socket and
 * the host's clock settings. Read-only binds are not listed here: they never count (nothing is written).
 */
const SHARED_HOST_FILES = new Set(['/var/run/docker.sock', '/run/docker.sock', '/etc/localtime', '/etc/timezone']);

function serviceDefinitions(config: Json | null): [string, Json][] {
	const services = config?.['services'];
	if (!isObject(services)) return [];
	return Object.entries(services)
		.filter((entry): entry is [string, Json] => isObject(entry[1]))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A service's networks: a mapping (v2, v1) or a list (berth's reader); absent means the default one. */
function networksOf(definition: Json): Map<string, Json> {
	const networks = definition['networks'];
	const result = new Map<string, Json>();
	if (Array.isArray(networks)) for (const name of networks) if (typeof name === 'string') result.set(name, {});
	if (isObject(networks)) for (const [name, value] of Object.entries(networks)) result.set(name, isObject(value) ? value : {});
	if (result.size === 0 && typeof definition['network_mode'] !== 'string') result.set('default', {});
	return result;
}

interface Mount {
	type: 'bind' | 'volume' | 'other';
	source: string;
	readOnly: boolean;
}

/** One `volumes:` entry of a service: long syntax (v2 always) or short "SOURCE:TARGET[:MODE]" (v1). */
function mountOf(entry: unknown): Mount | null {
	if (isObject(entry)) {
		const source = entry['source'];
		if (typeof source !== 'string' || source === '') return null;
		const type = entry['type'] === 'bind' ? 'bind' : entry['type'] === 'volume' ? 'volume' : 'other';
		const bind = isObject(entry['bind']) ? entry['bind'] : {};
		return {type, source, readOnly: entry['read_only'] === true || bind['read_only'] === true};
	}
	if (typeof entry !== 'string') return null;
	const parts = entry.split(':');
	if (parts.length < 2) return null; // a container-only anonymous volume
	const source = parts[0]!;
	const mode = parts.length > 2 ? parts.at(-1)! : '';
	const bind = /^[/.~]/.test(source);
	return {type: bind ? 'bind' : 'volume', source, readOnly: mode.split(',').includes('ro')};
}

const isExternal = (definition: unknown): boolean => isObject(definition) && (definition['external'] === true || isObject(definition['external']));

/** The name an external resource has on the engine: `name:` (v2, v1), or the old `external: {name}`. */
function externalName(key: string, definition: Json): string {
	const external = definition['external'];
	if (isObject(external) && typeof external['name'] === 'string') return external['name'];
	return typeof definition['name'] === 'string' ? definition['name'] : key;
}

function inside(dir: string, file: string): boolean {
	const relative = path.relative(path.resolve(dir), path.resolve(dir, file));
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Environment variables of a service: a mapping (v2, v1) or a "KEY=VALUE" list. */
function environmentOf(definition: Json): [string, string][] {
	const env = definition['environment'];
	if (isObject(env)) {
		return Object.entries(env)
			.filter(([, v]) => typeof v === 'string' || typeof v === 'number')
			.map(([k, v]) => [k, String(v)]);
	}
	if (Array.isArray(env)) {
		return env.filter((e): e is string => typeof e === 'string' && e.includes('=')).map(e => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]);
	}
	return [];
}

function listed(names: string[]): string {
	const quoted = names.map(n => `"${n}"`);
	return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

function onlyWithProfile(service: ModelService | undefined): string {
	return service && !service.active && service.profiles.length > 0 ? ` (only with profile ${listed(service.profiles)})` : '';
}

function serviceHazards(model: AppModel): Hazard[] {
	const hazards: Hazard[] = [];
	for (const service of model.services) {
		const profile = onlyWithProfile(service);
		if (service.networkMode === 'host') {
			hazards.push({
				kind: 'host-network',
				service: service.name,
				message: `service "${service.name}" uses the host's network (network_mode: host)${profile}: it listens on the host's own ports, which berth cannot remap, so two copies collide. Publish its ports instead of using the host network to run copies side by side.`,
			});
			continue; // its port entries are ignored by compose
		}
		for (const port of service.ports.filter(p => p.hostRange !== null)) {
			hazards.push({
				kind: 'host-range',
				service: service.name,
				message: `service "${service.name}" publishes container port ${port.target}/${port.protocol} on one port of the host range ${port.hostRange}${profile}: the engine picks which, so berth cannot tell which port it takes. Publish it on one host port to have berth allocate and remap it.`,
			});
		}
	}
	return hazards;
}

function configHazards(model: AppModel, appDir: string): Hazard[] {
	const config = model.config;
	if (!config) return [];
	const hazards: Hazard[] = [];
	const byName = new Map(model.services.map(s => [s.name, s]));
	const networks = isObject(config['networks']) ? config['networks'] : {};
	const volumes = isObject(config['volumes']) ? config['volumes'] : {};
	const networkUsers = new Map<string, string[]>();
	const volumeUsers = new Map<string, string[]>();
	const hostPorts = [...new Set(publishedPorts(model).map(p => p.hostPort!))].sort((a, b) => a - b);
	for (const [name, definition] of serviceDefinitions(config)) {
		const profile = onlyWithProfile(byName.get(name));
		for (const [network, attachment] of networksOf(definition)) {
			networkUsers.set(network, [...(networkUsers.get(network) ?? []), name]);
			for (const key of ['ipv4_address', 'ipv6_address'] as const) {
				const address = attachment[key];
				if (typeof address !== 'string' || address === '') continue;
				hazards.push({
					kind: 'container-ip',
					service: name,
					message: `service "${name}" has the fixed address ${address} on network "${network}"${profile}: a second copy would ask for the same address. Remove ${key} to let the engine pick one.`,
				});
			}
		}
		const mounts = Array.isArray(definition['volumes']) ? definition['volumes'] : [];
		for (const mount of mounts.map(mountOf)) {
			if (!mount) continue;
			if (mount.type === 'volume') {
				volumeUsers.set(mount.source, [...(volumeUsers.get(mount.source) ?? []), name]);
				continue;
			}
			if (mount.type !== 'bind' || mount.readOnly || SHARED_HOST_FILES.has(mount.source)) continue;
			if (inside(appDir, mount.source)) continue;
			hazards.push({
				kind: 'bind-outside',
				service: name,
				message: `service "${name}" mounts ${mount.source}, outside the app folder${profile}: every copy of the app reads and writes the same files. Point the mount into the app folder (e.g. ./data) to give each copy its own.`,
			});
		}
		if (hostPorts.length > 0) {
			for (const [variable, value] of environmentOf(definition)) {
				const port = hostPorts.find(p => new RegExp(`(^|[^0-9])${p}([^0-9]|$)`).test(value));
				if (port === undefined) continue;
				hazards.push({
					kind: 'env-mentions-port',
					service: name,
					message: `service "${name}": ${variable}=${value.length > 80 ? `${value.slice(0, 77)}...` : value} mentions published port ${port}${profile}: once berth remaps the port, the app may still advertise or call ${port}. Set ${variable} from the allocated port (BERTH_PORT_<SLOT> in the environment) or check that it only means the container port.`,
				});
			}
		}
	}
	for (const [network, users] of [...networkUsers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		const definition = networks[network];
		if (!isObject(definition)) continue;
		const service = users.length === 1 ? users[0]! : null;
		if (isExternal(definition)) {
			hazards.push({
				kind: 'external-network',
				service,
				message: `network "${network}" is external (the engine's "${externalName(network, definition)}"), used by ${listed(users)}: every copy joins the same network, where service names and fixed addresses collide. Give each copy its own network by removing external: true, unless sharing it is the point.`,
			});
		}
		const ipam = isObject(definition['ipam']) ? definition['ipam'] : {};
		const subnets = (Array.isArray(ipam['config']) ? ipam['config'] : [])
			.map(c => (isObject(c) ? c['subnet'] : undefined))
			.filter((s): s is string => typeof s === 'string' && s !== '');
		if (subnets.length > 0 && !isExternal(definition)) {
			hazards.push({
				kind: 'fixed-subnet',
				service,
				message: `network "${network}" has the fixed subnet ${subnets.join(', ')}, used by ${listed(users)}: a second copy cannot create a network on the same subnet. Remove the ipam subnet to let the engine pick one per copy.`,
			});
		}
	}
	for (const [volume, users] of [...volumeUsers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		const definition = volumes[volume];
		if (!isExternal(definition)) continue;
		const unique = [...new Set(users)];
		hazards.push({
			kind: 'external-volume',
			service: unique.length === 1 ? unique[0]! : null,
			message: `volume "${volume}" is external (the engine's "${externalName(volume, definition as Json)}"), used by ${listed(unique)}: every copy reads and writes the same data. Remove external: true to give each copy its own volume, unless sharing it is the point.`,
		});
	}
	return hazards;
}

/**
 * What stops two copies of the app in `appDir` from running at once and what `berth adopt` leaves as it
 * is: ports berth remaps and container names it replaces are not here; everything else that is shared or
 * fixed is, each naming the service and what the user can do.
 */
export function appHazards(model: AppModel, appDir: string): Hazard[] {
	const hazards: Hazard[] = [];
	if (model.declaredName) {
		hazards.push({
			kind: 'project-name',
			service: null,
			message: `the compose file sets the project name "${model.declaredName}" (name:): berth runs the app under its own project name, but \`docker compose\` run by hand in this folder or in a copy of it uses "${model.declaredName}" for every copy, so they replace each other's containers. Remove the name: line to let each folder name its project.`,
		});
	}
	hazards.push(...serviceHazards(model), ...configHazards(model, appDir));
	return hazards;
}

/**
 * What an app placed on a remote engine (another machine) mounts from this one: every bind mount of its
 * model (the Engine's own socket and clock files exist there too). Compose sends the build context
 * over the API, but a bind mount names a path on the engine's host, which will not hold this folder
 * unless the same path is shared there. One warning per mount, naming the app, service and engine.
 */
export function remoteMountWarnings(model: AppModel, app: {id: string}, engine: {name: string; endpoint: string}): string[] {
	const warnings: string[] = [];
	for (const [name, definition] of serviceDefinitions(model.config)) {
		const mounts = Array.isArray(definition['volumes']) ? definition['volumes'] : [];
		for (const mount of mounts.map(mountOf)) {
			if (!mount || mount.type !== 'bind' || SHARED_HOST_FILES.has(mount.source)) continue;
			warnings.push(
				`${app.id} runs on engine ${engine.name} (${engine.endpoint}), another machine: service "${name}" bind-mounts ${mount.source} from this one, which ${engine.name} will not see unless the same path is shared there`,
			);
		}
	}
	return warnings;
}
