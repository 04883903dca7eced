import {createHash} from 'node:crypto';
import {lstat, readFile} from 'node:fs/promises';
import path from 'node:path';
import {APP_STATE_FILE, readAppState, type AppState} from '../app-state.ts';
import {BerthError} from '../errors.ts';
import {appPath, parseModelId, type AppRef} from '../ids.ts';
import {ProjectNameIndex, resolveProjectName} from '../project-names.ts';
import {findAllocation, takenPorts, type PortSlot} from '../ports/allocator.ts';
import {engineProbe, type PortProbe} from '../ports/probes.ts';
import {currentContextName, resolveEngine} from '../docker/contexts.ts';
import {findFreePorts} from '../ports/service.ts';
import {openStore} from '../ports/store.ts';
import {discoverWorkspace} from '../workspace/discover.ts';
import type {Answer} from '../plugins/manifest.ts';
import type {Plugin} from '../plugins/registry.ts';
import {resolveAnswers} from './answers.ts';
import {buildContext, envFile, envWithPorts} from './context.ts';
import {renderInProcess, type TemplateRenderer} from './render.ts';
import {readPluginFiles, replacePlaceholders} from './templates.ts';

export type FileAction = 'create' | 'identical' | 'conflict' | 'skip';

/** One file of a plan, classified against the app folder before anything is written. */
export interface PlannedFile {
	/** Path relative to the app folder, POSIX separators. */
	path: string;
	action: FileAction;
	/** Will commitPlan write it? (`create`, and `conflict` under --force) */
	write: boolean;
	/** Why a file is skipped or in conflict, for the preview. */
	reason?: string;
	/** Size in bytes of the content berth would write. */
	size: number;
	/** The plugin file it comes from ("files/backend/Dockerfile.eta"), or "berth" for .env and .env.example. */
	from: string;
	/** File mode to write (e.g. 0o600 for .env), or `null` for the default. */
	mode: number | null;
	/** The rendered content. Never print it: .env holds secrets. */
	content: Uint8Array;
}

export interface PlanOptions {
	root: string;
	storeFile: string;
	app: AppRef;
	plugin: Plugin;
	/** Variable values, e.g. from --set (strings are typed by the manifest). */
	answers?: Readonly<Record<string, Answer>>;
	/** Overwrite files that exist with different content. */
	force?: boolean;
	/**
	 * `new`: every file; `backfill`: only the flavour's Docker files (plus .env.example/.env/.berth.json);
	 * `ports`: the app's files again for the ports its allocation has now (`berth move`): files berth
	 * wrote and nobody edited are updated, absent ones are not made again, and .env gets its port lines
	 * rewritten (its secrets and every other line kept).
	 */
	mode?: 'new' | 'backfill' | 'ports';
	probe?: PortProbe;
	now?: () => Date;
	/** Renders the templates (default: in this process; `plugins lint` passes its sandbox). */
	renderer?: TemplateRenderer;
	/** The models and pinned project names of the apps root (default: scanned); a batch passes one scan. */
	names?: ProjectNameIndex;
	/** The engine (Docker context) to place a new app on; default the current context. */
	engine?: string;
}

export interface Plan {
	options: PlanOptions;
	app: AppRef;
	appDir: string;
	flavour: {id: string; version: string};
	projectName: string;
	ports: Record<string, number>;
	/** `true` when the app already has its allocation in the store; else commit takes it. */
	allocated: boolean;
	files: PlannedFile[];
	/** What happens to .berth.json. */
	stateFile: {path: string; action: 'create' | 'update' | 'unchanged'};
	summary: {create: number; identical: number; conflict: number; skip: number; write: number};
	/** `false` when committing would change nothing at all. */
	changes: boolean;
	/** Things the user should know that do not stop the scaffold (e.g. keys missing from an existing .env). */
	warnings: string[];
	/** The state file content commit writes (internal). */
	state: AppState;
	/** Generated secrets, for .env only (internal; never print). */
	secrets: Record<string, string>;
	/** The apps root's names the project name was derived against; commit allocates against them (internal). */
	names: ProjectNameIndex;
}

export function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

const encoder = new TextEncoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Refused before anything is written: a path that would leave the app folder. */
export class UnsafePathError extends BerthError {
	override name = 'UnsafePathError';
	constructor(message: string) {
		super(message, {code: 'unsafe-path'});
	}
}

