/** Pure row and cell formatting for the panes (unit-tested in test/ui/format.test.ts). */
import type {AdoptedPort, AdoptionReport, AdoptionStatus, AppStateName, ServiceStateName, ServiceStatus, WantedSlot, WorkspaceApp} from './services.ts';

export type Tone = 'ok' | 'warn' | 'error' | 'muted' | 'info';

export interface Badge {
	text: string;
	tone: Tone;
}

/** "12s", "4m", "3h 05m", "2d 4h"; "-" when unknown. */
export function formatUptime(startedAt: number | null, now: number): string {
	if (startedAt === null || startedAt > now) return '-';
	const seconds = Math.floor((now - startedAt) / 1000);
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
	return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** An app's ports as "5001,8001" (slot order as stored), or "-". */
export function formatPorts(ports: Record<string, number> | null): string {
	if (!ports) return '-';
	const values = Object.values(ports);
	return values.length > 0 ? values.join(',') : '-';
}

/** Published ports of a service: "127.0.0.1:5001->80". */
export function formatPublished(ports: ServiceStatus['ports']): string {
	if (ports.length === 0) return '-';
	return ports.map(p => `${p.hostPort}->${p.containerPort}`).join(',');
}

// Core decides the state words (core/compose/state.ts); the UI only gives each a colour.
const APP_TONES: Record<AppStateName, Tone> = {
	healthy: 'ok',
	running: 'ok',
	starting: 'warn',
	partial: 'warn',
	unhealthy: 'error',
	'crash-loop': 'error',
	error: 'error',
	paused: 'muted',
	stopped: 'muted',
	'not-created': 'muted',
	'no-compose': 'muted',
	unknown: 'muted',
};

const SERVICE_TONES: Record<ServiceStateName, Tone> = {
	healthy: 'ok',
	running: 'ok',
	starting: 'warn',
	unhealthy: 'error',
	restarting: 'error',
	error: 'error',
	dead: 'error',
	paused: 'muted',
	exited: 'muted',
	created: 'muted',
	removing: 'muted',
};

/** The state badge of an app: core's word (`unknown` before the first answer), coloured. */
export function appBadge(state: AppStateName | undefined): Badge {
	const text = state ?? 'unknown';
	return {text, tone: APP_TONES[text]};
}

/** The state badge of a service: core's word, coloured, with the exit code docker reports ("exited (137)"). */
export function serviceBadge(service: ServiceStatus): Badge {
	const code = service.state !== 'running' && service.exitCode !== null ? ` (${service.exitCode})` : '';
	return {text: `${service.status}${code}`, tone: SERVICE_TONES[service.status]};
}

/** `text` cut or padded to exactly `width` cells (an ellipsis marks a cut). */
export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
	return text.padEnd(width);
}

/** Width of the state badge column of the apps pane: the longest app state word, "not-created". */
export const BADGE_WIDTH = 11;

/** Width of the ports column of the apps pane (the adoption badge takes it when it is longer). */
const PORTS_WIDTH = 10;

/**
 * An app row around its badge column: `head` (mark, number) before the coloured state badge, then
 * `note` (the adoption badge, coloured; `null` without one) in place of the ports, then `tail` (ports,
 * flavour), cut to `width` cells in all. An adopted app without a flavour says "adopted" there.
 */
export function appRowText(app: WorkspaceApp, marked: boolean, width: number, note: Badge | null = null): {head: string; note: string | null; tail: string} {
	const head = `${marked ? '*' : ' '} ${`app${app.number}`.padEnd(6)}`;
	const room = Math.max(0, width - head.length - BADGE_WIDTH);
	const flavour = app.flavour ?? (app.berthOverride ? 'adopted' : '-');
	if (!note) return {head, note: null, tail: fit(` ${formatPorts(app.ports).padEnd(PORTS_WIDTH)} ${flavour}`, room)};
	const noted = fit(` ${note.text.padEnd(PORTS_WIDTH)}`, room);
	return {head, note: noted, tail: fit(` ${flavour}`, room - noted.length)};
}

/** One fixed host port `adopt` would remap: "8080", "5432/udp", "53/tcp+udp" (several host ports: "80,8080"). */
export function fixedPortText(slot: Pick<WantedSlot, 'original' | 'protocols'>): string {
	const protocols = slot.protocols.length === 1 && slot.protocols[0] === 'tcp' ? '' : `/${slot.protocols.join('+')}`;
	return `${slot.original.join(',')}${protocols}`;
}

/**
 * The apps pane's adoption badge: "fixed 8080" ("+N" more ports; "fixed name" for container names
 * only) while `adopt` has something to remap; `null` once adopted, for apps with nothing fixed, and
 * before the status is known.
 */
export function adoptionBadge(app: Pick<WorkspaceApp, 'berthOverride'>, status: AdoptionStatus | undefined): Badge | null {
	if (app.berthOverride || !status || status.adopted || status.error) return null;
	const [first, ...more] = status.fixed;
	if (first) return {text: `fixed ${fixedPortText(first)}${more.length > 0 ? `+${more.length}` : ''}`, tone: 'warn'};
	return status.containerNames.length > 0 ? {text: 'fixed name', tone: 'warn'} : null;
}

/** The status pane's line of an adopted port: slot, then original -> allocated ("web-8080 8080 -> 20001"). */
export function adoptedPortText(port: Pick<AdoptedPort, 'slot' | 'original' | 'allocated'>): string {
	return `${port.slot} ${port.original.join(',')} -> ${port.allocated}`;
}

