import {mkdir, readFile, rename, unlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {BerthError} from '../errors.ts';
import type {AppRef} from '../ids.ts';
import {ProjectNameIndex, resolveProjectName} from '../project-names.ts';
import {contextEnv, currentContextName} from '../docker/contexts.ts';
import {findAllocation, takenPorts, type Adoption, type AdoptedPort, type Allocation, type StoreDocument} from '../ports/allocator.ts';
import {ADOPT_RANGE, findFreeNamedPorts, hostFreePortProbe, type FreePortProbe, type PortRange} from '../ports/free-port.ts';
import {scanPublished} from '../ports/probes.ts';
import {openStore} from '../ports/store.ts';
import type {Protocol} from '../workspace/compose-ports.ts';
import type {ComposeBinary} from './detect.ts';
import {loadModel, modelCacheDir} from './model-load.ts';
import {portMappings, type AppModel, type ModelPort} from './model.ts';

/**
 * `berth adopt`: makes a compose app berth did not write safe to run beside the others without editing
 * one of its files. Every host port the app's model publishes gets a port of its own from the store
 * (one per service, container port: tcp and udp of one target share it), the user's host address is
 * kept, and a fixed `container_name` gives way to one derived from the project name. All of it goes
 * into berth's own override (beside the store), which every compose call of the app passes last
 * (files.ts). The port list is replaced with compose's `!override` tag, so it needs compose v2 2.24.4+.
 */

/** The oldest compose that replaces a list in an override (`!override`); older ones append to it. */
export const ADOPT_MIN_COMPOSE = '2.24.4';

function versionParts(version: string): number[] {
	return (/^v?(\d+(?:\.\d+)*)/.exec(version.trim())?.[1] ?? '0').split('.').map(Number);
}

/** -1, 0 or 1 as version `a` is older than, equal to or newer than `b` ("2.26.1-4" reads as 2.26.1). */
export function compareVersions(a: string, b: string): number {
	const [x, y] = [versionParts(a), versionParts(b)];
	for (let i = 0; i < Math.max(x.length, y.length); i++) {
		const d = (x[i] ?? 0) - (y[i] ?? 0);
		if (d !== 0) return d < 0 ? -1 : 1;
	}
	return 0;
}

/** Why this compose cannot run an adopted app, or `null` when it can. */
export function adoptComposeProblem(binary: ComposeBinary | null, env: NodeJS.ProcessEnv = process.env): string | null {
	const needs = `berth adopt needs compose v2 ${ADOPT_MIN_COMPOSE} or newer ("docker compose"), which can replace a port list in an override (!override)`;
	if (!binary) return `${needs}; no compose was found. Install the compose v2 plugin.`;
	if (binary.flavour === 'v1') {
		const forced = env['BERTH_COMPOSE'] === 'v1' ? ' (BERTH_COMPOSE=v1 chose it: unset it to use v2 when installed)' : '';
		return `${needs}; this is compose v1${binary.version ? ` ${binary.version}` : ''} (docker-compose)${forced}. Install the compose v2 plugin. Nothing was changed.`;
	}
	if (binary.version && compareVersions(binary.version, ADOPT_MIN_COMPOSE) < 0) {
		return `${needs}; this is compose ${binary.version}. Upgrade the compose plugin. Nothing was changed.`;
	}
	return null;
}

/**
 * berth's override replaces lists with !override: v1 and older v2 refuse it (or append the old ports).
 * Throws when `files` include the app's override and `binary` cannot read it, naming the way back.
 */
export function refuseAdoptedOnOldCompose(
	target: {id: string; berthOverride?: string | null},
	files: readonly string[],
	binary: ComposeBinary,
	env: NodeJS.ProcessEnv = process.env,
): void {
	if (!target.berthOverride || !files.includes(target.berthOverride)) return;
	const problem = adoptComposeProblem(binary, env);
	if (!problem) return;
	throw new BerthError(
		`${target.id} is adopted (berth's override ${target.berthOverride}): ${problem.replace(/ Nothing was changed\.$/, '')} Or run "berth adopt --undo ${target.id}" to run it as its own files say.`,
		{code: 'compose-too-old'},
	);
}

/** berth's override of an app: beside the store (never in the app folder), one per app. */
export function overrideFile(storeFile: string, app: AppRef): string {
	return path.join(path.dirname(storeFile), 'overrides', app.model, `app${app.number}.compose.yaml`);
}

/** A published port berth leaves as it is, and why. */
export interface KeptPort {
	service: string;
	target: number;
	protocol: Protocol;
	hostIp: string | null;
	/** "9100-9110" for a host range, else the host port. */
	published: string;
	reason: string;
}

/** A slot the model asks for: one service's container port, on every protocol and address it is published for. */
export interface WantedSlot {
	slot: string;
	service: string;
	target: number;
	protocols: Protocol[];
	hostIps: (string | null)[];
	original: number[];
}

const slotKey = (service: string, target: number) => `${service}\u0000${target}`;

/** `web-8080`; `db-5432-udp` for a target published for udp only (tcp and udp together share the plain name). */
function slotName(service: string, target: number, protocols: readonly Protocol[]): string {
	const base = `${service.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}-${target}`;
	return protocols.includes('tcp') ? base : `${base}-${[...protocols].sort().join('-')}`;
}

/** Whether a mapping publishes a fixed host port berth must move: a single host port that is not one of the app's own allocated ports. */
function isFixed(port: ModelPort, own: ReadonlySet<number>): boolean {
	return port.hostPort !== null && port.hostRange === null && !own.has(port.hostPort);
}

/**
 * The slots an app's model asks for, and the published ports left as they are. `own` are the app's
 * allocated ports outside any adoption: a port the files publish through `${BERTH_PORT_<SLOT>}` is
 * berth's already. Services on the host network publish nothing (compose ignores their ports).
 */
export function wantedSlots(model: Pick<AppModel, 'services'>, own: ReadonlySet<number> = new Set()): {slots: WantedSlot[]; kept: KeptPort[]} {
	const slots = new Map<string, WantedSlot>();
	const kept: KeptPort[] = [];
	for (const service of model.services) {
		for (const port of service.ports) {
			if (port.hostPort === null && port.hostRange === null) continue; // container-only
			const keep = (reason: string) =>
				kept.push({
					service: service.name,
					target: port.target,
					protocol: port.protocol,
					hostIp: port.hostIp,
					published: port.hostRange ?? String(port.hostPort),
					reason,
				});
			if (service.networkMode === 'host') keep('the service is on the host network: compose publishes nothing, the program binds its ports itself');
			else if (port.hostRange !== null) keep('a host range: the engine picks a free port of it for each copy');
			else if (!isFixed(port, own)) keep("one of the app's own allocated ports");
			else {
				const key = slotKey(service.name, port.target);
				const slot = slots.get(key) ?? {slot: '', service: service.name, target: port.target, protocols: [], hostIps: [], original: []};
				if (!slot.protocols.includes(port.protocol)) slot.protocols.push(port.protocol);
				if (!slot.hostIps.includes(port.hostIp)) slot.hostIps.push(port.hostIp);
				if (!slot.original.includes(port.hostPort!)) slot.original.push(port.hostPort!);
				slots.set(key, slot);
			}
		}
	}
	const names = new Set<string>();
	const list = [...slots.values()].sort((a, b) => (a.service === b.service ? a.target - b.target : a.service < b.service ? -1 : 1));
	for (const slot of list) {
		slot.protocols.sort();
		let name = slotName(slot.service, slot.target, slot.protocols);
		// Two services that read the same once lowercased ("Web", "web"): the second gets a suffix.
		for (let n = 2; names.has(name); n++) name = `${slotName(slot.service, slot.target, slot.protocols)}-${n}`;
		names.add(name);
		slot.slot = name;
	}
	return {slots: list, kept};
}

/** The container name berth gives a service whose files fix one: derived from the (unique) project name. */
export function adoptedContainerName(projectName: string, service: string): string {
	return `${projectName}-${service}`.replace(/[^a-zA-Z0-9_.-]+/g, '-');
}

/** The fixed container names of a model: what `adopt` replaces. */
export function fixedContainerNames(model: Pick<AppModel, 'services'>, projectName: string): {service: string; original: string; replaced: string}[] {
	return model.services
		.filter(s => s.containerName !== null)
		.map(s => ({service: s.name, original: s.containerName!, replaced: adoptedContainerName(projectName, s.name)}));
}

const yamlString = (text: string) => JSON.stringify(text);

/**
 * berth's override for an adopted app: per service, `ports: !override` with every entry of the model
 * (container-only ones and ranges kept as compose printed them, each fixed host port replaced by its
 * allocation, host address and protocol kept), and the derived `container_name`. JSON scalars and flow
 * mappings are YAML too, so every value is written exactly.
 */
export function renderOverride(
	id: string,
	projectName: string,
	model: Pick<AppModel, 'services' | 'config'>,
	allocated: ReadonlyMap<string, number>,
	own: ReadonlySet<number> = new Set(),
): string {
	const raw = (model.config?.['services'] ?? {}) as Record<string, Record<string, unknown>>;
	const lines = [
		`# berth's override for ${id} (compose project ${projectName}), written by "berth adopt".`,
		'# berth regenerates it on every "berth adopt" and removes it on "berth adopt --undo": do not edit.',
		"# It is passed last to every compose call of the app; the app's own files are never changed.",
		'services:',
	];
	for (const service of model.services) {
		const definition = raw[service.name] ?? {};
		const body: string[] = [];
		if (service.containerName !== null) body.push(`    container_name: ${yamlString(adoptedContainerName(projectName, service.name))}`);
		const entries = Array.isArray(definition['ports']) ? (definition['ports'] as unknown[]) : [];
		if (service.networkMode !== 'host' && service.ports.some(p => isFixed(p, own))) {
			const out: string[] = [];
			for (const entry of entries) {
				const mapped = portMappings(service.name, entry);
				const remapped = (port: ModelPort): unknown => {
					const to = isFixed(port, own) ? allocated.get(slotKey(service.name, port.target)) : undefined;
					if (to === undefined) return entry;
					if (entry && typeof entry === 'object') return {...(entry as object), published: String(to)};
					return {target: port.target, published: String(to), protocol: port.protocol, ...(port.hostIp ? {host_ip: port.hostIp} : {})};
				};
				const results = typeof mapped === 'string' ? [entry] : mapped.length === 1 ? [remapped(mapped[0]!)] : [entry];
				for (const result of results) {
					const text = `      - ${JSON.stringify(result)}`;
					// Two host ports of one target become one allocation: publish it once.
					if (!out.includes(text)) out.push(text);
				}
			}
			body.push('    ports: !override', ...out);
		}
		if (body.length > 0) lines.push(`  ${yamlString(service.name)}:`, ...body);
	}
	return `${lines.join('\n')}\n`;
}

/** Written to a temporary file of its own, then renamed: compose never reads half an override. */
async function writeAtomically(file: string, text: string): Promise<void> {
	await mkdir(path.dirname(file), {recursive: true});
	const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
	try {
		await writeFile(temp, text, {mode: 0o644});
		await rename(temp, file);
	} catch (error) {
		await unlink(temp).catch(() => {});
		throw error;
	}
}

/** Removes berth's override of an app (released, or adoption undone); an absent file is fine. */
export async function removeOverride(file: string): Promise<void> {
	await unlink(file).catch(() => {});
}

async function readOrNull(file: string): Promise<string | null> {
	try {
		return await readFile(file, 'utf8');
	} catch {
		return null;
	}
}

/** What `adopt` needs to know of an app; a `WorkspaceApp` is one. */
export interface AdoptTarget {
	id: string;
	model: string;
	number: number;
	path: string;
	projectName: string;
	flavour: string | null;
	hasCompose: boolean;
}

export interface AdoptOptions {
	storeFile: string;
	binary: ComposeBinary | null;
	env?: NodeJS.ProcessEnv;
	dryRun?: boolean;
	/** Where new ports come from (default ADOPT_RANGE). */
	range?: PortRange;
	probe?: FreePortProbe;
	/** Host ports published by running containers (default: asked of the Engine; none when it is unreachable). */
	published?: () => Promise<ReadonlyMap<number, unknown>>;
	/** The models and pinned project names of the apps root, for an app that has no allocation yet. */
	names?: ProjectNameIndex;
	/** The engine (Docker context) to place an app that has no allocation yet on; default the current context. */
	engine?: string;
	signal?: AbortSignal;
	now?: () => Date;
}

export type AdoptStatus = 'adopted' | 'would-adopt' | 'unchanged' | 'nothing-to-adopt' | 'flavour' | 'failed' | 'undone' | 'would-undo' | 'not-adopted';

export interface AdoptResult {
	app: string;
	status: AdoptStatus;
	/** One sentence on what happened (or why not). */
	message: string;
	projectName: string;
	/** The remapping: recorded, or (dry run) what would be allocated. */
	ports: AdoptedPort[];
	/** Slots of an earlier adoption the files no longer publish: released. */
	released: {slot: string; port: number}[];
	containerNames: {service: string; original: string; replaced: string}[];
	/** Published ports berth left as they are, and why. */
	kept: KeptPort[];
	/** berth's override file (absent after an undo or when nothing needs one). */
	override: string | null;
	/** The app's effective model as planned from (for hazard reports); absent when it was not read. */
	model?: AppModel;
}

export function result(app: AdoptTarget, status: AdoptStatus, message: string, extra: Partial<AdoptResult> = {}): AdoptResult {
	return {app: app.id, status, message, projectName: app.projectName, ports: [], released: [], containerNames: [], kept: [], override: null, ...extra};
}

/** The app's allocated ports outside any adoption: what its files may publish through `${BERTH_PORT_<SLOT>}`. */
function ownPorts(allocation: Allocation | undefined): Record<string, number> {
	const adopted = new Set((allocation?.adoption?.ports ?? []).map(p => p.slot));
	return Object.fromEntries(Object.entries(allocation?.ports ?? {}).filter(([slot]) => !adopted.has(slot)));
}

/**
 * The ports of the wanted slots: a slot adopted before keeps its port (adopt is idempotent), a new one
 * gets the lowest free port of the range. `doc` is the store (under its lock, except for a dry run).
 */
async function choosePorts(
	doc: StoreDocument,
	allocation: Allocation | undefined,
	slots: readonly WantedSlot[],
	published: ReadonlyMap<number, unknown>,
	options: AdoptOptions,
): Promise<AdoptedPort[]> {
	const before = new Map((allocation?.adoption?.ports ?? []).map(p => [p.slot, p.allocated]));
	const fresh = slots.filter(s => !before.has(s.slot));
	const found = await findFreeNamedPorts(
		fresh.map(s => ({name: `${s.service} ${s.target}/${s.protocols.join('+')}`, use: {protocols: s.protocols, hostIps: s.hostIps}})),
		takenPorts(doc, allocation?.engine ?? options.engine ?? currentContextName(options.env)),
		published,
		options.probe ?? hostFreePortProbe,
		options.range ?? ADOPT_RANGE,
	);
	return slots.map(s => ({...s, allocated: before.get(s.slot) ?? found.get(`${s.service} ${s.target}/${s.protocols.join('+')}`)!}));
}

function sameAdoption(a: Adoption | undefined, ports: readonly AdoptedPort[], names: readonly {service: string; replaced: string}[]): boolean {
	return !!a && JSON.stringify(a.ports ?? []) === JSON.stringify(ports) && JSON.stringify(a.containerNames ?? []) === JSON.stringify(names);
}

/**
 * Adopts one app: plans from its model (its own files, without berth's override), allocates under the
 * store's lock, writes the override and records the adoption. Idempotent; a file changed since the
 * last adoption gets new slots and loses vanished ones. A flavour app needs none and is left alone.
 */
export async function adoptApp(app: AdoptTarget, options: AdoptOptions): Promise<AdoptResult> {
	const ref: AppRef = {model: app.model, number: app.number};
	if (app.flavour) {
		return result(app, 'flavour', `scaffolded from flavour ${app.flavour}: its ports are allocated by berth already, nothing to adopt`);
	}
	if (!app.hasCompose) return result(app, 'failed', `no compose file in ${app.path} (compose.yaml, docker-compose.yml, ...)`);
	const problem = adoptComposeProblem(options.binary, options.env);
	if (problem) throw new BerthError(problem, {code: 'compose-too-old'});
	const store = openStore(options.storeFile, {signal: options.signal});
	const file = overrideFile(options.storeFile, ref);
	const current = findAllocation(await store.read(), app.model, app.number);
	if (current && options.engine && current.engine !== options.engine) {
		throw new BerthError(
			`${app.id} is placed on engine ${current.engine}, not ${options.engine}. Move it with "berth move ${app.id} --to ${options.engine}", or leave out --engine.`,
			{
				code: 'placed-elsewhere',
			},
		);
	}
	const engine = current?.engine ?? options.engine ?? currentContextName(options.env);
	const projectName = current?.projectName ?? app.projectName;
	const own = ownPorts(current);
	const {model} = await loadModel(
		{id: app.id, path: app.path, projectName, ports: Object.keys(own).length ? own : null, berthOverride: null},
		{binary: options.binary, env: options.env, cacheDir: modelCacheDir(options.storeFile), signal: options.signal},
	);
	if (model.error) return result(app, 'failed', `compose cannot read it: ${model.error}`, {model});
	const ownSet = new Set(Object.values(own));
	const {slots, kept} = wantedSlots(model, ownSet);
	const names = fixedContainerNames(model, projectName);
	if (slots.length === 0 && names.length === 0) {
		if (current?.adoption) {
			// Nothing left to remap (the files changed): the adoption goes, as with --undo.
			const undone = await undoAdoption(app, options);
			return {...undone, kept, model, message: `it publishes no fixed port and sets no container name any more: ${undone.message}`};
		}
		return result(app, 'nothing-to-adopt', 'it publishes no fixed host port and sets no container name: nothing to adopt', {kept, model});
	}
	// The ports the containers of the app's engine publish (a port is unique per engine).
	const published = await (options.published ?? (async () => (await scanPublished(contextEnv(engine, options.env))).ports))();
	const released = (before: Allocation | undefined) =>
		(before?.adoption?.ports ?? []).filter(p => !slots.some(s => s.slot === p.slot)).map(p => ({slot: p.slot, port: p.allocated}));

	if (options.dryRun) {
		const doc = await store.read();
		const allocation = findAllocation(doc, app.model, app.number);
		const ports = await choosePorts(doc, allocation, slots, published, options);
		const same =
			sameAdoption(allocation?.adoption, ports, names) && (await readOrNull(file)) === renderOverride(app.id, projectName, model, slotPorts(ports), ownSet);
		return result(app, same ? 'unchanged' : 'would-adopt', same ? 'already adopted as its files are now' : 'would be adopted (dry run: nothing written)', {
			projectName,
			ports,
			released: released(allocation),
			containerNames: names,
			kept,
			override: file,
			model,
		});
	}

	const previous = await readOrNull(file);
	let wrote = false;
	try {
		return await store.update(async doc => {
			const index = doc.allocations.findIndex(a => a.model === app.model && a.app === app.number);
			const allocation = index === -1 ? undefined : doc.allocations[index];
			if (allocation && allocation.projectName !== projectName) {
				throw new BerthError(`${app.id} changed in the store while berth read it (another berth process?). Nothing was changed: run "berth adopt" again.`, {
					code: 'changed',
				});
			}
			const ports = await choosePorts(doc, allocation, slots, published, options);
			const text = renderOverride(app.id, projectName, model, slotPorts(ports), ownSet);
			const gone = released(allocation);
			if (sameAdoption(allocation?.adoption, ports, names) && previous === text) {
				return {
					value: result(app, 'unchanged', 'already adopted as its files are now', {ports, containerNames: names, kept, override: file, model}),
					write: false,
				};
			}
			const keptSlots = ownPorts(allocation);
			const adoption: Adoption = {
				override: file,
				ports,
				containerNames: names,
				createdAllocation: allocation ? (allocation.adoption?.createdAllocation ?? false) : true,
				adoptedAt: (options.now?.() ?? new Date()).toISOString(),
			};
			const next: Allocation = allocation
				? {...allocation, ports: {...keptSlots, ...Object.fromEntries(ports.map(p => [p.slot, p.allocated]))}, adoption}
				: {
						model: app.model,
						app: app.number,
						ports: Object.fromEntries(ports.map(p => [p.slot, p.allocated])),
						projectName: resolveProjectName(
							ref,
							{state: {projectName}},
							[ProjectNameIndex.ofAllocations(doc.allocations), ...(options.names ? [options.names] : [])],
							{
								fresh: true,
							},
						),
						appPath: app.path,
						createdAt: (options.now?.() ?? new Date()).toISOString(),
						engine: options.engine ?? currentContextName(options.env),
						adoption,
					};
			if (next.projectName !== projectName) {
				// Another app holds the name this app runs under: derive the override from the name it gets.
				adoption.containerNames = names.map(n => ({...n, replaced: adoptedContainerName(next.projectName, n.service)}));
			}
			const finalText = renderOverride(app.id, next.projectName, model, slotPorts(ports), ownSet);
			// Allocations are replaced, never changed in place (store.ts keeps each one's serialised text).
			if (index === -1) doc.allocations.push(next);
			else doc.allocations.splice(index, 1, next);
			await writeAtomically(file, finalText);
			wrote = true;
			return {
				value: result(app, 'adopted', `${ports.length} port(s) remapped${names.length ? `, ${names.length} container name(s) replaced` : ''}`, {
					projectName: next.projectName,
					ports,
					released: gone,
					containerNames: adoption.containerNames!,
					kept,
					override: file,
					model,
				}),
				write: true,
			};
		});
	} catch (error) {
		// The store kept the old adoption: so does the override.
		if (wrote) await (previous === null ? unlink(file).catch(() => {}) : writeAtomically(file, previous).catch(() => {}));
		throw error;
	}
}

function slotPorts(ports: readonly AdoptedPort[]): Map<string, number> {
	return new Map(ports.map(p => [slotKey(p.service, p.target), p.allocated]));
}

/** `adopt --undo`: removes berth's override and releases the adopted ports (and the allocation, when adopt created it). */
export async function undoAdoption(app: AdoptTarget, options: Pick<AdoptOptions, 'storeFile' | 'dryRun' | 'signal'>): Promise<AdoptResult> {
	const ref: AppRef = {model: app.model, number: app.number};
	const store = openStore(options.storeFile, {signal: options.signal});
	const file = overrideFile(options.storeFile, ref);
	const current = findAllocation(await store.read(), app.model, app.number);
	if (!current?.adoption) {
		// A stray override of an interrupted run is berth's file too.
		if (!options.dryRun) await unlink(file).catch(() => {});
		return result(app, 'not-adopted', 'not adopted: nothing to undo');
	}
	const summary = (adoption: Adoption) => ({
		ports: adoption.ports ?? [],
		released: (adoption.ports ?? []).map(p => ({slot: p.slot, port: p.allocated})),
		containerNames: adoption.containerNames ?? [],
	});
	if (options.dryRun) {
		return result(app, 'would-undo', 'would get its own ports back (dry run: nothing written)', {
			...summary(current.adoption),
			override: current.adoption.override,
		});
	}
	const undone = await store.update(doc => {
		const index = doc.allocations.findIndex(a => a.model === app.model && a.app === app.number);
		const allocation = index === -1 ? undefined : doc.allocations[index];
		if (!allocation?.adoption) return {value: null, write: false};
		const ports = ownPorts(allocation);
		const {adoption, ...rest} = allocation;
		if (adoption.createdAllocation && Object.keys(ports).length === 0) doc.allocations.splice(index, 1);
		else doc.allocations.splice(index, 1, {...rest, ports});
		return {value: adoption, write: true};
	});
	await unlink(undone?.override ?? file).catch(() => {});
	if (!undone) return result(app, 'not-adopted', 'not adopted: nothing to undo');
	return result(app, 'undone', `berth's override removed, ${undone.ports?.length ?? 0} port(s) released; the app runs as its own files say`, {
		...summary(undone),
	});
}

/**
 * The fixed host ports a compose app publishes that the slots about to be allocated would not cover:
 * its files are read with `BERTH_PORT_<SLOT>` set to placeholder ports, so a port published through
 * berth's variable is not fixed. `ports allocate` refuses such an app (adoption is what it needs).
 */
export async function fixedPortsBeyondSlots(
	app: {id: string; path: string; projectName: string},
	slots: readonly string[],
	options: {binary: ComposeBinary | null; env?: NodeJS.ProcessEnv; signal?: AbortSignal},
): Promise<WantedSlot[]> {
	const placeholders = Object.fromEntries(slots.map((slot, i) => [slot, 65_535 - i]));
	const {model} = await loadModel(
		{id: app.id, path: app.path, projectName: app.projectName, ports: placeholders, berthOverride: null},
		{binary: options.binary, env: options.env, cacheDir: null, signal: options.signal},
	);
	if (model.error) return []; // unreadable files are `ls`'s and `ports check`'s to report
	return wantedSlots(model, new Set(Object.values(placeholders))).slots;
}
