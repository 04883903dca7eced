/** Pure row and cell formatting for the panes (unit-tested in test/ui/format.test.ts). */
import stringWidth from 'string-width';
import {serviceStateText} from '../core/compose/state.ts';
import type {AdoptedPort, AdoptionReport, AdoptionStatus, AppStateName, ServiceStateName, ServiceStatus, WantedSlot, WorkspaceApp} from './services.ts';
import type {EngineRow} from './state/selectors.ts';

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
	return {text: serviceStateText(service), tone: SERVICE_TONES[service.status]};
}

/** Cells `text` takes on a terminal: a CJK character or an emoji takes two (Ink measures the same way). */
export function textWidth(text: string): number {
	return stringWidth(text);
}

const graphemes = new Intl.Segmenter();

/** The longest start of `text` that takes at most `width` cells (whole graphemes: never half a wide character). */
function head(text: string, width: number): string {
	let kept = '';
	let used = 0;
	for (const {segment} of graphemes.segment(text)) {
		const cells = textWidth(segment);
		if (used + cells > width) break;
		kept += segment;
		used += cells;
	}
	return kept;
}

/** `text` cut to at most `width` cells, an ellipsis marking the cut. */
export function cut(text: string, width: number): string {
	if (width <= 0) return '';
	return textWidth(text) <= width ? text : `${head(text, width - 1)}…`;
}

/** The longest end of `text` that takes at most `width` cells (whole graphemes). */
function tail(text: string, width: number): string {
	let kept = '';
	let used = 0;
	for (const {segment} of [...graphemes.segment(text)].reverse()) {
		const cells = textWidth(segment);
		if (used + cells > width) break;
		kept = segment + kept;
		used += cells;
	}
	return kept;
}

/** `text` cut in its middle to at most `width` cells, an ellipsis marking the cut: engine names differ at their ends (`berth-e1`, `berth-e2`). */
export function cutMiddle(text: string, width: number): string {
	if (width < 3 || textWidth(text) <= width) return cut(text, width);
	const front = head(text, Math.ceil((width - 1) / 2));
	return `${front}…${tail(text, width - 1 - textWidth(front))}`;
}

/** `text` cut or padded to exactly `width` cells (an ellipsis marks a cut). */
export function fit(text: string, width: number): string {
	const kept = cut(text, width);
	return kept + ' '.repeat(Math.max(0, width - textWidth(kept)));
}

/** A piece of a row drawn in its own colour (`tone`; none: the row's). */
export interface Cell {
	text: string;
	tone?: Tone | undefined;
}

/**
 * `cells` cut to `width` cells in all and padded to exactly `width`: an ellipsis, in the colour of the
 * cell it cuts, marks a cut within a cell's text; cells past a cut between them are left out.
 */
export function fitCells(cells: readonly Cell[], width: number): Cell[] {
	const out: Cell[] = [];
	let room = Math.max(0, width);
	for (const cell of cells) {
		const used = textWidth(cell.text);
		if (used <= room) {
			out.push(cell);
			room -= used;
			continue;
		}
		// A cut in a cell's padding shows the cell whole, a cut before it shows anything ends the row at
		// the column's edge: an ellipsis after "5001,8001" would read as a cut port.
		const whole = head(cell.text, room);
		const kept = head(cell.text, room - 1);
		if (cell.text.slice(whole.length).trim() === '') {
			out.push({...cell, text: whole});
			room -= textWidth(whole);
		} else if (kept.trim() !== '') {
			out.push({...cell, text: `${kept}…`});
			room -= textWidth(kept) + 1;
		}
		break;
	}
	if (room > 0) out.push({text: ' '.repeat(room)});
	return out;
}

/** Width of the state badge column of the apps pane: the longest app state word, "not-created". */
export const BADGE_WIDTH = 11;

/**
 * The apps pane's columns, each as wide as its longest cell over `apps` (the whole fleet, so the
 * pane does not change width as the selection moves): number, ports, the adoption badge (0 when no
 * app has one), flavour. The state badge column is always BADGE_WIDTH.
 */
