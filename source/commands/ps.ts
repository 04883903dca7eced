import type {Command} from './command.ts';
import {parseAppRef, formatAppRef} from '../core/ids.ts';
import {resolveProjectName} from '../core/project-names.ts';
import {openStore} from '../core/ports/store.ts';
import {findAllocation} from '../core/ports/allocator.ts';
import {discoverWorkspace} from '../core/workspace/discover.ts';
import {queryFleetStatus, severalEngines, watchFleet, type FleetStatusOf} from '../core/compose/fleet-status.ts';
import {serviceStateText} from '../core/compose/state.ts';
import {table, type Output} from './output.ts';
import type {AppStatus, ListedServiceStatus, StatusTarget} from '../core/compose/types.ts';

const usage = 'ps [<model>/app<N>] [--watch] [--json]';

/** "127.0.0.1:5001->8080" for each published port. */
export function formatPorts(service: ListedServiceStatus): string {
	return service.ports.map(p => `${p.hostIp}:${p.hostPort}->${p.containerPort}`).join(', ');
}

/** The service's state word (core decides it), with the exit code of an exited one: "healthy", "exited (137)". */
export function formatServiceState(service: ListedServiceStatus): string {
	return serviceStateText(service);
}

/** Seconds since `iso` as "5s", "3m", "2h", "4d". */
export function formatAge(iso: string | null, now: number): string {
	if (!iso) return '-';
	const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m`;
	if (s < 86400) return `${Math.floor(s / 3600)}h`;
	return `${Math.floor(s / 86400)}d`;
}

const UNITS: [RegExp, (n: number) => string][] = [
	[/^less than a second$/, () => '0s'],
	[/^(\d+) seconds?$/, n => `${n}s`],
	[/^about a minute$/, () => '1m'],
	[/^(\d+) minutes?$/, n => `${n}m`],
	[/^about an hour$/, () => '1h'],
	[/^(\d+) hours?$/, n => (n < 24 ? `${n}h` : `${Math.floor(n / 24)}d`)],
	[/^(\d+) days?$/, n => `${n}d`],
	[/^(\d+) weeks?$/, n => `${n}w`],
	[/^(\d+) months?$/, n => `${n}mo`],
	[/^(\d+) years?$/, n => `${n}y`],
];

/** The uptime in the Engine's status text ("Up 5 minutes (healthy)") as "5m"; '-' when it has none. */
export function uptimeFromStatus(text: string | undefined): string {
	const words = /^Up (.+?)(?: \(.*\))?$/.exec(text ?? '')?.[1]?.toLowerCase();
	if (!words) return '-';
	for (const [pattern, format] of UNITS) {
		const match = pattern.exec(words);
		if (match) return format(Number(match[1] ?? 0));
	}
	return '-';
}

/**
 * The rows of the human table: one per app, then its services indented. Uptime is exact where the
 * container was inspected, else the Engine's words; a restart count that was not asked for is '-'.
 */
export function statusRows(apps: readonly (AppStatus<ListedServiceStatus> & {engine?: string})[], now: number): string[][] {
	// The engine column when the apps are spread over several engines.
	const several = severalEngines(apps);
	const withEngine = (app: {engine?: string}, cells: string[], first: boolean) =>
		several ? [cells[0]!, cells[1]!, first ? (app.engine ?? '') : '', ...cells.slice(2)] : cells;
	const rows: string[][] = [
		several
			? ['APP', 'STATE', 'ENGINE', 'SERVICE', 'CONTAINER STATE', 'PORTS', 'UP', 'RESTARTS']
			: ['APP', 'STATE', 'SERVICE', 'CONTAINER STATE', 'PORTS', 'UP', 'RESTARTS'],
	];
	for (const app of apps) {
		if (app.services.length === 0) rows.push(withEngine(app, [app.id, app.state, '-', '', '', '', ''], true));
		app.services.forEach((s, i) => {
			const up = s.state !== 'running' ? '-' : s.startedAt ? formatAge(s.startedAt, now) : uptimeFromStatus(s.statusText);
			rows.push(
				withEngine(
					app,
					[
						i === 0 ? app.id : '',
						i === 0 ? app.state : '',
						s.service,
						formatServiceState(s),
						formatPorts(s) || '-',
						up,
						s.restartCount === null ? '-' : String(s.restartCount),
					],
					i === 0,
				),
			);
		});
	}
	return rows;
}

/** One human line for a watched change. */
export function changeLine(app: AppStatus, at: string): string {
	const services = app.services.map(s => `${s.service} ${formatServiceState(s)}`).join(', ');
	return `${at.slice(11, 19)} ${app.id} ${app.state}${services ? ` (${services})` : ''}`;
}

async function targets(root: string, storeFile: string, only: string | undefined): Promise<StatusTarget[]> {
	const doc = await openStore(storeFile).read();
	const workspace = await discoverWorkspace(root, doc);
	const apps: StatusTarget[] = workspace.models
		.flatMap(m => m.apps)
		.map(a => ({id: a.id, projectName: a.projectName, hasCompose: a.hasCompose, engine: a.engine}));
	if (!only) return apps;
	const ref = parseAppRef(only);
	const id = formatAppRef(ref);
	const found = apps.find(a => a.id === id);
	if (found) return [found];
	// Not under this root: the store still knows its project (a stack may run from elsewhere).
	const allocation = findAllocation(doc, ref.model, ref.number);
	return [{id, projectName: resolveProjectName(ref, {allocation}, [workspace.names]), hasCompose: false, engine: allocation?.engine ?? null}];
}

function printStatus(out: Output, status: FleetStatusOf<ListedServiceStatus>): void {
	// Unreachable: the message of each engine that did not answer, then every app as core words it then (its own unknown).
	const several = status.engines.length > 1;
	for (const engine of status.engines.filter(e => !e.reachable)) {
		out.error(several ? `engine ${engine.name}: ${engine.message}` : (engine.message ?? 'the Docker Engine is not reachable'));
	}
	if (status.apps.length === 0) {
		if (!status.engine.reachable) return;
		out.line('no apps (create one with "berth new")');
		return;
	}
	for (const line of table(statusRows(status.apps, Date.parse(status.at)))) out.line(line);
}

const command: Command = {
	name: 'ps',
	summary: 'Show the state of apps and their services',
	usage,
	details: `App states: healthy, running, starting, unhealthy, partial, paused, stopped, crash-loop, error,
not-created, no-compose, unknown (docs/compose.md says what each means). Per service: its state word
(running, healthy, unhealthy, starting, paused, restarting, exited (code), created, dead, error),
published ports, uptime and restart count. One Docker query for all apps,
whatever their number; "ps <app>" also inspects the app's containers (exact uptime, restart count).

Options:
  --watch   keep running and print a line per change (with --json: one JSON object per line), driven
            by Docker events; an unreachable engine is reported and the watch resumes when it is back`,
	options: {watch: {type: 'boolean', short: 'w'}},
	positionals: {min: 0, max: 1},
	async run({positionals, values, root, storeFile, env, out, signal}) {
		const apps = await targets(root, storeFile, positionals[0]);
		if (values['watch'] !== true) {
			// The whole fleet: the container list alone (its cost does not grow with the apps); one app:
			// inspect its containers too, for the exact start time and the restart count.
			const status = positionals[0] ? await queryFleetStatus(apps, {env}) : await queryFleetStatus(apps, {env, detail: 'list'});
			if (out.json) out.data(status);
			else printStatus(out, status);
			return status.engine.reachable ? 0 : 1;
		}
		await watchFleet(
			{
				apps,
				signal,
				onChange(status, {changed, engineChanged}) {
					if (out.json) {
						// One JSON document per line (NDJSON): an engine line when reachability changes, an app line per change.
						if (engineChanged) process.stdout.write(JSON.stringify({type: 'engine', at: status.at, ...status.engine}) + '\n');
						for (const app of changed) process.stdout.write(JSON.stringify({type: 'app', at: status.at, ...app}) + '\n');
						return;
					}
					if (engineChanged) {
						if (status.engine.reachable) out.line(`${status.at.slice(11, 19)} engine reachable`);
						else out.error(`${status.at.slice(11, 19)} ${status.engine.message}`);
					}
					for (const app of changed) out.line(changeLine(app, status.at));
				},
			},
			env,
		);
		return 0;
	},
};

export default command;
