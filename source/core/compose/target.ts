import {access} from 'node:fs/promises';
import {BerthError} from '../errors.ts';
import {appPath, formatAppRef, type AppRef} from '../ids.ts';
import {pinnedProjectName, resolveProjectName} from '../project-names.ts';
import {readAppState} from '../app-state.ts';
import {findAllocation} from '../ports/allocator.ts';
import {openStore} from '../ports/store.ts';
import {discoverWorkspace, findComposeFile} from '../workspace/discover.ts';
import type {ComposeTarget} from './types.ts';

async function isDir(dir: string): Promise<boolean> {
	try {
		await access(dir);
		return true;
	} catch {
		return false;
	}
}

/**
 * The compose target of `<model>/app<N>` for the CLI: the app folder under `root` (or the folder its
 * allocation names), the project name (the one rule of project-names.ts, as `ls` and `ps` show it),
 * the ports from the store allocation (else the app state file), and the compose file in the folder.
 */
export async function resolveTarget(root: string, storeFile: string, app: AppRef): Promise<ComposeTarget> {
	const id = formatAppRef(app);
	const doc = await openStore(storeFile).read();
	const allocation = findAllocation(doc, app.model, app.number);
	let dir = appPath(root, app);
	if (!(await isDir(dir))) {
		if (allocation && (await isDir(allocation.appPath))) dir = allocation.appPath;
		else throw new BerthError(`${id} has no folder ${dir}. Create it with "berth new", or pass the right --root.`, {code: 'no-app'});
	}
	const state = await readAppState(dir);
	const pins = {allocation, state};
	// Only a name not pinned depends on the other apps: the apps root is scanned for it alone.
	const names = pinnedProjectName(pins) === null ? [(await discoverWorkspace(root, doc)).names] : [];
	return {
		id,
		projectName: resolveProjectName(app, pins, names),
		path: dir,
		composeFile: await findComposeFile(dir),
		ports: allocation?.ports ?? state?.ports ?? null,
		berthOverride: allocation?.adoption?.override ?? null,
		engine: allocation?.engine ?? null,
	};
}
