/**
 * Port allocation logic, free of I/O: the store document, the slot rules and the search for the
 * lowest free index. The store module adds the lock and the file; probes add the host and the engine.
 */

/** A named port slot of a flavour: ports are `base + k * step` for the allocation index k. */
export interface PortSlot {
	readonly name: string;
	readonly base: number;
	readonly step: number;
}

/** The slots used when a flavour declares none: `backend` from 5001 and `frontend` from 8001, step 2. */
export const DEFAULT_SLOTS: readonly PortSlot[] = Object.freeze([
	{name: 'backend', base: 5001, step: 2},
	{name: 'frontend', base: 8001, step: 2},
]);

export const MIN_PORT = 1024;
export const MAX_PORT = 65_535;
/**
 * 2: every allocation names the engine (Docker context) its app is placed on; ports are unique per
 * engine. A version-1 store is read as version 2 with every allocation on the engine it was used with
 * (the current context), and written as version 2 by the next change (`migrateDocument`).
 */
export const STORE_VERSION = 2;

export interface Allocation {
	model: string;
	app: number;
	ports: Record<string, number>;
	projectName: string;
	appPath: string;
	createdAt: string;
	/** The engine (Docker context name, "default" for DOCKER_HOST / the local socket) the app is placed on. */
	engine: string;
	/** Present when `berth adopt` remapped the app's own compose ports: berth's override file, passed last to every compose call. */
	adoption?: Adoption;
}

/** One published container port of an adopted app and the host port berth gave it (its slot in `ports`). */
export interface AdoptedPort {
	/** The slot in the allocation's `ports`: service and target, e.g. `web-8080`; `-udp` when published for udp only. */
	slot: string;
	service: string;
	/** The container port. */
	target: number;
	/** One number serves every protocol the target is published for (tcp and udp: one port for both). */
	protocols: ('tcp' | 'udp' | 'sctp')[];
	/** The host addresses the user chose, each kept (`null`: all addresses). */
	hostIps: (string | null)[];
	/** The host port(s) the app's own files publish it on. */
	original: number[];
	allocated: number;
}

/** What `berth adopt` did to an app: the override it wrote and what the override changes. */
export interface Adoption {
	/** berth's override file (beside the store, never in the app folder), passed last to every compose call. */
	override: string;
	ports?: AdoptedPort[];
	/** Fixed `container_name`s replaced by one derived from the project name. */
	containerNames?: {service: string; original: string; replaced: string}[];
	/** `adopt` created the allocation: `--undo` removes it whole. */
	createdAllocation?: boolean;
	adoptedAt?: string;
}

export interface StoreDocument {
	version: number;
	allocations: Allocation[];
}

export function emptyDocument(): StoreDocument {
	return {version: STORE_VERSION, allocations: []};
}

/**
 * Whether `now` still starts with exactly the objects of `before` (a snapshot of the list taken earlier):
 * the list only grew. A cache of a list that is edited in place (an allocation replaced in the middle by
 * `move` or `adopt`, one removed by a release) checks this, not the length or the last element, which a
 * replacement keeps. 10,000 identity comparisons cost microseconds.
 */
export function unchangedPrefix(before: readonly unknown[], now: readonly unknown[]): boolean {
	if (before.length > now.length) return false;
	for (let i = 0; i < before.length; i++) if (before[i] !== now[i]) return false;
	return true;
}

export function findAllocation(doc: StoreDocument, model: string, app: number): Allocation | undefined {
	return doc.allocations.find(a => a.model === model && a.app === app);
}

/** The ports allocated on `engine` (a port is unique per engine: two engines may use one number). */
export function takenPorts(doc: StoreDocument, engine: string): Set<number> {
	const taken = new Set<number>();
	for (const allocation of doc.allocations) {
		if (allocation.engine !== engine) continue;
		for (const port of Object.values(allocation.ports)) taken.add(port);
	}
	return taken;
}

/**
 * Brings a sound document of an older schema to this one, in place: version 1 had one engine, so its
 * allocations are placed on `engine` (the one they were used with). Nothing else changes. Returns
 * whether anything did.
 */
export function migrateDocument(doc: StoreDocument, engine: () => string): boolean {
	if (doc.version >= STORE_VERSION) return false;
	let name: string | undefined;
	for (const allocation of doc.allocations) {
		if (typeof allocation.engine !== 'string' || allocation.engine === '') allocation.engine = name ??= engine();
	}
	doc.version = STORE_VERSION;
	return true;
}

/** The ports of every slot at index k, or `null` when one of them leaves 1024..65535. */
export function portsAt(slots: readonly PortSlot[], k: number): Record<string, number> | null {
	const ports: Record<string, number> = {};
	for (const slot of slots) {
		const port = slot.base + k * slot.step;
		if (port < MIN_PORT || port > MAX_PORT) return null;
		ports[slot.name] = port;
	}
	return ports;
}

