/**
 * Follows the apps root on disk so that the TUI's app list stays true: a model or app folder added,
 * removed or renamed, a compose file or berth's state file appearing or going away. `fs.watch` on the
 * root, each model folder and each app folder (not recursive: Linux has no recursive watch on every
 * runtime, and an app's own tree, node_modules and all, is none of berth's business); a burst of events
 * becomes one look at the tree, and only a tree that differs is reported. When watching fails (no
 * inotify watches left, a runtime without fs.watch, a root that does not exist yet), a cheap periodic
 * rescan of the same tree takes over.
 */
import {watch as fsWatch, type FSWatcher} from 'node:fs';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {APP_STATE_FILE, COMPOSE_FILE_NAMES, COMPOSE_OVERRIDE_FILE_NAMES} from '../app-state.ts';
import {appFolderNumber} from '../ids.ts';

export interface WorkspaceWatchOptions {
	/** Quiet time after the last event before the tree is looked at (default 150 ms). */
	debounceMs?: number;
	/** Interval of the rescan when watching fails (default 2000 ms). */
	pollMs?: number;
	/** Never watch, only rescan (tests of the fallback; a runtime where watching misbehaves). */
	poll?: boolean;
	/**
	 * Called once, with the folders of the tree as the first look found them (the root, model folders,
	 * app folders): a caller that scanned the workspace earlier can tell whether it changed in between.
	 */
	onFirstLook?: (folders: readonly string[]) => void;
}

/** The files of an app folder that change what the workspace shows. */
const APP_FILES: ReadonlySet<string> = new Set([...COMPOSE_FILE_NAMES, ...COMPOSE_OVERRIDE_FILE_NAMES, APP_STATE_FILE]);

async function subfolders(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {withFileTypes: true}).catch(() => []);
	return entries.filter(e => e.isDirectory() && !e.name.startsWith('.')).map(e => e.name);
}

/**
 * What the workspace scan depends on in the apps root: the folders to watch and a signature of the
 * tree (model folders, app folders, the compose and state files of each). Cheap: one readdir per folder.
 */
export async function workspaceTree(root: string): Promise<{folders: string[]; signature: string}> {
	const folders = [root];
	const parts: string[] = [];
	for (const model of (await subfolders(root)).sort()) {
		const modelDir = path.join(root, model);
		folders.push(modelDir);
		parts.push(`${model}/`);
		for (const app of (await subfolders(modelDir)).sort()) {
			// Any other folder is skipped with a warning the workspace shows: part of the tree, not watched.
			if (appFolderNumber(app) === null) {
				parts.push(`${model}/${app}`);
				continue;
			}
			const appDir = path.join(modelDir, app);
			folders.push(appDir);
			const files = (await readdir(appDir).catch(() => [] as string[])).filter(name => APP_FILES.has(name)).sort();
			parts.push(`${model}/${app}:${files.join(',')}`);
		}
	}
	return {folders, signature: parts.join('\n')};
}

/**
 * Calls `onChange` (at most once per burst of changes) whenever the tree under `root` changes in a way
 * the workspace shows, until `signal` aborts. The first call is for the first change after the start:
 * the caller has already loaded the workspace.
 */
export function watchWorkspace(root: string, onChange: () => void, signal: AbortSignal, options: WorkspaceWatchOptions = {}): void {
	const debounceMs = options.debounceMs ?? 150;
	const pollMs = options.pollMs ?? 2000;
	const watchers = new Map<string, FSWatcher>();
	let signature: string | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let polling = options.poll === true;
	let looking = false;
	let again = false;

	const closeAll = () => {
		for (const watcher of watchers.values()) watcher.close();
		watchers.clear();
	};

	/** Watches each folder of the tree not watched yet and stops watching those gone; false when watching fails. */
	function follow(folders: readonly string[]): boolean {
		const wanted = new Set(folders);
		for (const [folder, watcher] of watchers) {
			if (wanted.has(folder)) continue;
			watcher.close();
			watchers.delete(folder);
		}
		for (const folder of folders) {
			if (watchers.has(folder)) continue;
			try {
				const watcher = fsWatch(folder, {persistent: false}, schedule);
				// A watched folder removed, or the watch broken: look again (that folder is then gone from the tree).
				watcher.on('error', () => {
					watcher.close();
					if (watchers.get(folder) === watcher) watchers.delete(folder);
					schedule();
				});
				watchers.set(folder, watcher);
			} catch {
				// No watch left, no fs.watch, or no root yet: the rescan takes over (and finds the root when it comes).
				return false;
			}
		}
		return true;
	}

	/** Looks at the tree (folders watched first, then read: no change can fall between the two). */
	async function look(): Promise<void> {
		if (looking) {
			again = true;
			return;
		}
		looking = true;
		try {
			do {
				again = false;
				const tree = await workspaceTree(root);
				if (signal.aborted) return;
				if (!polling && !follow(tree.folders)) {
					polling = true;
					closeAll();
				}
				// The folders may have changed between the read and the watch: read once more to be sure.
				const current = polling ? tree : await workspaceTree(root);
				if (signal.aborted) return;
				const first = signature === null;
				const changed = !first && current.signature !== signature;
				signature = current.signature;
				if (changed) onChange();
				if (first) options.onFirstLook?.(current.folders);
			} while (again && !signal.aborted);
		} finally {
			looking = false;
		}
	}

	function schedule(): void {
		if (signal.aborted) return;
		if (timer) clearTimeout(timer);
		timer = setTimeout(() => {
			timer = null;
			void look();
		}, debounceMs);
	}

	const interval = setInterval(() => {
		// The rescan runs only once watching has failed, or when the root's watch broke (root removed).
		if (polling || !watchers.has(root)) void look();
	}, pollMs);
	// Neither the rescan nor the watches keep the process alive: the UI does.
	(interval as {unref?: () => void}).unref?.();

	signal.addEventListener(
		'abort',
		() => {
			clearInterval(interval);
			if (timer) clearTimeout(timer);
			closeAll();
		},
		{once: true},
	);
	void look();
}
