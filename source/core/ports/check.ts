import {PROJECT_LABEL} from '../compose-labels.ts';
import type {StoreDocument} from './allocator.ts';
import {contextEnv, currentContextName, isLocalEndpoint, listEngineContexts} from '../docker/contexts.ts';
import {describeHolder, isForeignProcess, isPortBound, scanPublished, type PortProbe, type PublishedScan} from './probes.ts';

export type ConflictKind = 'duplicate-allocation' | 'bound-by-process' | 'published-by-other-project' | 'compose-fixed-port';

export interface PortConflict {
	kind: ConflictKind;
	port: number;
	/** For a compose port: the protocol it is published with. */
	protocol?: string;
	/** The apps involved, as `<model>/app<N>`. */
	apps: string[];
	message: string;
}

export interface CheckOptions {
	/** Pins the host questions (tests); its `publishedPorts` is taken as an answering Engine, for every engine. */
	probe?: PortProbe;
	describe?: typeof describeHolder;
	/** The environment docker contexts are read from (default process.env). */
	env?: NodeJS.ProcessEnv;
}

/** Something the check could not judge: never a conflict, never silent. */
export interface CheckWarning {
	/** `host-network`, `host-range`: what a compose model publishes that is not a fixed port (notes, never conflicts). */
	kind: 'engine-unreachable' | 'compose-file' | 'host-network' | 'host-range' | 'remote-engine';
	/** The port it is about, when it is about one. */
	port?: number;
	/** The file it is about, when it is about one. */
	file?: string;
	message: string;
}

export interface CheckReport {
	conflicts: PortConflict[];
	warnings: CheckWarning[];
	engine: {reachable: boolean; message: string | null};
	/** Every question was answered: no allocated port was left unjudged for want of the Engine. */
	complete: boolean;
}

/**
 * The apps each allocated port is allocated to (more than one: a duplicate allocation) on `engine`, or
 * on every engine together when none is named. A port is unique per engine, not per store.
 */
export function allocationOwners(doc: StoreDocument, engine?: string): Map<number, string[]> {
	const owners = new Map<number, string[]>();
	for (const a of doc.allocations) {
		if (engine !== undefined && a.engine !== engine) continue;
		for (const port of Object.values(a.ports)) {
			const list = owners.get(port) ?? [];
			list.push(`${a.model}/app${a.app}`);
			owners.set(port, list);
		}
	}
	return owners;
}

/**
 * The conflicts of the store and the hosts, engine by engine: a port allocated twice on one engine, an
 * allocated port held by a process (local engines: this machine's ports) or by a container of another
 * compose project on that engine (what the apps' compose models publish is checked on top of this by
 * checkFleetPorts, compose/fleet-ports.ts). A remote engine's host processes cannot be seen from here:
 * a note says so. When an engine is unreachable, an allocated port held by the Engine's docker-proxy
 * (or by a process the OS does not name) may be the app's own container: it is a warning saying the
 * Engine is unreachable, not a conflict, and the report is incomplete.
 */
export async function checkPortsReport(doc: StoreDocument, options: CheckOptions = {}): Promise<CheckReport> {
	const conflicts: PortConflict[] = [];
	const warnings: CheckWarning[] = [];
	let complete = true;
	let firstUnreachable: string | null = null;
	const engines = [...new Set(doc.allocations.map(a => a.engine))].sort();
	for (const engine of engines) {
		const part = await checkEngine(doc, engine, options);
		conflicts.push(...part.conflicts);
		warnings.push(...part.warnings);
		complete &&= part.complete;
		firstUnreachable ??= part.unreachable;
	}
	conflicts.sort((x, y) => x.port - y.port);
	return {conflicts, warnings, engine: {reachable: firstUnreachable === null, message: firstUnreachable}, complete};
}

async function checkEngine(
	doc: StoreDocument,
	engine: string,
	options: CheckOptions,
): Promise<{conflicts: PortConflict[]; warnings: CheckWarning[]; complete: boolean; unreachable: string | null}> {
	const conflicts: PortConflict[] = [];
	const warnings: CheckWarning[] = [];
	let complete = true;
	const context = options.probe ? null : listEngineContexts(options.env).find(c => c.name === engine);
	const where = engine === currentContextName(options.env) && !options.probe ? '' : ` on engine ${engine}`;
	const owners = allocationOwners(doc, engine);
	for (const [port, apps] of owners) {
		if (apps.length > 1) {
			conflicts.push({kind: 'duplicate-allocation', port, apps, message: `port ${port}${where} is allocated to ${apps.length} apps: ${apps.join(', ')}`});
		}
	}
	if (!options.probe && !context) {
		warnings.push({
			kind: 'engine-unreachable',
			message: `engine ${engine} holds ${[...owners.values()].flat().length} allocated port(s) but is not a Docker context any more: its ports cannot be checked. Recreate the context, or move its apps with "berth move".`,
		});
		return {conflicts, warnings, complete: false, unreachable: `engine ${engine} is not a Docker context`};
	}
	const local = options.probe ? true : isLocalEndpoint(context!.endpoint);
	const isBound = options.probe?.isBound ?? isPortBound;
	const describe = options.describe ?? describeHolder;
	const scan: PublishedScan = options.probe
		? {ports: await options.probe.publishedPorts(), unreachable: null}
		: await scanPublished(contextEnv(engine, options.env));
	const published = scan.ports;
	if (scan.unreachable)
		warnings.push({
			kind: 'engine-unreachable',
			message: `${where ? `engine ${engine}: ` : ''}${scan.unreachable.message} Ports published by containers cannot be checked.`,
		});
	if (!local) {
		warnings.push({
			kind: 'remote-engine',
			message: `engine ${engine} (${context!.endpoint}) is another machine: processes there that hold a port cannot be seen from here; its containers' published ports were checked, and "berth up" names a port the engine refuses.`,
		});
	}
	for (const a of doc.allocations) {
		if (a.engine !== engine) continue;
		const id = `${a.model}/app${a.app}`;
		for (const [slot, port] of Object.entries(a.ports)) {
			const container = published.get(port);
			if (container) {
				const project = container.labels[PROJECT_LABEL];
				if (project !== a.projectName) {
					conflicts.push({
						kind: 'published-by-other-project',
						port,
						apps: [id],
						message: `port ${port}${where} (${id} ${slot}) is published by container ${container.name}${project ? ` of compose project ${project}` : ' (not a compose container)'}`,
					});
				}
				continue;
			}
			if (local && (await isBound(port))) {
				const holder = await describe(port, published);
				if (scan.unreachable && !isForeignProcess(holder)) {
					complete = false;
					warnings.push({
						kind: 'engine-unreachable',
						port,
						message: `port ${port} (${id} ${slot}) is held by ${holder.command === 'docker-proxy' ? `the Engine's docker-proxy (process ${holder.pid})` : holder.description}, and the Docker Engine is not reachable to say which container publishes it`,
					});
					continue;
				}
				conflicts.push({kind: 'bound-by-process', port, apps: [id], message: `port ${port} (${id} ${slot}) is in use by ${holder.description}`});
			}
		}
	}
	return {conflicts, warnings, complete, unreachable: scan.unreachable?.message ?? null};
}
