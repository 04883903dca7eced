/** Pure row and cell formatting for the panes (unit-tested in test/ui/format.test.ts). */
import type {AppStateName, ServiceStateName, ServiceStatus, WorkspaceApp} from './services.ts';

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

/** The state badge of a service: core's word, coloured. */
export function serviceBadge(service: ServiceStatus): Badge {
	return {text: service.status, tone: SERVICE_TONES[service.status]};
}

/** `text` cut or padded to exactly `width` cells (an ellipsis marks a cut). */
export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
	return text.padEnd(width);
}

/** Width of the state badge column of the apps pane: the longest app state word, "not-created". */
export const BADGE_WIDTH = 11;

/**
 * An app row around its badge column: `head` (mark, number) before the coloured badge, `tail`
 * (ports, flavour) after it, cut to `width` cells in all.
 */
export function appRowText(app: WorkspaceApp, marked: boolean, width: number): {head: string; tail: string} {
	const head = `${marked ? '*' : ' '} ${`app${app.number}`.padEnd(6)}`;
	const tail = ` ${formatPorts(app.ports).padEnd(10)} ${app.flavour ?? '-'}`;
	return {head, tail: fit(tail, Math.max(0, width - head.length - BADGE_WIDTH))};
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

/** The URL of an app's frontend (the `frontend` slot, else the first port), or `null`. */
export function frontendUrl(app: WorkspaceApp): string | null {
	const port = app.ports?.['frontend'] ?? Object.values(app.ports ?? {})[0];
	return port === undefined ? null : `http://127.0.0.1:${port}/`;
}
