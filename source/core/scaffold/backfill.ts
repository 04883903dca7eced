import {readAppState} from '../app-state.ts';
import {errorMessage} from '../errors.ts';
import {discoverWorkspace} from '../workspace/discover.ts';
import {hostProbe, type PortProbe} from '../ports/probes.ts';
import type {Registry} from '../plugins/registry.ts';
import {commitPlan} from './commit.ts';
import {planScaffold, type Plan} from './plan.ts';

export interface BackfillOptions {
	root: string;
	storeFile: string;
	registry: Registry;
	/** Only the apps of this model. */
	model?: string;
	/** The flavour of apps that have no .berth.json yet; apps scaffolded with another flavour are skipped. */
	flavour?: string;
	force?: boolean;
	dryRun?: boolean;
	probe?: PortProbe;
	/** Told about folders of the apps root that are not taken as apps (symlinks, names that are not app<N>). */
	onWarning?: (message: string) => void;
}

export interface BackfillAppResult {
	app: string;
	dir: string;
	flavour: string | null;
	/** changed: files written; unchanged: nothing to do; would-change: dry run; skipped: app left alone; failed: error. */
	status: 'changed' | 'unchanged' | 'would-change' | 'skipped' | 'failed';
	/** Files written (or, in a dry run, that would be written). */
	added: string[];
	/** Files not written, with the reason (conflicts without --force, an existing .env). */
	kept: {path: string; reason: string}[];
	/** Why the app was skipped or failed. */
	reason?: string;
	/** e.g. keys missing from an existing .env */
	warnings?: string[];
	plan?: Plan;
}

/**
 * A probe that asks the engine for published ports once per batch: 500 apps must not mean 500
 * container listings (the ports of running containers do not change during a backfill).
 */
export function batchProbe(probe: PortProbe = hostProbe): PortProbe {
	let published: ReturnType<PortProbe['publishedPorts']> | undefined;
	return {isBound: port => probe.isBound(port), publishedPorts: () => (published ??= probe.publishedPorts())};
}

/**
 * Adds a flavour's Docker files (plus .env.example, .env when absent, .berth.json) to existing app
 * folders without touching any other file. Each app is planned and committed on its own; one app's
 * failure is reported and does not stop the others.
 */
export async function backfillApps(options: BackfillOptions): Promise<BackfillAppResult[]> {
	const workspace = await discoverWorkspace(options.root, null);
	// Folders the scan could not take as apps (symlinks, bad names) are said, not silently passed over.
	for (const warning of workspace.warnings) options.onWarning?.(warning);
	const probe = batchProbe(options.probe);
	const results: BackfillAppResult[] = [];
	for (const model of workspace.models) {
		if (options.model && model.id !== options.model) continue;
		for (const app of model.apps) {
			const base = {app: app.id, dir: app.path, added: [] as string[], kept: [] as {path: string; reason: string}[]};
			const state = await readAppState(app.path);
			const stateFlavour = state?.flavour.id ?? null;
			if (stateFlavour && options.flavour && stateFlavour !== options.flavour) {
				results.push({...base, flavour: stateFlavour, status: 'skipped', reason: `scaffolded with flavour ${stateFlavour}, not ${options.flavour}`});
				continue;
			}
			const flavour = stateFlavour ?? options.flavour ?? null;
			if (!flavour) {
				results.push({...base, flavour: null, status: 'skipped', reason: 'no .berth.json and no --flavour: berth does not know which flavour to add'});
				continue;
			}
			try {
				const plugin = options.registry.get(flavour);
				const plan = await planScaffold({
					root: options.root,
					storeFile: options.storeFile,
					app: {model: model.id, number: app.number},
					plugin,
					force: options.force === true,
					mode: 'backfill',
					probe,
					names: workspace.names,
				});
				const warnings = plan.warnings.length > 0 ? {warnings: plan.warnings} : {};
				const kept = plan.files.filter(f => !f.write && f.action !== 'identical').map(f => ({path: f.path, reason: f.reason ?? f.action}));
				if (!plan.changes) {
					results.push({...base, flavour, status: 'unchanged', kept, plan, ...warnings});
				} else if (options.dryRun) {
					const added = plan.files.filter(f => f.write).map(f => f.path);
					if (plan.stateFile.action !== 'unchanged') added.push(plan.stateFile.path);
					results.push({...base, flavour, status: 'would-change', added, kept, plan, ...warnings});
				} else {
					const result = await commitPlan(plan, {probe});
					results.push({...base, flavour, status: 'changed', added: result.written, kept, plan: result.plan, ...warnings});
				}
			} catch (error) {
				results.push({...base, flavour, status: 'failed', reason: errorMessage(error)});
			}
		}
	}
	return results;
}
