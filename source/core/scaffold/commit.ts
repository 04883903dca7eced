import {APP_STATE_FILE, readAppState} from '../app-state.ts';
import {BerthError, errorMessage} from '../errors.ts';
import {formatAppRef} from '../ids.ts';
import {getOrAllocate, releaseAllocation} from '../ports/service.ts';
import {openStore} from '../ports/store.ts';
import type {PortProbe} from '../ports/probes.ts';
import {planScaffold, pluginSlots, type Plan} from './plan.ts';
import {AppWriter} from './write.ts';

export interface CommitResult {
	/** The plan that was committed (re-made when the allocation moved between plan and commit). */
	plan: Plan;
	/** Paths written (relative to the app folder), .berth.json included when it changed. */
	written: string[];
	/** Paths left as they were because they were identical. */
	unchanged: string[];
	/** Paths not written: conflicts without --force, an existing .env. */
	skipped: string[];
	/** `true` when this commit took the app's allocation in the store. */
	allocationCreated: boolean;
}

export interface CommitOptions {
	probe?: PortProbe;
	/** Ctrl-C / SIGTERM: checked before the allocation and between files; an abort undoes the commit. */
	signal?: AbortSignal;
}

function sameRecord(a: Record<string, number>, b: Record<string, number>): boolean {
	const keys = Object.keys(a);
	return keys.length === Object.keys(b).length && keys.every(k => a[k] === b[k]);
}

/** Lets a pending SIGINT/SIGTERM handler run (the writes are synchronous), then stops if it aborted. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
	if (!signal) return;
	if (!signal.aborted) await new Promise(resolve => setImmediate(resolve));
	if (signal.aborted) throw new BerthError('interrupted', {code: 'interrupted'});
}

/**
 * Commits a plan: takes the allocation (get-or-allocate under the store lock; when another process took
 * the previewed ports meanwhile, the plan is made again with the ports actually allocated), then writes
 * the files marked `write`, `.env` (mode 0600, only when absent) and `.berth.json` through an AppWriter
 * (nothing is written outside the app folder, even when it changes meanwhile). All or nothing: on any
 * failure or an abort, the files it made are removed, the files it replaced restored and an allocation
 * it took released, and the error says so.
 */
export async function commitPlan(plan: Plan, options: CommitOptions = {}): Promise<CommitResult> {
	const {signal} = options;
	if (signal?.aborted) throw new BerthError('interrupted before anything was written', {code: 'interrupted'});
	let allocationCreated = false;
	let writer: AppWriter | null = null;
	const store = openStore(plan.options.storeFile);
	try {
		const slots = pluginSlots(plan.options.plugin);
		if (!plan.allocated && slots.length > 0) {
			const probe = options.probe ?? plan.options.probe;
			const {allocation, created} = await getOrAllocate(store, plan.app, {
				appPath: plan.appDir,
				slots,
				names: plan.names,
				state: await readAppState(plan.appDir),
				...(plan.options.engine ? {engine: plan.options.engine} : {}),
				...(probe ? {probe} : {}),
			});
			allocationCreated = created;
			if (!sameRecord(allocation.ports, plan.ports) || allocation.projectName !== plan.projectName) {
				plan = await planScaffold(plan.options);
				if (!plan.allocated) throw new BerthError(`the allocation of ${formatAppRef(plan.app)} changed while scaffolding; run the command again`);
			}
		}
		await checkpoint(signal);
		const unchanged: string[] = [];
		const skipped: string[] = [];
		// Synchronous writes: a flavour is a few dozen small files, and the async API's thread-pool round
		// trip per call costs more than the write itself (bench/scaffold.ts: about 3x faster per app).
		writer = AppWriter.open(plan.options.root, plan.app.model, `app${plan.app.number}`);
		for (const file of plan.files) {
			if (!file.write) {
				(file.action === 'identical' ? unchanged : skipped).push(file.path);
				continue;
			}
			await checkpoint(signal);
			// `create` never replaces what appeared since the plan (.env above all); a conflict written
			// under --force (or untouched since berth wrote it) replaces the file.
			writer.writeFile(file.path, file.content, {mode: file.mode, replace: file.action !== 'create'});
		}
		if (plan.stateFile.action !== 'unchanged') {
			await checkpoint(signal);
			writer.writeFile(APP_STATE_FILE, new TextEncoder().encode(JSON.stringify(plan.state, null, '\t') + '\n'), {
				mode: null,
				replace: plan.stateFile.action === 'update',
			});
		}
		const written = [...writer.written];
		writer.finish();
		return {plan, written, unchanged, skipped, allocationCreated};
	} catch (error) {
		const left = writer?.rollback() ?? [];
		const undone: string[] = [];
		if (allocationCreated) {
			try {
				await releaseAllocation(store, plan.app);
				undone.push(`the allocation of ${formatAppRef(plan.app)} was released`);
			} catch (releaseError) {
				left.push(
					`the allocation of ${formatAppRef(plan.app)} in ${plan.options.storeFile} (${errorMessage(releaseError)}): release it with "berth ports release ${formatAppRef(plan.app)}"`,
				);
			}
		}
		const what = left.length > 0 ? ` Could not undo: ${left.join('; ')}.` : ` Nothing was left behind${undone.length > 0 ? `: ${undone.join(', ')}` : ''}.`;
		const failure = error instanceof BerthError ? error : new BerthError(errorMessage(error), {code: 'write-failed', cause: error});
		const reason = failure.code === 'interrupted' ? `${formatAppRef(plan.app)}: interrupted while scaffolding` : failure.message;
		failure.message = `${reason}${reason.endsWith('.') ? '' : '.'}${what}`;
		throw failure;
	}
}
