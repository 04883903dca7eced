import {BerthError, errorMessage} from '../errors.ts';
import {adoptApp, result, undoAdoption, type AdoptOptions, type AdoptResult, type AdoptTarget} from './adopt.ts';
import {appHazards, remoteMountWarnings, type Hazard} from './hazards.ts';
import {currentContextName, isLocalEndpoint, resolveEngine} from '../docker/contexts.ts';
import {findAllocation} from '../ports/allocator.ts';
import {openStore} from '../ports/store.ts';
import type {AppModel} from './model.ts';

/**
 * One app's line of `berth adopt` (and of the TUI's adoption preview): what adopting (or undoing) it
 * did or would do, with what cannot be made safe. A refusal of this app (a `BerthError`: its files,
 * the store) is a `failed` report, so the other apps are still done; anything else is a bug and throws.
 */
export type AdoptReport = Omit<AdoptResult, 'model'> & {
	hazards: Hazard[];
	/** Bind mounts of an app placed on a remote engine, which that machine will not see (hazards.ts remoteMountWarnings). */
	warnings?: string[];
};

export async function adoptReport(app: AdoptTarget, options: AdoptOptions & {undo?: boolean}): Promise<AdoptReport> {
	try {
		const {model, ...rest} = options.undo ? await undoAdoption(app, options) : await adoptApp(app, options);
		const readable = model && !model.error ? model : null;
		return {...rest, hazards: readable ? appHazards(readable, app.path) : [], warnings: readable ? await remoteWarnings(app, readable, options) : []};
	} catch (error) {
		if (!(error instanceof BerthError)) throw error;
		return {...result(app, 'failed', errorMessage(error)), hazards: [], warnings: []};
	}
}

/** The bind mounts a remote engine will not see, for an app placed (or being placed) on one. */
async function remoteWarnings(app: AdoptTarget, model: AppModel, options: AdoptOptions): Promise<string[]> {
	const placed = findAllocation(await openStore(options.storeFile).read(), app.model, app.number)?.engine;
	const name = placed ?? options.engine ?? currentContextName(options.env);
	try {
		const context = resolveEngine(name, options.env);
		return isLocalEndpoint(context.endpoint) ? [] : remoteMountWarnings(model, app, context);
	} catch {
		return []; // a context removed since: up names it
	}
}