export interface AppColumns {
	number: number;
	ports: number;
	note: number;
	flavour: number;
	/** The engine badge's column (0 or absent: none, the apps are on one engine). */
	engine?: number;
}

/** The engine badge column: as wide as the longest engine name up to ENGINE_MAX; a narrow pane cuts it (in the middle) down to ENGINE_MIN before the ports. */
const ENGINE_MAX = 12;
const ENGINE_MIN = 5;

const flavourText = (app: WorkspaceApp) => app.flavour ?? (app.berthOverride ? 'adopted' : '-');

export function appColumns(
	apps: Iterable<WorkspaceApp>,
	note: (app: WorkspaceApp) => Badge | null = () => null,
	engine: (app: WorkspaceApp) => Badge | null = () => null,
): AppColumns {
	const columns = {number: 4, ports: 5, note: 0, flavour: 1};
	let engines = 0;
	for (const app of apps) {
		columns.number = Math.max(columns.number, textWidth(`app${app.number}`));
		columns.ports = Math.max(columns.ports, textWidth(formatPorts(app.ports)));
		columns.note = Math.max(columns.note, textWidth(note(app)?.text ?? ''));
		columns.flavour = Math.max(columns.flavour, textWidth(flavourText(app)));
		engines = Math.max(engines, Math.min(ENGINE_MAX, textWidth(engine(app)?.text ?? '')));
	}
	return engines > 0 ? {...columns, engine: engines} : columns;
}

/** Cells of an apps row before the state badge: the cursor, the mark and a space. */
const APP_ROW_LEAD = 3;

/**
 * The least of the adoption badge's column worth showing ("fixed…"); narrower, the column is left out
 * (the status pane still says what `A` would adopt).
 */
const NOTE_MIN = 6;

/**
 * The apps pane's widths, borders included: `min` shows number, state and ports whole, `want` the
 * adoption badge and the flavour too. The badge is not part of `min`: one app to adopt must not cost
 * an 80-column terminal its three columns.
 */
export function appsPaneWidths(columns: AppColumns): {min: number; want: number} {
	const engine = columns.engine ?? 0;
	const min = 2 + APP_ROW_LEAD + columns.number + 1 + BADGE_WIDTH + (engine > 0 ? 1 + Math.min(engine, ENGINE_MIN) : 0) + 1 + columns.ports;
	return {min, want: min + (columns.note > 0 ? 1 + columns.note : 0) + Math.max(0, engine - ENGINE_MIN) + 1 + columns.flavour};
}

/**
 * An app row's cells after the cursor, cut to `width` cells in all: mark and number, the coloured
 * state `badge`, the adoption badge `note` (coloured; blank in its column without one), the `engine`
 * badge (its column only when the apps are on several engines; cut in its middle to leave the ports
 * whole), ports, flavour (an adopted app without one says "adopted"); at least one space between columns.
 */
export function appRowCells(
	app: WorkspaceApp,
	marked: boolean,
	width: number,
	badge: Badge,
	columns: AppColumns,
	note: Badge | null = null,
	engine: Badge | null = null,
): Cell[] {
	const cells: Cell[] = [{text: `${marked ? '*' : ' '} ${fit(`app${app.number}`, columns.number)} `}, {text: fit(badge.text, BADGE_WIDTH), tone: badge.tone}];
	// The adoption badge gets what the ports (and the engine's least) leave: cut, or left out below NOTE_MIN.
	const lead = 3 + columns.number + BADGE_WIDTH;
	const engineLeast = columns.engine ? 1 + Math.min(columns.engine, ENGINE_MIN) : 0;
	const noteRoom = Math.min(columns.note, width - lead - engineLeast - 1 - columns.ports - 1);
	if (columns.note > 0 && noteRoom >= Math.min(columns.note, NOTE_MIN)) cells.push({text: ' '}, {text: fit(note?.text ?? '', noteRoom), tone: note?.tone});
	if (columns.engine) {
		const others = cells.reduce((sum, cell) => sum + textWidth(cell.text), 0) + 1 + columns.ports;
		const shown = Math.max(Math.min(columns.engine, ENGINE_MIN), Math.min(columns.engine, width - others - 1));
		cells.push({text: ' '}, {text: fit(cutMiddle(engine?.text ?? '', shown), shown), tone: engine?.tone});
	}
	cells.push({text: ` ${fit(formatPorts(app.ports), columns.ports)}`}, {text: ` ${flavourText(app)}`});
	return fitCells(cells, width);
}

