import {BerthError, errorMessage} from '../errors.ts';
import {adoptApp, result, undoAdoption, type AdoptOptions, type AdoptResult, type AdoptTarget} from './adopt.ts';
import {appHazards, type Hazard} from './hazards.ts';

/**
 * One app's line of `berth adopt` (and of the TUI's adoption preview): what adopting (or undoing) it
 * did or would do, with what cannot be made safe. A refusal of this app (a `BerthError`: its files,
 * the store) is a `failed` report, so the other apps are still done; anything else is a bug and throws.
 */
export type AdoptReport = Omit<AdoptResult, 'model'> & {hazards: Hazard[]};

export async function adoptReport(app: AdoptTarget, options: AdoptOptions & {undo?: boolean}): Promise<AdoptReport> {
	try {
		const {model, ...rest} = options.undo ? await undoAdoption(app, options) : await adoptApp(app, options);
		return {...rest, hazards: model && !model.error ? appHazards(model, app.path) : []};
	} catch (error) {
		if (!(error instanceof BerthError)) throw error;
		return {...result(app, 'failed', errorMessage(error)), hazards: []};
	}
}
