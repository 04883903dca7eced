import {readdirSync, type Dirent} from 'node:fs';
import {readdir, access} from 'node:fs/promises';
import path from 'node:path';
import {appFolderNumber, modelIdProblem} from '../ids.ts';
import {pinnedProjectName, projectNameConflicts, ProjectNameIndex, resolveProjectName, type NamePins, type ProjectNameConflict} from '../project-names.ts';
import {readAppStateSync, APP_STATE_FILE, COMPOSE_FILE_NAMES, COMPOSE_OVERRIDE_FILE_NAMES} from '../app-state.ts';
import type {StoreDocument} from '../ports/allocator.ts';

export interface WorkspaceApp {
	/** `<model>/app<N>` */
	id: string;
	model: string;
	number: number;
	path: string;
	flavour: string | null;
	ports: Record<string, number> | null;
	projectName: string;
	hasCompose: boolean;
	/** The compose file berth would use, or `null`. */
	composeFile: string | null;
	/** berth's own override of an adopted app (`berth adopt`), passed last to every compose call; `null` when not adopted. */
	berthOverride: string | null;
	/** The engine (Docker context) its allocation places it on; `null`: placed nowhere yet (the current context). */
	engine: string | null;
}

export interface WorkspaceModel {
	id: string;
	apps: WorkspaceApp[];
}

export interface Workspace {
	root: string;
	models: WorkspaceModel[];
	/** Folders that are neither models nor apps, and other oddities: reported, never fatal. */
	warnings: string[];
	/** The models and pinned project names of the store and the apps root, for deriving a new name. */
	names: ProjectNameIndex;
	/** Apps (of the apps root and the store) that share one compose project name. */
	conflicts: ProjectNameConflict[];
	/**
	 * What each app folder held when scanned (entry names, by folder): a command that loads the models
	 * right after the scan (`ls`) need not list every folder again. A long-lived holder of a workspace
	 * must not pass it on: it ages with the workspace.
	 */
	listings?: ReadonlyMap<string, ReadonlySet<string>>;
}

async function exists(file: string): Promise<boolean> {
	try {
		await access(file);
		return true;
	} catch {
		return false;
	}
}

async function firstFile(dir: string, names: readonly string[]): Promise<string | null> {
	for (const name of names) {
		const file = path.join(dir, name);
		if (await exists(file)) return file;
	}
	return null;
}

export function findComposeFile(appDir: string): Promise<string | null> {
	return firstFile(appDir, COMPOSE_FILE_NAMES);
}

/**
 * The files compose itself reads in an app folder when run there with no `-f`: the compose file, then
 * the user's override when there is one. Every compose call of berth passes exactly these, in this
 * order, since a single `-f` turns off compose's own override lookup. Empty when there is no compose file.
 */
export async function findComposeFiles(appDir: string): Promise<string[]> {
	// One listing, as discovery does, not a failed access() per candidate name: `ls` asks this of every app.
	return composeFilesIn(appDir, new Set(await readdir(appDir).catch(() => [] as string[])));
}

/** `findComposeFiles` from a listing of the app folder (its entries' names) already made. */
export function composeFilesIn(appDir: string, entries: ReadonlySet<string>): string[] {
	const file = COMPOSE_FILE_NAMES.find(name => entries.has(name));
	if (file === undefined) return [];
	const override = COMPOSE_OVERRIDE_FILE_NAMES.find(name => entries.has(name));
	return override === undefined ? [path.join(appDir, file)] : [path.join(appDir, file), path.join(appDir, override)];
}

interface Listing {
	folders: string[];
	files: string[];
	/** Symbolic links: never followed (scaffolding through one would write outside the apps root). */
	links: string[];
}

/** Synchronous, as every read of the scan: one after the other is cheaper than a thread-pool round trip each. */
function subfolders(dir: string): Listing {
	const entries: Dirent[] = readdirSync(dir, {withFileTypes: true});
	const listing: Listing = {folders: [], files: [], links: []};
	for (const entry of entries) {
		if (entry.name.startsWith('.')) continue; // .berth, .git, editor files: not part of the fleet
		(entry.isSymbolicLink() ? listing.links : entry.isDirectory() ? listing.folders : listing.files).push(entry.name);
	}
	listing.folders.sort();
	listing.links.sort();
	return listing;
}

function linkWarning(link: string): string {
	return `${link} is a symlink: berth does not follow symlinks in the apps root (skipped; move the folder here instead)`;
}

/** What one model folder holds: its app folders (with their state file and compose file), the rest. */
function readModel(modelDir: string, listings: Map<string, ReadonlySet<string>>) {
	let listing: Listing;
	try {
		listing = subfolders(modelDir);
	} catch {
		listing = {folders: [], files: [], links: []};
	}
	const {folders, links} = listing;
	const found: {folder: string; number: number}[] = [];
	const skipped: string[] = [];
	for (const folder of folders) {
		const number = appFolderNumber(folder);
		if (number === null) skipped.push(folder);
		else found.push({folder, number});
	}
	const problems: string[] = [];
	// One listing per app folder instead of a failed open per candidate file (a thrown ENOENT each), and
	// synchronous calls in a row instead of a promise and a thread-pool round trip each: 200 apps in a
	// few ms instead of ~20.
	const files = found.map(({folder}) => {
		const appDir = path.join(modelDir, folder);
		let entries: Set<string>;
		try {
			entries = new Set(readdirSync(appDir));
		} catch {
			entries = new Set();
		}
		listings.set(appDir, entries);
		const compose = COMPOSE_FILE_NAMES.find(name => entries.has(name));
		return [
			entries.has(APP_STATE_FILE) ? readAppStateSync(appDir, problem => problems.push(problem)) : null,
			compose ? path.join(appDir, compose) : null,
		] as const;
	});
	return {links, skipped, found, files, problems};
}

