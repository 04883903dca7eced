import {BerthError} from '../errors.ts';
import type {AppRef} from '../ids.ts';
import {ProjectNameIndex, resolveProjectName} from '../project-names.ts';
import {
	candidateIndex,
	candidates,
	DEFAULT_SLOTS,
	findAllocation,
	slotsProblem,
	unchangedPrefix,
	takenPorts,
	type Allocation,
	type PortSlot,
	type StoreDocument,
} from './allocator.ts';
import {engineProbe, type PortProbe} from './probes.ts';
import type {PortStore} from './store.ts';
import {currentContextName, resolveEngine} from '../docker/contexts.ts';

export interface AllocateOptions {
	slots?: readonly PortSlot[];
	/** The app folder, recorded in the allocation. */
	appPath: string;
	probe?: PortProbe;
	now?: () => Date;
	/** The models and pinned project names of the apps root (the store's own are read under the lock). */
	names?: ProjectNameIndex;
	/** The app's state file: the project name it pinned is kept unless another app holds it. */
	state?: {projectName: string} | null;
	/**
	 * The engine (Docker context name) to place a new allocation on; default the current context. Its
	 * ports are checked against that engine's allocations only. An app already placed elsewhere is an error.
	 */
	engine?: string;
}

export interface AllocateResult {
	allocation: Allocation;
	/** `false` when the app already had an allocation (get-or-allocate returned it unchanged). */
	created: boolean;
}

/**
 * Get-or-allocate: the app's existing allocation, else the lowest index k at which every slot's port
 * is free — in no allocation, not bound on this host and not published by a running container.
 */
export async function getOrAllocate(store: PortStore, app: AppRef, options: AllocateOptions): Promise<AllocateResult> {
	const slots = options.slots ?? DEFAULT_SLOTS;
	const problem = slotsProblem(slots);
	if (problem) throw new BerthError(`invalid port slots: ${problem}`, {code: 'bad-slots'});

	// Cheap answer first: an existing allocation needs no lock, no probe and no engine call.
	const existing = findAllocation(await store.read(), app.model, app.number);
	if (existing) return {allocation: placedOn(existing, options.engine), created: false};
	const engine = options.engine ?? currentContextName();
	const probe = options.probe ?? engineProbe(resolveEngine(engine));

	// Asked once, while the lock is being taken: containers publish ports far less often than berth
	// allocates, and the engine call then costs no time inside the lock.
	const publishedAnswer = probe.publishedPorts();
	publishedAnswer.catch(() => {});

	return store.update<AllocateResult>(async doc => {
		const again = findAllocation(doc, app.model, app.number);
		if (again) return {value: {allocation: placedOn(again, options.engine), created: false}, write: false};
		const published = await publishedAnswer;
		const index = indexOf(doc);
		const taken = takenOn(index, engine);
		const slotsKey = `${engine}\0${JSON.stringify(slots)}`;
		// Every index below the first candidate is taken in the store itself: the next search of this
		// document starts there (a release rebuilds the index, and with it the floors).
		const floor = index.floors.get(slotsKey) ?? 0;
		const first = candidates(slots, taken, floor).next();
		const from = first.done ? floor : candidateIndex(slots, first.value);
		index.floors.set(slotsKey, from);
		// No slots (an app placed on an engine without ports of its own): an allocation that records the placement.
		const ports = slots.length === 0 ? {} : await findFreePorts(app, slots, taken, published, probe, from);
		const allocation: Allocation = {
			model: app.model,
			app: app.number,
			ports,
			// Checked against every name of the store (and of the apps root): never one another app holds.
			projectName: resolveProjectName(app, {state: options.state}, options.names ? [index.names, options.names] : [index.names], {fresh: true}),
			appPath: options.appPath,
			createdAt: (options.now?.() ?? new Date()).toISOString(),
			engine,
		};
		remember(doc, allocation);
		return {value: {allocation, created: true}, write: true};
	});
}

/**
 * The lowest candidate of `slots` from index `from` whose every port is free: in no allocation
 * (`taken`), not published by a container, not bound on this host. The one search behind allocating
 * and the scaffold preview, so a preview shows the ports the allocation then takes, and both fail alike.
 */