const ENGINE_STATE: Record<EngineRow['state'], Badge> = {
	ok: {text: 'ok', tone: 'ok'},
	unreachable: {text: 'unreachable', tone: 'error'},
	waiting: {text: '…', tone: 'muted'},
};

/** An app's engine badge: the engine's name, in the error colour while that engine does not answer. */
export function engineBadge(engine: EngineRow): Badge {
	return {text: engine.name, tone: engine.state === 'unreachable' ? 'error' : 'info'};
}

/**
 * The header's engines, longest first: each named with its state (`engines default ok · berth-e1 ok ·
 * berth-e2 unreachable`), then those that answer counted and the others named (`engines 2/3 ok ·
 * berth-e2 unreachable`), then the count alone (`engines 2/3 ok`). The header shows the longest that fits.
 */
export function engineHeaderVariants(engines: readonly EngineRow[]): Cell[][] {
	const named = (list: readonly EngineRow[]) => list.flatMap((e, i) => [{text: `${i > 0 ? ' · ' : ''}${e.name} `}, ENGINE_STATE[e.state]]);
	const ok = engines.filter(e => e.state === 'ok').length;
	const count: Cell = {text: `${ok}/${engines.length} ok`, tone: ok === engines.length ? 'ok' : 'warn'};
	const others = engines.filter(e => e.state !== 'ok');
	return [
		[{text: 'engines '}, ...named(engines)],
		...(others.length > 0 ? [[{text: 'engines '}, count, {text: ' · '}, ...named(others)]] : []),
		[{text: 'engines '}, count],
	];
}

/** The service names' column is cut down to this before a column of the status pane is left out. */
const SERVICE_NAME_MIN = 8;

/**
 * The status pane's service table at `width` cells: SERVICE, STATE (coloured), PORTS, UP, RST, each
 * column as wide as its longest cell and one space apart. Columns that do not fit are left out from
 * the right (restarts, then uptime, then ports) once the name column is cut to SERVICE_NAME_MIN; the
 * last one shown may be cut.
 */
