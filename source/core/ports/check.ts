import type {StoreDocument} from './allocator.ts';
import {describeHolder, isPortBound, publishedPorts as listPublished, type PortProbe} from './probes.ts';
import {composeFixedPorts} from '../workspace/compose-ports.ts';
import type {Workspace} from '../workspace/discover.ts';

export type ConflictKind = 'duplicate-allocation' | 'bound-by-process' | 'published-by-other-project' | 'compose-fixed-port';

export interface PortConflict {
	kind: ConflictKind;
	port: number;
	/** The apps involved, as `<model>/app<N>`. */
	apps: string[];
	message: string;
}

export interface CheckOptions {
	probe?: PortProbe;
	describe?: typeof describeHolder;
}

/**
 * Finds every port conflict berth can see: a port allocated twice in the store, an allocated port held
 * by a process or by a container of another compose project, and compose files under the apps root
 * that publish the same fixed host port as another app or as an allocation.
 */
export async function checkPorts(doc: StoreDocument, workspace: Workspace | null, options: CheckOptions = {}): Promise<PortConflict[]> {
	const probe = options.probe ?? {isBound: isPortBound, publishedPorts: listPublished};
	const describe = options.describe ?? describeHolder;
	const conflicts: PortConflict[] = [];
	const owners = new Map<number, string[]>();
	for (const a of doc.allocations) {
		for (const port of Object.values(a.ports)) {
			const list = owners.get(port) ?? [];
			list.push(`${a.model}/app${a.app}`);
			owners.set(port, list);
		}
	}
	for (const [port, apps] of owners) {
		if (apps.length > 1) {
			conflicts.push({kind: 'duplicate-allocation', port, apps, message: `port ${port} is allocated to ${apps.length} apps: ${apps.join(', ')}`});
		}
	}

	const published = await probe.publishedPorts();
	for (const a of doc.allocations) {
		const id = `${a.model}/app${a.app}`;
		for (const [slot, port] of Object.entries(a.ports)) {
			const container = published.get(port);
			if (container) {
				const project = container.labels['com.docker.compose.project'];
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
			if (await probe.isBound(port)) {
				const holder = await describe(port, published);
				conflicts.push({kind: 'bound-by-process', port, apps: [id], message: `port ${port} (${id} ${slot}) is in use by ${holder.description}`});
			}
		}
	}

	if (workspace) {
		const fixed = new Map<number, {app: string; service: string}[]>();
		for (const model of workspace.models) {
			for (const app of model.apps) {
				if (!app.composeFile) continue;
				for (const entry of await composeFixedPorts(app.composeFile)) {
					const list = fixed.get(entry.hostPort) ?? [];
					if (!list.some(x => x.app === app.id)) list.push({app: app.id, service: entry.service});
					fixed.set(entry.hostPort, list);
				}
			}
		}
		for (const [port, users] of fixed) {
			const allocatedTo = (owners.get(port) ?? []).filter(owner => !users.some(u => u.app === owner));
			if (users.length > 1 || allocatedTo.length > 0) {
				const who = users.map(u => `${u.app} (service ${u.service})`).join(', ');
				const message = users.length > 1
					? `port ${port} is published as a fixed port by ${users.length} compose files: ${who}`
					: `port ${port} is published as a fixed port by ${who} but is allocated to ${allocatedTo.join(', ')}`;
				conflicts.push({kind: 'compose-fixed-port', port, apps: [...users.map(u => u.app), ...allocatedTo], message});
			}
		}
	}
	return conflicts.sort((x, y) => x.port - y.port);
}
