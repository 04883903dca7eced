import {BerthError, PortConflictError} from '../errors.ts';
import {listContainers, type ContainerSummary} from '../docker/engine.ts';
import {describeHolder, isPortBoundOn, publishedPortsOrThrow} from '../ports/probes.ts';
import type {Protocol} from '../workspace/compose-ports.ts';
import {PROJECT_LABEL} from '../compose-labels.ts';
import type {ComposeBinary} from './detect.ts';
import {publishedPorts, type AppModel} from './model.ts';
import {loadModel} from './model-load.ts';
import type {ComposeTarget} from './types.ts';

export interface PreflightProbe {
	/** Host ports published by running containers; throws EngineUnreachableError when the Engine cannot say. */
	publishedPorts: () => ReturnType<typeof publishedPortsOrThrow>;
	isBound(port: number, hostIp?: string | null, protocol?: Protocol): Promise<boolean>;
	describe: typeof describeHolder;
	/**
	 * Every running container with its published ports: one port number may be published by several
	 * (other addresses, other protocols) where `publishedPorts` keeps one. Without it, that map is all.
	 */
	containers?(): Promise<readonly ContainerSummary[]>;
	/** The app's compose model (what `up` will publish); `null` when there is no compose file. */
	model?(target: ComposeTarget): Promise<AppModel | null>;
}

/**
 * The probe of the host, with the app's model read by `binary` exactly as `up` runs it: the same files
 * (composeFilesFor) and the same environment with BERTH_PORT_<SLOT>, so the ports checked are the ports
 * compose will publish. With `cacheDir` (the store's model cache, which `ls` fills too) an app whose
 * files, variables and ports are unchanged is not asked again: the cache is keyed by all of them (file
 * contents, not times), so a file changed a moment ago is read afresh.
 */
export function hostProbe(binary: ComposeBinary | null, env: NodeJS.ProcessEnv = process.env, cacheDir: string | null = null): PreflightProbe {
	return {
		publishedPorts: () => publishedPortsOrThrow(env),
		isBound: isPortBoundOn,
		describe: describeHolder,
		containers: () => listContainers({}, env),
		model: async target => (target.composeFile ? (await loadModel(target, {binary, env, cacheDir})).model : null),
	};
}

interface Wanted {
	port: number;
	hostIp: string | null;
	protocol: Protocol;
	/** "backend" for an allocated slot, "service admin, 127.0.0.1/tcp" for a compose entry. */
	label: string;
}

/**
 * Before `up`: every host port the app would publish must be free, or published by this app's own
 * containers — its allocated ports, and every port its compose model publishes (active services not on
 * the host network, with their host address and protocol). Otherwise throws a PortConflictError naming each port and its
 * holder (process name and pid, or container and compose project), and nothing is started. Throws
 * EngineUnreachableError when the Engine cannot say which containers publish what: a port held by
 * the Engine's docker-proxy would otherwise look like a stranger's.
 */
export async function preflight(target: ComposeTarget, probe: PreflightProbe): Promise<void> {
	const wanted: Wanted[] = Object.entries(target.ports ?? {}).map(([slot, port]) => ({port, hostIp: null, protocol: 'tcp', label: slot}));
	const model = (await probe.model?.(target)) ?? null;
	if (model?.error) {
		throw new BerthError(`cannot start ${target.id}: ${model.error}. Nothing was started.`, {code: 'compose-file'});
	}
	const seen = new Set(wanted.map(w => `${w.port}/${w.protocol}`));
	for (const entry of model ? publishedPorts(model) : []) {
		const key = `${entry.hostPort}/${entry.protocol}/${entry.hostIp ?? '*'}`;
		// An allocated port the compose file publishes through its variable is checked as the allocation.
		if (seen.has(`${entry.hostPort}/${entry.protocol}`) || seen.has(key)) continue;
		seen.add(key);
		wanted.push({
			port: entry.hostPort!,
			hostIp: entry.hostIp,
			protocol: entry.protocol,
			label: `service ${entry.service}, ${entry.hostIp ?? '*'}/${entry.protocol}`,
		});
	}
	if (wanted.length === 0) return;
	const published = await probe.publishedPorts();
	const containers = (await probe.containers?.()) ?? [...published.values()];
	// The app's own containers never hold its ports against it, whichever container the map kept.
	const ownHolds = (want: Wanted) =>
		containers.some(c => c.labels[PROJECT_LABEL] === target.projectName && c.ports.some(p => p.hostPort === want.port && p.protocol === want.protocol));
	const conflicts: (Wanted & {holder: string})[] = [];
	for (const want of wanted) {
		const container = published.get(want.port);
		if (container?.labels[PROJECT_LABEL] === target.projectName || ownHolds(want)) continue;
		if (container || (await probe.isBound(want.port, want.hostIp, want.protocol))) {
			conflicts.push({...want, holder: (await probe.describe(want.port, published, want.protocol)).description});
		}
	}
	if (conflicts.length === 0) return;
	const list = conflicts.map(c => `port ${c.port} (${c.label}) is in use by ${c.holder}`).join('; ');
	const moves = [
		...(conflicts.some(c => !c.label.startsWith('service '))
			? [`move the app to free ports ("berth ports release ${target.id}" then "berth ports allocate ${target.id}", and update its compose file)`]
			: []),
		...(conflicts.some(c => c.label.startsWith('service '))
			? [`change the host port in ${model?.files.join(' or ') ?? target.composeFile} (or its .env), or adopt the app ("berth adopt ${target.id}")`]
			: []),
	];
	throw new PortConflictError(
		`cannot start ${target.id}: ${list}. Nothing was started. Stop that program, or ${moves.join(', or ')}.`,
		conflicts.map(({port, holder}) => ({port, holder})),
	);
}