/** The checked relative POSIX path of a rendered target path, or an UnsafePathError. */
export function safeRelativePath(rendered: string, from: string): string {
	if (rendered.includes('\0')) throw new UnsafePathError(`${from}: the path ${JSON.stringify(rendered)} contains a NUL character`);
	if (path.posix.isAbsolute(rendered) || path.win32.isAbsolute(rendered)) {
		throw new UnsafePathError(`${from}: the path ${JSON.stringify(rendered)} is absolute; a flavour writes only inside the app folder`);
	}
	const segments = rendered.split(/[\\/]+/);
	if (segments.some(s => s === '..')) throw new UnsafePathError(`${from}: the path ${JSON.stringify(rendered)} leaves the app folder ("..")`);
	const clean = segments.filter(s => s !== '' && s !== '.');
	if (clean.length === 0) throw new UnsafePathError(`${from}: the path ${JSON.stringify(rendered)} is empty`);
	return clean.join('/');
}

/** Refuses a target whose folder (or itself) is a symlink inside the app folder: writing would follow it. */
async function checkNoSymlink(appDir: string, relative: string, from: string): Promise<'file' | 'dir' | 'other' | null> {
	const parts = relative.split('/');
	let current = appDir;
	for (let i = 0; i < parts.length; i++) {
		current = path.join(current, parts[i]!);
		let info;
		try {
			info = await lstat(current);
		} catch {
			return null; // this part does not exist: nothing deeper does either
		}
		if (info.isSymbolicLink()) {
			throw new UnsafePathError(
				`${from}: ${path.join(appDir, ...parts.slice(0, i + 1))} is a symbolic link; berth does not write through links (it could leave the app folder)`,
			);
		}
		if (i === parts.length - 1) return info.isFile() ? 'file' : info.isDirectory() ? 'dir' : 'other';
		if (!info.isDirectory()) return 'other';
	}
	return null;
}

/** Refuses a model or app folder that is a symbolic link: writing into it would write wherever it points. */
async function checkAppFolder(root: string, appDir: string): Promise<void> {
	for (const dir of [path.dirname(appDir), appDir]) {
		const info = await lstat(dir).catch(() => null);
		if (info?.isSymbolicLink()) {
			throw new UnsafePathError(
				`${dir} is a symbolic link; berth does not write through links (it could leave the apps root ${root}): replace it with a real folder`,
			);
		}
	}
}

async function readIfFile(file: string): Promise<Uint8Array | null> {
	try {
		return new Uint8Array(await readFile(file));
	} catch {
		return null;
	}
}

/** The slots of a manifest as the allocator wants them. */
export function pluginSlots(plugin: Plugin): PortSlot[] {
	return plugin.manifest.ports.map(p => ({name: p.slot, base: p.base, step: p.step}));
}

/**
 * The allocation the app has, or the one get-or-allocate would take now — read-only: the store is
 * not written (commitPlan takes the allocation under the lock). `names`: the apps root's models and
 * pinned names; `state`: the app's state file, whose pinned name is kept unless another app holds it.
 */
export async function previewAllocation(
	storeFile: string,
	app: AppRef,
	slots: readonly PortSlot[],
	probe: PortProbe,
	naming: {names: ProjectNameIndex; state: {projectName: string} | null},
	engine: string = currentContextName(),
): Promise<{ports: Record<string, number>; projectName: string; allocated: boolean; engine: string}> {
	const doc = await openStore(storeFile).read();
	const existing = findAllocation(doc, app.model, app.number);
	if (existing) return {ports: {...existing.ports}, projectName: existing.projectName, allocated: true, engine: existing.engine};
	// The name get-or-allocate will give: the same rule, against the same store and apps root.
	const projectName = resolveProjectName(app, {state: naming.state}, [ProjectNameIndex.ofAllocations(doc.allocations), naming.names], {fresh: true});
	if (slots.length === 0) return {ports: {}, projectName, allocated: false, engine};
	const ports = await findFreePorts(app, slots, takenPorts(doc, engine), await probe.publishedPorts(), probe);
	return {ports, projectName, allocated: false, engine};
}

/**
 * Plans the scaffold of one app: validates the answers, previews the allocation, renders every file
 * in memory, refuses unsafe paths and classifies each file against the app folder. Writes nothing.
 */