export function serviceTable(services: readonly ServiceStatus[], now: number, width: number): {header: Cell[]; rows: Cell[][]} {
	const cellsOf = (service: ServiceStatus): Cell[] => {
		const badge = serviceBadge(service);
		return [
			{text: service.service},
			{text: badge.text, tone: badge.tone},
			{text: formatPublished(service.ports)},
			{text: formatUptime(service.state === 'running' ? service.startedAt : null, now)},
			{text: String(service.restarts ?? '…')},
		];
	};
	const titles = ['SERVICE', 'STATE', 'PORTS', 'UP', 'RST'];
	const table = services.map(cellsOf);
	const widths = titles.map((title, column) => Math.max(textWidth(title), ...table.map(row => textWidth(row[column]!.text))));
	const name = widths[0]!;
	// Without the name column: the other shown columns and the spaces between all of them.
	const others = (count: number) => widths.slice(1, count).reduce((sum, w) => sum + w, 0) + count - 1;
	// The last column shown may be cut (an ellipsis says so) as long as 5 of its cells show.
	const least = (count: number) => others(count) - widths[count - 1]! + Math.min(5, widths[count - 1]!);
	let shown = widths.length;
	while (shown > 2 && least(shown) + Math.min(name, SERVICE_NAME_MIN) > width) shown--;
	widths[0] = Math.max(1, Math.min(name, SERVICE_NAME_MIN), Math.min(name, width - others(shown)));
	const line = (cells: readonly Cell[]) =>
		fitCells(
			cells.slice(0, shown).map((cell, column) => ({...cell, text: column === shown - 1 ? cell.text : `${fit(cell.text, widths[column]!)} `})),
			width,
		);
	return {header: line(titles.map(text => ({text}))), rows: table.map(line)};
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

/** `text` cut into lines of at most `width` cells (wide characters take two) at spaces (a word longer than a line is cut), later lines indented by `indent`. */
export function wrapText(text: string, width: number, indent = ''): string[] {
	if (width <= textWidth(indent) + 1 || textWidth(text) <= width) return [textWidth(text) <= width ? text : head(text, Math.max(1, width))];
	const lines: string[] = [];
	let rest = text;
	let prefix = '';
	while (textWidth(prefix) + textWidth(rest) > width) {
		// The longest start that fits, cut back to its last space (or at a space right after it).
		const fits = head(rest, width - textWidth(prefix));
		const space = rest[fits.length] === ' ' ? fits.length : fits.lastIndexOf(' ');
		const cut = space > 0 ? space : fits.length || 1;
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
/** A model's counts, "running/apps"; "…/apps" while its apps' states are not known. */
const modelCounts = (model: {apps: number; running: number | null}) => `${model.running ?? '…'}/${model.apps}`;

export function modelRowText(model: {id: string; apps: number; running: number | null}, width: number): string {
	const counts = ` ${modelCounts(model)}`;
	return `${fit(model.id, Math.max(1, width - counts.length))}${counts}`;
}

/** The mark of a model holding apps that need a look, after its counts (a column only while some model has one). */
export const ATTENTION_MARK = ' !';

type ModelCounts = {id: string; apps: number; running: number | null; attention?: number};

/**
 * Where the models pane draws the mark: `none` (no model needs a look), a `column` after the counts
 * when every id still fits whole beside it, else `tight`: the `!` takes the space before the counts
 * (`model-001!1/3`), so that a narrow pane does not cut the ids for it.
 */
export function markPlacement(models: readonly ModelCounts[], width: number): 'none' | 'column' | 'tight' {
	if (!models.some(m => (m.attention ?? 0) > 0)) return 'none';
	const fits = models.every(m => textWidth(m.id) + textWidth(` ${modelCounts(m)}`) + ATTENTION_MARK.length <= width);
	return fits ? 'column' : 'tight';
}

/** A models pane row: the id and counts, with the mark in the error colour where `placement` puts it. */
export function modelRowCells(model: ModelCounts, width: number, placement: 'none' | 'column' | 'tight'): Cell[] {
	const marked = (model.attention ?? 0) > 0;
	if (placement === 'none') return [{text: modelRowText(model, width)}];
	if (placement === 'tight') {
		const counts = modelCounts(model);
		const id = fit(model.id, Math.max(1, width - counts.length - 1));
		return [{text: id}, marked ? {text: '!', tone: 'error'} : {text: ' '}, {text: counts}];
	}
	const text = modelRowText(model, Math.max(1, width - ATTENTION_MARK.length));
	return marked ? [{text}, {text: ATTENTION_MARK, tone: 'error'}] : [{text: `${text}${' '.repeat(ATTENTION_MARK.length)}`}];
}

/** The narrowest models pane: "Models 12" and a short id with its counts. */
const MODELS_MIN = 16;

/** The models pane's widths, borders and cursor included: `want` fits the longest id and its counts (up to 36 cells). */
export function modelsPaneWidths(models: Iterable<{id: string; apps: number; running: number | null; attention?: number}>): {min: number; want: number} {
	let longest = 0;
	let marks = false;
	for (const model of models) {
		longest = Math.max(longest, textWidth(model.id) + textWidth(` ${modelCounts(model)}`));
		marks ||= (model.attention ?? 0) > 0;
	}
	const mark = marks ? ATTENTION_MARK.length : 0;
	return {min: MODELS_MIN, want: Math.min(36 + mark, Math.max(MODELS_MIN, 3 + longest + mark))};
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
