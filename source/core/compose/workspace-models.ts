import path from 'node:path';
import type {Workspace, WorkspaceApp} from '../workspace/discover.ts';
import {composeVersionFile, findCompose, findComposeRemembered, type ComposeBinary} from './detect.ts';
import type {AppModel} from './model.ts';
import {loadModels, modelCacheDir, sourceOf} from './model-load.ts';

/**
 * The compose models of every app of a workspace that has a compose file, as `ls`, `ports check` and
 * the TUI's port view read them: one loader, one cache, one way of turning what compose (or berth's
 * reader) said into warnings.
 */

export interface WorkspaceModels {
	/** Who read the files: "compose v2 2.26.1", or "berth's reader" when no compose is installed. */
	source: string;
	/** `false`: no compose is installed and berth read the files itself (say so once, not per app). */
	compose: boolean;
	/** By app id; apps without a compose file have none. */
	models: Map<string, AppModel>;
	/** Apps whose model was read now (not answered by the cache), of `apps`. */
	reread: number;
	apps: number;
	/** Every refusal and side remark, each naming its file. */
	warnings: ModelWarning[];
}

export interface ModelWarning {
	app: string;
	/** The file it is about (the app's first compose file when compose did not name one). */
	file: string;
	message: string;
}

export interface WorkspaceModelOptions {
	/** The port store: models are cached beside it. `null`: no cache. */
	storeFile: string | null;
	env?: NodeJS.ProcessEnv;
	signal?: AbortSignal;
	/**
	 * Use this compose instead of finding one; `null`: none (berth's reader). A promise lets a command ask
	 * for compose while it reads the store and the apps root (`docker compose version` costs 70-150 ms).
	 */
	binary?: ComposeBinary | null | Promise<ComposeBinary | null>;
	/** Use the workspace's `listings` (a scan made just now) instead of listing each app folder again. */
	scannedNow?: boolean;
}

/** What berth says once when it reads compose files itself. */
export const READER_NOTE =
	'no compose is installed (neither "docker compose" nor "docker-compose"): berth read the compose files itself, without compose\'s extends, include, profiles from the command line or its normalisation; install compose for the model compose would run';

/**
 * The warnings of one app's model, each naming its file: the refusal first, then the side remarks. A
 * message that names one of the app's files (the user's override, say) is about that one.
 */
export function modelWarnings(app: Pick<WorkspaceApp, 'id' | 'composeFile'>, model: AppModel): ModelWarning[] {
	const main = model.files[0] ?? app.composeFile ?? app.id;
	const files = model.files.length > 0 ? model.files : [main];
	return [...(model.error ? [model.error] : []), ...model.warnings].map(message => {
		const named = files.find(f => message.includes(f)) ?? files.find(f => message.includes(path.basename(f)));
		return {app: app.id, file: named ?? main, message: named ? message : `${main}: ${message}`};
	});
}

/**
 * Starts looking for compose now, for `loadWorkspaceModels` later: never rejects (no compose is `null`).
 * With the store, compose v2's version is the one remembered beside it (findComposeRemembered): running
 * `docker compose version` costs more than all the rest of a warm `ls`.
 */
export function findComposeEarly(env: NodeJS.ProcessEnv = process.env, storeFile?: string): Promise<ComposeBinary | null> {
	return (storeFile ? findComposeRemembered(env, composeVersionFile(storeFile)) : findCompose(env)).catch(() => null);
}

export async function loadWorkspaceModels(workspace: Workspace, options: WorkspaceModelOptions): Promise<WorkspaceModels> {
	const env = options.env ?? process.env;
	const apps = workspace.models.flatMap(model => model.apps.filter(app => app.hasCompose));
	// Finding compose costs a run of `docker compose version`: not for a workspace without compose files.
	const binary = options.binary !== undefined ? await options.binary : apps.length > 0 ? await findCompose(env) : null;
	const source = sourceOf(binary);
	const loaded = await loadModels(apps, {
		binary,
		env,
		cacheDir: options.storeFile ? modelCacheDir(options.storeFile) : null,
		...(options.signal ? {signal: options.signal} : {}),
		...(options.scannedNow && workspace.listings ? {listings: workspace.listings} : {}),
	});
	const warnings = apps.flatMap(app => {
		const model = loaded.models.get(app.id);
		return model ? modelWarnings(app, model) : [];
	});
	return {source, compose: binary !== null, models: loaded.models, reread: loaded.reread, apps: apps.length, warnings};
}
