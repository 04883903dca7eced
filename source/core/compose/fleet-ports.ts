import {currentContextName} from '../docker/contexts.ts';
import {allocationOwners, checkPortsReport, type CheckOptions, type CheckReport, type CheckWarning, type PortConflict} from '../ports/check.ts';
import type {StoreDocument} from '../ports/allocator.ts';
import type {Workspace} from '../workspace/discover.ts';
import {publishedPorts, type AppModel, type ModelPort} from './model.ts';
import {loadWorkspaceModels, type WorkspaceModelOptions, type WorkspaceModels} from './workspace-models.ts';

/**
 * `ports check` over a whole fleet: the store and the host (ports/check.ts), then what every app's
 * compose model publishes — read by compose itself, with the app's `.env`, the user's override and,
 * for an adopted app, berth's override (so its remapped ports are what is counted).
 */

export interface FleetReport extends CheckReport {
	/** Who read the compose files and how many models were re-read (not answered by the cache). */
	compose: {source: string; reread: number; apps: number};
	/** `false`: no compose is installed, berth read the files itself (READER_NOTE says so). */
	composeInstalled: boolean;
}

/** A canonical form of a host address: IPv6 compressed and lower-case (`0:0::0` is `::`), brackets dropped. */
function canonical(address: string): string {
	const bare = address.replace(/^\[(.*)\]$/, '$1').toLowerCase();
	if (!bare.includes(':') || bare.includes('%')) return bare;
	try {
		return new URL(`http://[${bare}]/`).hostname.replace(/^\[(.*)\]$/, '$1');
	} catch {
		return bare;
	}
}

/**
 * Whether two publications of one port and protocol take the same socket. `null` (no host IP: compose's
 * default, every address of both families) overlaps every address; equal addresses overlap; `::` (every
 * IPv6 address) overlaps every IPv6 address. `::` and an IPv4 address do not: the Engine's docker-proxy
 * binds an IPv6-only socket for `[::]:P`, so `[::]:P` and `127.0.0.1:P` are published side by side
 * (verified on Docker 20.10; an explicit `0.0.0.0` is read as `null`, so it overlaps `::` too, which errs
 * on the side of a conflict).
 */
export function addressesOverlap(a: string | null, b: string | null): boolean {
	if (a === null || b === null) return true;
	const [x, y] = [canonical(a), canonical(b)];
	if (x === y) return true;
	if (x === '::') return y.includes(':');
	if (y === '::') return x.includes(':');
	return false;
}

interface Use {
	app: string;
	service: string;
	hostIp: string | null;
}

function describeUse(use: Use): string {
	return `${use.app} (service ${use.service}${use.hostIp ? `, ${use.hostIp.includes(':') ? `[${use.hostIp}]` : use.hostIp}` : ''})`;
}

