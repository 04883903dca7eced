import {access} from 'node:fs/promises';
import {BerthError} from '../errors.ts';
import {appPath, formatAppRef, projectName, type AppRef} from '../ids.ts';
import {readAppState} from '../app-state.ts';
import {findAllocation} from '../ports/allocator.ts';
import {openStore} from '../ports/store.ts';
import {findComposeFile} from '../workspace/discover.ts';
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
 * allocation names), the project name and ports from the store allocation (else the app state file,
 * else derived), and the compose file found in the folder.
 */
export async function resolveTarget(root: string, storeFile: string, app: AppRef): Promise<ComposeTarget> {
	const id = formatAppRef(app);
	const allocation = findAllocation(await openStore(storeFile).read(), app.model, app.number);
	let dir = appPath(root, app);
	if (!(await isDir(dir))) {
		if (allocation && (await isDir(allocation.appPath))) dir = allocation.appPath;
		else throw new BerthError(`${id} has no folder ${dir}. Create it with "berth new", or pass the right --root.`, {code: 'no-app'});
	}
	const state = await readAppState(dir);
	return {
		id,
		projectName: allocation?.projectName ?? state?.projectName ?? projectName(app),
		path: dir,
		composeFile: await findComposeFile(dir),
		ports: allocation?.ports ?? state?.ports ?? null,
	};
}
