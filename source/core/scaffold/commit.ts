import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {APP_STATE_FILE} from '../app-state.ts';
import {BerthError} from '../errors.ts';
import {getOrAllocate} from '../ports/service.ts';
import {openStore} from '../ports/store.ts';
import type {PortProbe} from '../ports/probes.ts';
import {planScaffold, pluginSlots, type Plan} from './plan.ts';

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

function sameRecord(a: Record<string, number>, b: Record<string, number>): boolean {
	const keys = Object.keys(a);
	return keys.length === Object.keys(b).length && keys.every(k => a[k] === b[k]);
}

/**
 * Commits a plan: takes the allocation (get-or-allocate under the store lock; when another process took
 * the previewed ports meanwhile, the plan is made again with the ports actually allocated), then writes
 * the files marked `write`, `.env` (mode 0600, only when absent) and `.berth.json`.
 */
export async function commitPlan(plan: Plan, options: {probe?: PortProbe} = {}): Promise<CommitResult> {
	let allocationCreated = false;
	const slots = pluginSlots(plan.options.plugin);
	if (!plan.allocated && slots.length > 0) {
		const probe = options.probe ?? plan.options.probe;
		const {allocation, created} = await getOrAllocate(openStore(plan.options.storeFile), plan.app, {appPath: plan.appDir, slots, ...(probe ? {probe} : {})});
		allocationCreated = created;
		if (!sameRecord(allocation.ports, plan.ports) || allocation.projectName !== plan.projectName) {
			plan = await planScaffold(plan.options);
			if (!plan.allocated) throw new BerthError(`the allocation of ${plan.app.model}/app${plan.app.number} changed while scaffolding; run the command again`);
		}
	}
	const written: string[] = [];
	const unchanged: string[] = [];
	const skipped: string[] = [];
	// Synchronous writes: a flavour is a few dozen small files, and the async API's thread-pool round
	// trip per call costs more than the write itself (bench/scaffold.ts: about 3x faster per app).
	const made = new Set<string>();
	const ensureDir = (dir: string) => {
		if (made.has(dir)) return;
		mkdirSync(dir, {recursive: true});
		made.add(dir);
	};
	ensureDir(plan.appDir);
	for (const file of plan.files) {
		if (!file.write) {
			(file.action === 'identical' ? unchanged : skipped).push(file.path);
			continue;
		}
		const target = path.join(plan.appDir, ...file.path.split('/'));
		ensureDir(path.dirname(target));
		if (file.path === '.env') {
			// 'wx': never replace a .env created since the plan; 0600 from the first byte, then chmod past the umask.
			writeFileSync(target, file.content, {mode: 0o600, flag: 'wx'});
			chmodSync(target, 0o600);
		} else {
			writeFileSync(target, file.content, file.mode === null ? {} : {mode: file.mode});
			if (file.mode !== null) chmodSync(target, file.mode);
		}
		written.push(file.path);
	}
	if (plan.stateFile.action !== 'unchanged') {
		writeFileSync(path.join(plan.appDir, APP_STATE_FILE), JSON.stringify(plan.state, null, '\t') + '\n');
		written.push(APP_STATE_FILE);
	}
	return {plan, written, unchanged, skipped, allocationCreated};
}