/** What the compose models publish against each other and against the store: conflicts, and notes on what is not a fixed port. */
export function composePortConflicts(
	doc: StoreDocument,
	workspace: Workspace,
	models: ReadonlyMap<string, AppModel>,
	env: NodeJS.ProcessEnv = process.env,
): {conflicts: PortConflict[]; warnings: CheckWarning[]} {
	const conflicts: PortConflict[] = [];
	const warnings: CheckWarning[] = [];
	// A port is unique per engine: apps clash only with apps (and allocations) on their own engine.
	const placed = new Map(doc.allocations.map(a => [`${a.model}/app${a.app}`, a.engine]));
	const fallback = currentContextName(env);
	const owners = new Map<string, Map<number, string[]>>();
	const ownersOn = (engine: string) => owners.get(engine) ?? owners.set(engine, allocationOwners(doc, engine)).get(engine)!;
	const uses = new Map<string, {port: number; protocol: string; engine: string; uses: Use[]}>();
	for (const app of workspace.models.flatMap(m => m.apps)) {
		const engine = placed.get(app.id) ?? fallback;
		const model = models.get(app.id);
		if (!model || model.error) continue;
		const file = model.files[0] ?? app.composeFile ?? app.path;
		for (const service of model.services.filter(s => s.active)) {
			if (service.networkMode === 'host') {
				warnings.push({
					kind: 'host-network',
					file,
					message: `${app.id} (service ${service.name}) runs on the host network (network_mode: host): it listens on host ports directly, which its compose model does not list; berth cannot check or remap them`,
				});
				continue;
			}
			const ranges = new Map<string, number[]>();
			for (const port of service.ports.filter((p): p is ModelPort & {hostRange: string} => p.hostRange !== null)) {
				const key = `${port.hostIp ? `${port.hostIp}:` : ''}${port.hostRange}/${port.protocol}`;
				ranges.set(key, [...(ranges.get(key) ?? []), port.target]);
			}
			for (const [range, targets] of ranges) {
				warnings.push({
					kind: 'host-range',
					file,
					message: `${app.id} (service ${service.name}) publishes container port ${targets.join(', ')} on host range ${range}: the Engine picks a free port of the range at start, so it is not counted as a fixed port`,
				});
			}
		}
		for (const port of publishedPorts(model)) {
			const key = `${engine}\0${port.hostPort}/${port.protocol}`;
			const entry = uses.get(key) ?? {port: port.hostPort!, protocol: port.protocol, engine, uses: []};
			if (!entry.uses.some(u => u.app === app.id && u.service === port.service && u.hostIp === port.hostIp)) {
				entry.uses.push({app: app.id, service: port.service, hostIp: port.hostIp});
			}
			uses.set(key, entry);
		}
	}
	for (const {port, protocol, engine, uses: list} of uses.values()) {
		// Two apps clash on a port/protocol when their addresses overlap (one app's own entries are compose's business).
		const clashing = list.filter(u => list.some(v => v.app !== u.app && addressesOverlap(u.hostIp, v.hostIp)));
		const apps = [...new Set(clashing.map(u => u.app))];
		if (apps.length > 1) {
			conflicts.push({
				kind: 'compose-fixed-port',
				port,
				protocol,
				apps,
				message: `port ${port}/${protocol} is published by ${apps.length} apps: ${clashing.map(describeUse).join(', ')}`,
			});
		}
		const users = [...new Set(list.map(u => u.app))];
		const allocatedTo = (ownersOn(engine).get(port) ?? []).filter(owner => !users.includes(owner));
		if (allocatedTo.length > 0) {
			conflicts.push({
				kind: 'compose-fixed-port',
				port,
				protocol,
				apps: [...users, ...allocatedTo],
				message: `port ${port}/${protocol} is published by ${list.map(describeUse).join(', ')} but is allocated to ${allocatedTo.join(', ')}`,
			});
		}
	}
	return {conflicts, warnings};
}

/**
 * Every port conflict berth can see in a fleet: the store's and the host's (checkPortsReport), and the
 * compose models' (composePortConflicts). A model compose refused is a warning naming the file.
 */
export async function checkFleetPorts(
	doc: StoreDocument,
	workspace: Workspace,
	options: CheckOptions & WorkspaceModelOptions & {models?: WorkspaceModels},
): Promise<FleetReport> {
	const report = await checkPortsReport(doc, options);
	const loaded = options.models ?? (await loadWorkspaceModels(workspace, options));
	const compose = composePortConflicts(doc, workspace, loaded.models, options.env);
	const warnings: CheckWarning[] = [
		...report.warnings,
		...loaded.warnings.map(w => ({kind: 'compose-file' as const, file: w.file, message: w.message})),
		...compose.warnings,
	];
	const conflicts = [...report.conflicts, ...compose.conflicts].sort((x, y) => x.port - y.port);
	return {...report, conflicts, warnings, compose: {source: loaded.source, reread: loaded.reread, apps: loaded.apps}, composeInstalled: loaded.compose};
}