export async function planScaffold(options: PlanOptions): Promise<Plan> {
	const {plugin, app} = options;
	parseModelId(app.model);
	const mode = options.mode ?? 'new';
	const appDir = appPath(options.root, app);
	await checkAppFolder(options.root, appDir);
	const manifest = plugin.manifest;
	const previousState = await readAppState(appDir);
	const sameFlavour = previousState?.flavour.id === manifest.id ? previousState : null;
	const {answers, secrets} = resolveAnswers(manifest, options.answers ?? {}, sameFlavour?.answers ?? {});
	// Read, not compiled: the renderer compiles (lint's in its sandbox, with a time limit).
	const compiled = await readPluginFiles(plugin);
	const names = options.names ?? (await discoverWorkspace(options.root, null)).names;
	const engine = options.engine ?? currentContextName();
	const allocation = await previewAllocation(
		options.storeFile,
		app,
		pluginSlots(plugin),
		options.probe ?? engineProbe(resolveEngine(engine)),
		{names, state: previousState},
		engine,
	);
	const context = buildContext({manifest, app, projectName: allocation.projectName, ports: allocation.ports, answers});

	// Paths first, for every file, so an unsafe one stops the plan before any content is rendered.
	const selected = compiled.files.filter(file => {
		if (mode === 'backfill' && !file.rule.backfill) return false;
		return file.rule.when === null || answers[file.rule.when] === true;
	});
	const targets = new Map<string, (typeof selected)[number]>();
	for (const file of selected) {
		const from = `${plugin.dir}/files/${file.source}`;
		const target = safeRelativePath(replacePlaceholders(file.target, context.seed), from);
		// Also as a folder: "{{dir}}/x" with dir=.env would make .env a folder and the secrets unwritable.
		const top = target.split('/')[0]!;
		if (top === APP_STATE_FILE || top === '.env' || top === '.env.example') {
			throw new UnsafePathError(`${from}: renders to ${target}${top === target ? '' : `, inside ${top}`}, which berth writes itself`);
		}
		const other = targets.get(target);
		if (other) throw new BerthError(`${from}: renders to ${target}, as files/${other.source} does; each file needs its own path`, {code: 'bad-plugin'});
		targets.set(target, file);
	}
	const kinds = new Map<string, 'file' | 'dir' | 'other' | null>();
	for (const target of [...targets.keys(), '.env', '.env.example', APP_STATE_FILE]) {
		kinds.set(target, await checkNoSymlink(appDir, target, target));
	}

	const templates = [...targets.values()].filter(file => file.kind === 'template').map(file => file.source);
	const rendered = await (options.renderer ?? renderInProcess)(plugin, templates, {app, projectName: allocation.projectName, ports: allocation.ports, answers});
	for (const source of templates) {
		if (typeof rendered.get(source) !== 'string')
			throw new BerthError(`${plugin.dir}/files/${source}: the template renderer returned no text for this template`, {code: 'render-failed'});
	}

	const files: PlannedFile[] = [];
	const classify = async (relative: string, content: Uint8Array, from: string, fileMode: number | null, neverOverwrite?: string): Promise<void> => {
		const kind = kinds.get(relative) ?? null;
		const base = {path: relative, size: content.length, from, mode: fileMode, content};
		if (kind === null) {
			if (mode === 'ports') return void files.push({...base, action: 'skip', write: false, reason: 'absent: not made again'});
			return void files.push({...base, action: 'create', write: true});
		}
		if (kind !== 'file')
			return void files.push({...base, action: 'conflict', write: false, reason: `a ${kind === 'dir' ? 'folder' : 'non-regular file'} is in the way`});
		if (neverOverwrite) return void files.push({...base, action: 'skip', write: false, reason: neverOverwrite});
		const existing = await readIfFile(path.join(appDir, relative));
		if (existing && sameBytes(existing, content)) return void files.push({...base, action: 'identical', write: false});
		// The state's hash tells berth's own earlier output (safe to update) from a file the user edited.
		const recorded = sameFlavour?.files[relative];
		if (existing && recorded !== undefined && sha256(existing) === recorded) {
			return void files.push({...base, action: 'conflict', write: true, reason: 'not edited since berth wrote it: updated'});
		}
		files.push({
			...base,
			action: 'conflict',
			write: options.force === true,
			reason: options.force ? 'differs: overwritten (--force)' : 'differs: kept (use --force to overwrite)',
		});
	};
	for (const [target, file] of targets) {
		const from = `files/${file.source}`;
		let content: Uint8Array;
		if (file.kind === 'template') content = encoder.encode(rendered.get(file.source)!);
		else if (file.kind === 'placeholders') content = encoder.encode(replacePlaceholders(new TextDecoder().decode(file.bytes), context.seed));
		else content = file.bytes;
		await classify(target, content, from, file.rule.mode);
	}
	await classify('.env.example', encoder.encode(envFile({manifest, app, context, secrets: null})), 'berth', null);
	const envPath = path.join(appDir, '.env');
	const envNow = mode === 'ports' && kinds.get('.env') === 'file' ? await readIfFile(envPath) : null;
	if (envNow) {
		// Only the port lines change: the secrets and anything the user added stay as they are.
		const content = encoder.encode(envWithPorts(new TextDecoder().decode(envNow), manifest, allocation.ports));
		const same = sameBytes(envNow, content);
		files.push({
			path: '.env',
			size: content.length,
			from: 'berth',
			mode: 0o600,
			content,
			action: same ? 'identical' : 'conflict',
			write: !same,
			...(same ? {} : {reason: 'port lines rewritten; secrets kept'}),
		});
	} else {
		await classify(
			'.env',
			encoder.encode(envFile({manifest, app, context, secrets})),
			'berth',
			0o600,
			'exists: berth never overwrites .env (it holds the secrets)',
		);
	}

	const warnings: string[] = [];
	if (kinds.get('.env') === 'file' && mode !== 'ports') {
		// .env is kept as it is: say what it lacks (a newer flavour version, a variable added since).
		const existing = new TextDecoder().decode((await readIfFile(path.join(appDir, '.env'))) ?? new Uint8Array());
		const present = new Set([...existing.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map(m => m[1]!));
		const wanted = [...envFile({manifest, app, context, secrets: null}).matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map(m => m[1]!);
		const missing = wanted.filter(name => !present.has(name));
		if (missing.length > 0) warnings.push(`.env exists and lacks ${missing.join(', ')}: add them (see .env.example); berth never rewrites .env`);
		const given = manifest.variables.filter(v => v.secret && options.answers?.[v.name] !== undefined).map(v => v.name);
		if (given.length > 0) warnings.push(`--set ${given.join(', ')} ignored: .env exists and keeps its secrets; edit .env to change them`);
	}

	// The state records what is on disk after the commit: written or identical files, plus older records.
	const recorded: Record<string, string> = {...(sameFlavour?.files ?? {})};
	for (const file of files) {
		if (file.path === '.env') continue;
		if (file.write || file.action === 'identical') recorded[file.path] = sha256(file.content);
	}
	const now = (options.now?.() ?? new Date()).toISOString();
	const sorted = Object.fromEntries(Object.entries(recorded).sort(([a], [b]) => (a < b ? -1 : 1)));
	const state: AppState = {
		schema: 1,
		flavour: {id: manifest.id, version: manifest.version},
		answers,
		ports: allocation.ports,
		projectName: allocation.projectName,
		files: sorted,
		createdAt: previousState?.createdAt ?? now,
		updatedAt: previousState?.updatedAt ?? now,
	};
	const unchangedState = previousState !== null && JSON.stringify({...previousState, updatedAt: ''}) === JSON.stringify({...state, updatedAt: ''});
	if (!unchangedState) state.updatedAt = now;
	const stateAction = previousState === null && kinds.get(APP_STATE_FILE) === null ? 'create' : unchangedState ? 'unchanged' : 'update';

	const summary = {create: 0, identical: 0, conflict: 0, skip: 0, write: 0};
	for (const file of files) {
		summary[file.action]++;
		if (file.write) summary.write++;
	}
	return {
		options,
		app,
		appDir,
		flavour: {id: manifest.id, version: manifest.version},
		projectName: allocation.projectName,
		ports: allocation.ports,
		allocated: allocation.allocated,
		files,
		stateFile: {path: APP_STATE_FILE, action: stateAction},
		summary,
		changes: summary.write > 0 || stateAction !== 'unchanged' || (!allocation.allocated && manifest.ports.length > 0),
		state,
		secrets,
		warnings,
		names,
	};
}