/**
 * Candidate port sets in allocation order: the lowest index k first, skipping every index at which a
 * slot's port is already in the store (`taken`). Ports freed by a release are reused first because the
 * search always starts again at k = 0. The caller probes each candidate on the host and the engine.
 * `from` skips indices the caller knows to be taken in the store (see `candidateIndex`).
 */
export function* candidates(slots: readonly PortSlot[], taken: ReadonlySet<number>, from = 0): Generator<Record<string, number>> {
	if (slots.length === 0) return;
	const ports = new Array<number>(slots.length);
	// Plain numbers first, an object only for a usable index: at 10,000 allocations the search walks
	// past some 15,000 taken indices, and allocating there dominated the cost.
	for (let k = from; ; k++) {
		let usable = true;
		for (let i = 0; i < slots.length; i++) {
			const slot = slots[i]!;
			const port = slot.base + k * slot.step;
			if (port < MIN_PORT || port > MAX_PORT) return;
			// Two slots landing on one port (overlapping ranges) would publish the same port twice.
			if (taken.has(port)) usable = false;
			for (let j = 0; j < i; j++) if (ports[j] === port) usable = false;
			ports[i] = port;
		}
		if (usable) {
			const result: Record<string, number> = {};
			for (const [i, slot] of slots.entries()) result[slot.name] = ports[i]!;
			yield result;
		}
	}
}

/** The allocation index k of a candidate returned by `candidates` for `slots`. */
export function candidateIndex(slots: readonly PortSlot[], ports: Record<string, number>): number {
	const first = slots[0]!;
	return (ports[first.name]! - first.base) / first.step;
}

/** Why a slot list is not usable, or `null`. */
export function slotsProblem(slots: readonly PortSlot[]): string | null {
	const names = new Set<string>();
	for (const slot of slots) {
		if (!/^[a-z][a-z0-9_-]*$/.test(slot.name)) return `slot name ${JSON.stringify(slot.name)} must match [a-z][a-z0-9_-]*`;
		if (names.has(slot.name)) return `slot ${JSON.stringify(slot.name)} is declared twice`;
		names.add(slot.name);
		if (!Number.isInteger(slot.base) || slot.base < MIN_PORT || slot.base > MAX_PORT) {
			return `slot ${slot.name}: base ${slot.base} must be an integer in ${MIN_PORT}..${MAX_PORT}`;
		}
		if (!Number.isInteger(slot.step) || slot.step < 1) return `slot ${slot.name}: step ${slot.step} must be a positive integer`;
	}
	for (let j = 1; j < slots.length; j++) {
		for (let i = 0; i < j; i++) {
			const overlap = sharedPort(slots[i]!, slots[j]!);
			if (overlap) {
				return `slots ${slots[i]!.name} and ${slots[j]!.name} overlap: both give port ${overlap.port} to the same app (index ${overlap.index}); choose bases or steps that never meet`;
			}
		}
	}
	return null;
}

/**
 * The first allocation index at which two slots land on the same port (within 1024..65535), or `null`.
 * Equal steps meet only with equal bases (then at every index: nothing could ever be allocated);
 * different steps meet at most once, at k = (b.base - a.base) / (a.step - b.step).
 */
function sharedPort(a: PortSlot, b: PortSlot): {index: number; port: number} | null {
	if (a.step === b.step) return a.base === b.base ? {index: 0, port: a.base} : null;
	const index = (b.base - a.base) / (a.step - b.step);
	if (!Number.isInteger(index) || index < 0) return null;
	const port = a.base + index * a.step;
	return port <= MAX_PORT ? {index, port} : null;
}

/** Problems with a parsed store document (invariants of DESIGN.md), empty when it is sound. */
export function documentProblems(doc: unknown): string[] {
	if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return ['the document is not a JSON object'];
	const d = doc as Partial<StoreDocument>;
	if (typeof d.version !== 'number') return ['"version" is missing'];
	if (d.version > STORE_VERSION) return [`schema version ${d.version} is newer than this berth understands (${STORE_VERSION}); upgrade berth`];
	if (!Array.isArray(d.allocations)) return ['"allocations" is not a list'];
	const problems: string[] = [];
	d.allocations.forEach((a: Partial<Allocation>, i) => {
		if (!a || typeof a !== 'object') problems.push(`allocations[${i}] is not an object`);
		else if (typeof a.model !== 'string' || typeof a.app !== 'number' || !a.ports || typeof a.ports !== 'object') {
			problems.push(`allocations[${i}] lacks model, app or ports`);
		} else if (Object.values(a.ports).some(p => typeof p !== 'number')) problems.push(`allocations[${i}] has a port that is not a number`);
		else if (d.version! >= 2 && (typeof a.engine !== 'string' || a.engine === '')) problems.push(`allocations[${i}] names no engine`);
	});
	return problems;
}
