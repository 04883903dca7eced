import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {appFolderNumber, parseModelId} from '../ids.ts';
import {openStore} from '../ports/store.ts';

export {planScaffold, previewAllocation, safeRelativePath, UnsafePathError, type Plan, type PlannedFile, type PlanOptions, type FileAction} from './plan.ts';
export {commitPlan, type CommitResult} from './commit.ts';
export {parseSetOptions, resolveAnswers} from './answers.ts';
export {TemplateError} from './templates.ts';
export {backfillApps, batchProbe, type BackfillAppResult, type BackfillOptions} from './backfill.ts';

/**
 * The next free app number of a model: one more than the highest `app<N>` folder under
 * `<root>/<model>` and the highest allocation of the model in the store (1 for a new model).
 */
export async function nextAppNumber(root: string, model: string, storeFile?: string): Promise<number> {
	parseModelId(model);
	let highest = 0;
	try {
		for (const entry of await readdir(path.join(root, model), {withFileTypes: true})) {
			// A symlinked app<N> takes its number too: planning into it is refused, so skip past it.
			const n = entry.isDirectory() || entry.isSymbolicLink() ? appFolderNumber(entry.name) : null;
			if (n !== null && n > highest) highest = n;
		}
	} catch {
		// no model folder yet
	}
	if (storeFile) {
		const doc = await openStore(storeFile).read();
		for (const allocation of doc.allocations) if (allocation.model === model && allocation.app > highest) highest = allocation.app;
	}
	return highest + 1;
}