/** Most remapped ports the status pane lists (the ports view `p` has them all). */
const SHOWN_ADOPTED = 4;

/**
 * The status pane's lines about adoption, under its first line: an adopted app's ports as "slot
 * original -> allocated", or what `A` would remap, or why compose cannot read the app's files.
 */
export function adoptionStatusLines(app: WorkspaceApp | null, status: AdoptionStatus | undefined): PreviewLine[] {
	if (!app || !status) return [];
	if (status.error) return [{text: `compose cannot read it: ${status.error}`, tone: 'warn'}];
	if (app.berthOverride && status.adopted) {
		const ports = status.adopted.slice(0, SHOWN_ADOPTED).map(p => ({text: adoptedPortText(p), tone: 'info' as const}));
		const more = status.adopted.length - SHOWN_ADOPTED;
		return more > 0 ? [...ports, {text: `+${more} more (p: ports view)`, tone: 'muted'}] : ports;
	}
	if (!adoptionBadge(app, status)) return [];
	const what = [...status.fixed.map(fixedPortText), ...status.containerNames.map(service => `container_name ${service}`)];
	return [{text: `A adopts fixed ${what.join(', ')}`, tone: 'warn'}];
}

/** A line of a preview: its text and how it is drawn. */
export interface PreviewLine {
	text: string;
	tone: Tone | 'title';
}

/** `text` cut into lines of at most `width` cells at spaces (a word longer than a line is cut), later lines indented by `indent`. */
export function wrapText(text: string, width: number, indent = ''): string[] {
	if (width <= indent.length + 1 || text.length <= width) return [text.slice(0, Math.max(1, width))];
	const lines: string[] = [];
	let rest = text;
	let prefix = '';
	while (prefix.length + rest.length > width) {
		const room = width - prefix.length;
		const space = rest.lastIndexOf(' ', room);
		const cut = space > 0 ? space : room;
		lines.push(prefix + rest.slice(0, cut));
		rest = rest.slice(cut).replace(/^ +/, '');
		prefix = indent;
	}
	if (rest) lines.push(prefix + rest);
	return lines;
}

const WILL: Partial<Record<AdoptionReport['status'], string>> = {
	'would-adopt': 'would be adopted',
	unchanged: 'already adopted as its files are now',
};

/**
 * The adoption preview, wrapped to `width` cells: per app what `adopt` would do — each remapped port
 * as "service target/proto: original -> allocated" (on the host address the app chose), each replaced
 * container name, the ports released — and what cannot be made safe; apps with nothing to adopt say why.
 */
export function adoptionPreviewLines(reports: readonly AdoptionReport[], width: number): PreviewLine[] {
	const lines: PreviewLine[] = [];
	const add = (text: string, tone: PreviewLine['tone'], indent = '    ') => {
		for (const line of wrapText(text, width, indent)) lines.push({text: line, tone});
	};
	for (const report of reports) {
		const will = WILL[report.status];
		if (report.status === 'failed') add(`${report.app}: cannot adopt: ${report.message}`, 'error', '  ');
		else add(will ? `${report.app}: ${will}` : `${report.app}: ${report.message}`, will ? 'title' : 'muted', '  ');
		for (const port of report.ports) {
			const ips = port.hostIps.filter((ip): ip is string => ip !== null);
			add(
				`  ${port.service} ${port.target}/${port.protocols.join('+')}${ips.length > 0 ? ` on ${ips.join(',')}` : ''}: ${port.original.join(',')} -> ${port.allocated}`,
				'info',
			);
		}
		for (const name of report.containerNames) add(`  ${name.service} container_name: ${name.original} -> ${name.replaced}`, 'info');
		for (const gone of report.released) add(`  released ${gone.slot} (${gone.port}): no longer published`, 'muted');
		for (const hazard of report.hazards) add(`  cannot be made safe: ${hazard.message}`, 'warn');
	}
	return lines;
}

/** A model row: id then "running/apps". */
export function modelRowText(model: {id: string; apps: number; running: number}, width: number): string {
	const counts = ` ${model.running}/${model.apps}`;
	return `${fit(model.id, Math.max(1, width - counts.length))}${counts}`;
}

/**
 * The rows to render for a list of `count` rows with `selected` highlighted in `height` lines:
 * the selection stays in view, centred once the list scrolls. Only these rows are rendered.
 */
export function visibleWindow(count: number, selected: number, height: number): {start: number; end: number} {
	if (height <= 0 || count === 0) return {start: 0, end: 0};
	if (count <= height) return {start: 0, end: count};
	const start = Math.min(Math.max(0, selected - Math.floor(height / 2)), count - height);
	return {start, end: start + height};
}

/**
 * The URL `o` opens: the app's frontend slot when a running container publishes it, else the first TCP
 * port its running containers publish (live state, not the allocation: an allocated port may not be
 * published at all); `null` when nothing is published.
 */
export function openUrlOf(app: WorkspaceApp, services: readonly ServiceStatus[]): string | null {
	const published = services.filter(s => s.state === 'running').flatMap(s => s.ports.filter(p => p.protocol === 'tcp'));
	const frontend = app.ports?.['frontend'];
	const port = published.find(p => p.hostPort === frontend) ?? published[0];
	if (!port) return null;
	const host = port.hostIp && port.hostIp !== '0.0.0.0' && port.hostIp !== '::' ? port.hostIp : '127.0.0.1';
	return `http://${host.includes(':') ? `[${host}]` : host}:${port.hostPort}/`;
}