export async function findFreePorts(
	app: AppRef,
	slots: readonly PortSlot[],
	taken: ReadonlySet<number>,
	published: ReadonlyMap<number, unknown>,
	probe: Pick<PortProbe, 'isBound'>,
	from = 0,
): Promise<Record<string, number>> {
	for (const ports of candidates(slots, taken, from)) {
		const values = Object.values(ports);
		if (values.some(port => published.has(port))) continue;
		let bound = false;
		// One at a time: the first bound port rules the candidate out (a probe costs ~4 ms on Deno).
		for (const port of values) {
			if (await probe.isBound(port)) {
				bound = true;
				break;
			}
		}
		if (!bound) return ports;
	}
	throw new BerthError(
		`no free ports left for ${app.model}/app${app.number}: every index of slots ${slots.map(s => `${s.name} (from ${s.base}, step ${s.step})`).join(', ')} reaches a used port or 65535. Release unused apps with "berth ports release".`,
		{code: 'ports-exhausted'},
	);
}

/** `allocation`, unless it is placed on another engine than the one asked for. */
function placedOn(allocation: Allocation, engine: string | undefined): Allocation {
	if (engine === undefined || allocation.engine === engine) return allocation;
	const id = `${allocation.model}/app${allocation.app}`;
	throw new BerthError(
		`${id} is placed on engine ${allocation.engine}, not ${engine}; its ports there are ${Object.values(allocation.ports).join(', ') || 'none'}. Move it with "berth move ${id} --to ${engine}", or leave out --engine.`,
		{code: 'placed-elsewhere'},
	);
}

interface DocumentIndex {
	allocations: Allocation[];
	/** The allocations the index was built from, in order (a snapshot: see `unchangedPrefix`). */
	items: Allocation[];
	/** Per engine: the ports its allocations hold. */
	taken: Map<string, Set<number>>;
	names: ProjectNameIndex;
	/** Per slot list: the lowest index that is not taken in the store. */
	floors: Map<string, number>;
}

const indexes = new WeakMap<StoreDocument, DocumentIndex>();

/**
 * Ports and project names of a document, kept while it is the same object whose allocations list only
 * grew through `remember`: a long-lived process (the TUI) then pays once, not per allocation, for
 * 10,000 allocations. Any other change (a release, a re-read, an allocation replaced by a move or an
 * adoption) changes the list's objects and rebuilds the index.
 */
function indexOf(doc: StoreDocument): DocumentIndex {
	const cached = indexes.get(doc);
	if (cached && cached.allocations === doc.allocations && cached.items.length === doc.allocations.length && unchangedPrefix(cached.items, doc.allocations))
		return cached;
	const index: DocumentIndex = {
		allocations: doc.allocations,
		items: doc.allocations.slice(),
		taken: new Map(),
		names: ProjectNameIndex.ofAllocations(doc.allocations),
		floors: new Map(),
	};
	indexes.set(doc, index);
	return index;
}

function takenOn(index: DocumentIndex, engine: string): Set<number> {
	let taken = index.taken.get(engine);
	if (!taken) {
		taken = takenPorts({version: 0, allocations: index.allocations}, engine);
		index.taken.set(engine, taken);
	}
	return taken;
}

function remember(doc: StoreDocument, allocation: Allocation): void {
	const index = indexOf(doc);
	doc.allocations.push(allocation);
	const taken = takenOn(index, allocation.engine);
	for (const port of Object.values(allocation.ports)) taken.add(port);
	index.names.addApp({model: allocation.model, number: allocation.app}, allocation.projectName);
	index.items.push(allocation);
}

/** Removes an app's allocation; its ports are offered first to the next allocation. */
export async function releaseAllocation(store: PortStore, app: AppRef): Promise<Allocation | null> {
	return store.update(doc => {
		const index = doc.allocations.findIndex(a => a.model === app.model && a.app === app.number);
		if (index === -1) return {value: null, write: false};
		const [removed] = doc.allocations.splice(index, 1);
		return {value: removed ?? null, write: true};
	});
}

export async function listAllocations(store: PortStore): Promise<Allocation[]> {
	const doc = await store.read();
	return [...doc.allocations].sort((a, b) => (a.model === b.model ? a.app - b.app : a.model < b.model ? -1 : 1));
}

