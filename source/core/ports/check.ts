import {PROJECT_LABEL} from '../compose-labels.ts';
import type {StoreDocument} from './allocator.ts';
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
	/** Pins the host questions (tests); its `publishedPorts` is taken as an answering Engine. */
	probe?: PortProbe;
	describe?: typeof describeHolder;
}

/** Something the check could not judge: never a conflict, never silent. */
export interface CheckWarning {
	/** `host-network`, `host-range`: what a compose model publishes that is not a fixed port (notes, never conflicts). */
	kind: 'engine-unreachable' | 'compose-file' | 'host-network' | 'host-range';
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

/** The apps each allocated port is allocated to (more than one: a duplicate allocation). */
export function allocationOwners(doc: StoreDocument): Map<number, string[]> {
	const owners = new Map<number, string[]>();
	for (const a of doc.allocations) {
		for (const port of Object.values(a.ports)) {
			const list = owners.get(port) ?? [];
			list.push(`${a.model}/app${a.app}`);
			owners.set(port, list);
		}
	}
	return owners;
}

/**
 * The conflicts of the store and the host: a port allocated twice in the store, an allocated port held
 * by a process or by a container of another compose project (what the apps' compose models publish is
 * checked on top of this by checkFleetPorts, compose/fleet-ports.ts). When the Engine is unreachable,
 * an allocated port held by the Engine's docker-proxy (or by a process the OS does not name) may be
 * the app's own container:
 * it is a warning saying the Engine is unreachable, not a conflict, and the report is incomplete.
 */
export async function checkPortsReport(doc: StoreDocument, options: CheckOptions = {}): Promise<CheckReport> {
	const isBound = options.probe?.isBound ?? isPortBound;
	const describe = options.describe ?? describeHolder;
	const scan: PublishedScan = options.probe ? {ports: await options.probe.publishedPorts(), unreachable: null} : await scanPublished();
	const conflicts: PortConflict[] = [];
	const warnings: CheckWarning[] = [];
	let complete = true;
	const owners = allocationOwners(doc);
	for (const [port, apps] of owners) {
		if (apps.length > 1) {
			conflicts.push({kind: 'duplicate-allocation', port, apps, message: `port ${port} is allocated to ${apps.length} apps: ${apps.join(', ')}`});
		}
	}

	const published = scan.ports;
	if (scan.unreachable) warnings.push({kind: 'engine-unreachable', message: `${scan.unreachable.message} Ports published by containers cannot be checked.`});
	for (const a of doc.allocations) {
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
						message: `port ${port} (${id} ${slot}) is published by container ${container.name}${project ? ` of compose project ${project}` : ' (not a compose container)'}`,
					});
				}
				continue;
			}
			if (await isBound(port)) {
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

	conflicts.sort((x, y) => x.port - y.port);
	return {conflicts, warnings, engine: {reachable: !scan.unreachable, message: scan.unreachable?.message ?? null}, complete};
}