/**
 * Scans the apps root (`<root>/<model>/app<N>/`) and merges the port store, so every app folder is
 * listed with its flavour, ports and compose project, whether or not it was ever started.
 */
export async function discoverWorkspace(root: string, store: StoreDocument | null): Promise<Workspace> {
	const warnings: string[] = [];
	const models: WorkspaceModel[] = [];
	let top: Listing;
	try {
		top = subfolders(root);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		warnings.push(code === 'ENOENT' ? `the apps root ${root} does not exist yet` : `cannot read the apps root ${root}: ${(error as Error).message}`);
		top = {folders: [], files: [], links: []};
	}
	for (const link of top.links) warnings.push(linkWarning(path.join(root, link)));
	const names = new ProjectNameIndex();
	for (const allocation of store?.allocations ?? []) names.addApp({model: allocation.model, number: allocation.app}, allocation.projectName);
	const allocations = new Map<string, StoreDocument['allocations'][number]>();
	// An app behind a symlink has its warning already: not also "allocated but no folder".
	const linkedModels = new Set(top.links);
	for (const allocation of store?.allocations ?? []) {
		if (!linkedModels.has(allocation.model)) allocations.set(`${allocation.model}/app${allocation.app}`, allocation);
	}

	const listings = new Map<string, ReadonlySet<string>>();
	const reads = new Map(
		top.folders.filter(modelId => !modelIdProblem(modelId)).map(modelId => [modelId, readModel(path.join(root, modelId), listings)] as const),
	);
	// Project names are resolved once every model and pinned name is known: a name depends on the others.
	const unresolved: {id: string; apps: {app: Omit<WorkspaceApp, 'projectName'>; pins: NamePins}[]}[] = [];
	for (const modelId of top.folders) {
		const problem = modelIdProblem(modelId);
		if (problem) {
			warnings.push(`skipped folder ${path.join(root, modelId)}: not a valid model id (it ${problem})`);
			continue;
		}
		names.addModel(modelId);
		const modelDir = path.join(root, modelId);
		const {links, skipped, found, files, problems} = reads.get(modelId)!;
		for (const link of links) {
			warnings.push(linkWarning(path.join(modelDir, link)));
			const number = appFolderNumber(link);
			if (number !== null) allocations.delete(`${modelId}/app${number}`);
		}
		for (const folder of skipped) warnings.push(`skipped folder ${path.join(modelDir, folder)}: app folders are named app<N> (app1, app2, ...)`);
		warnings.push(...problems);
		const apps = found.map(({folder, number}, i) => {
			const [state, composeFile] = files[i]!;
			const id = `${modelId}/app${number}`;
			const allocation = allocations.get(id);
			allocations.delete(id);
			const pins = {allocation, state};
			names.addApp({model: modelId, number}, pinnedProjectName(pins));
			const app = {
				id,
				model: modelId,
				number,
				path: path.join(modelDir, folder),
				flavour: state?.flavour.id ?? null,
				ports: allocation?.ports ?? state?.ports ?? null,
				hasCompose: composeFile !== null,
				composeFile,
				berthOverride: allocation?.adoption?.override ?? null,
				engine: allocation?.engine ?? null,
			};
			return {app, pins};
		});
		apps.sort((a, b) => a.app.number - b.app.number);
		unresolved.push({id: modelId, apps});
	}
	for (const {id, apps} of unresolved) {
		const resolved = apps.map(({app, pins}): WorkspaceApp => {
			const {composeFile, hasCompose, berthOverride, engine, ...rest} = app;
			// Key order as before (projectName before hasCompose): --json output stays the same.
			return {...rest, projectName: resolveProjectName(app, pins, [names]), hasCompose, composeFile, berthOverride, engine};
		});
		models.push({id, apps: resolved});
	}
	// The store is machine-wide: only allocations made for this root are expected to have a folder here.
	for (const [id, allocation] of allocations) {
		if (allocation.appPath.startsWith(root + path.sep)) warnings.push(`${id} has ports allocated in the store but no folder ${allocation.appPath}`);
	}
	const listed = new Set(models.flatMap(m => m.apps.map(a => a.id)));
	const everyApp = [
		...models.flatMap(m => m.apps),
		...(store?.allocations ?? []).map(a => ({id: `${a.model}/app${a.app}`, projectName: a.projectName})).filter(a => !listed.has(a.id)),
	];
	return {root, models, warnings, names, conflicts: projectNameConflicts(everyApp), listings};
}