/**
 * The ports an app placed elsewhere gets on `engine`: each keeps its number when that number is free
 * there (in no allocation on `engine`, not published by its containers, not bound on this host when the
 * engine is local), else takes the next free number above it. Keeping numbers keeps the app's URLs;
 * two slots never get one number.
 */
export async function portsOnEngine(
	app: AppRef,
	ports: Readonly<Record<string, number>>,
	taken: ReadonlySet<number>,
	published: ReadonlyMap<number, unknown>,
	probe: Pick<PortProbe, 'isBound'>,
): Promise<Record<string, number>> {
	const given = new Set<number>();
	const result: Record<string, number> = {};
	for (const [slot, port] of Object.entries(ports)) {
		let candidate = port;
		while (candidate <= 65_535 && (taken.has(candidate) || given.has(candidate) || published.has(candidate) || (await probe.isBound(candidate)))) candidate++;
		if (candidate > 65_535) {
			throw new BerthError(`no free port from ${port} up for ${app.model}/app${app.number} slot ${slot}: release unused apps with "berth ports release".`, {
				code: 'ports-exhausted',
			});
		}
		given.add(candidate);
		result[slot] = candidate;
	}
	return result;
}

/** An allocation as it is after moving to `engine` with `ports` (an adoption's remapped ports follow their slots). */
function movedAllocation(allocation: Allocation, engine: string, ports: Record<string, number>): Allocation {
	const adoption = allocation.adoption && {
		...allocation.adoption,
		...(allocation.adoption.ports ? {ports: allocation.adoption.ports.map(p => ({...p, allocated: ports[p.slot] ?? p.allocated}))} : {}),
	};
	return {...allocation, engine, ports, ...(adoption ? {adoption} : {})};
}

export interface MoveOptions {
	/** The probe of the target engine (engineProbe: host binds only when it is local). */
	probe: PortProbe;
	/** Only work out the allocation it would get: the store is not written. */
	dryRun?: boolean;
}

/**
 * Places an app's allocation on another engine under the store's lock: its ports per `portsOnEngine`
 * against that engine's allocations and containers. Returns the allocation before and after (the same
 * when it is already there). An app with no allocation is an error: it is placed nowhere to move from.
 */
export async function moveAllocation(store: PortStore, app: AppRef, engine: string, options: MoveOptions): Promise<{before: Allocation; after: Allocation}> {
	const publishedAnswer = options.probe.publishedPorts();
	publishedAnswer.catch(() => {});
	const plan = async (doc: StoreDocument) => {
		const before = findAllocation(doc, app.model, app.number);
		if (!before) {
			throw new BerthError(
				`${app.model}/app${app.number} has no allocation: it is placed on no engine yet. Place it with "berth up ${app.model}/app${app.number} --engine ${engine}" or "berth ports allocate ${app.model}/app${app.number} --engine ${engine}".`,
				{code: 'not-placed'},
			);
		}
		if (before.engine === engine) return {before, after: before};
		const ports = await portsOnEngine(app, before.ports, takenOn(indexOf(doc), engine), await publishedAnswer, options.probe);
		return {before, after: movedAllocation(before, engine, ports)};
	};
	if (options.dryRun) return plan(await store.read());
	return store.update(async doc => {
		const moved = await plan(doc);
		if (moved.after === moved.before) return {value: moved, write: false};
		// Allocations are replaced, never changed in place (store.ts keeps each one's serialised text).
		doc.allocations.splice(doc.allocations.indexOf(moved.before), 1, moved.after);
		return {value: moved, write: true};
	});
}

/** Undoes a move that could not be finished: `before` again, if the app's allocation is still `after`. */
export async function restoreAllocation(store: PortStore, before: Allocation, after: Allocation): Promise<boolean> {
	return store.update(doc => {
		const index = doc.allocations.findIndex(a => a.model === after.model && a.app === after.app);
		const current = doc.allocations[index];
		if (!current || current.engine !== after.engine || JSON.stringify(current.ports) !== JSON.stringify(after.ports)) return {value: false, write: false};
		doc.allocations.splice(index, 1, before);
		return {value: true, write: true};
	});
}
