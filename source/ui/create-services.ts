/**
 * Builds the real `BerthServices` from berth's core. This file is the UI's boundary: it may import
 * core I/O modules; components, hooks and screens get everything through the services context.
 */
import {BerthError, errorMessage} from '../core/errors.ts';
import {discoverWorkspace, type Workspace} from '../core/workspace/discover.ts';
import {openStore} from '../core/ports/store.ts';
import {listAllocations, releaseAllocation} from '../core/ports/service.ts';
import {checkPorts} from '../core/ports/check.ts';
import {loadRegistry} from '../core/plugins/registry.ts';
import type {BerthServices, FlavourChoice} from './services.ts';

export interface ServicesOptions {
	root: string;
	storeFile: string;
	pluginDirs: string[];
	env: NodeJS.ProcessEnv;
	cwd: string;
}

function unavailable(what: string): BerthError {
	return new BerthError(`${what} is not available in this build of berth yet; use the subcommands (berth --help)`, {code: 'unavailable'});
}

export async function createServices(options: ServicesOptions): Promise<BerthServices & {dispose(): void}> {
	const store = openStore(options.storeFile);
	let lastWorkspace: Workspace | null = null;

	const loadWorkspace = async () => {
		lastWorkspace = await discoverWorkspace(options.root, await store.read());
		return lastWorkspace;
	};

	return {
		root: options.root,
		loadWorkspace,
		async engineInfo() {
			return {reachable: false, composeVersion: null, problem: 'compose control is not wired yet'};
		},
		watchStates(_onStates, onError) {
			onError('live state is not available in this build of berth yet');
		},
		async runAction(action) {
			throw unavailable(`compose ${action}`);
		},
		followLogs() {
			throw unavailable('following logs');
		},
		listAllocations: () => listAllocations(store),
		async checkPorts() {
			return checkPorts(await store.read(), lastWorkspace ?? (await loadWorkspace()));
		},
		async releasePorts(app) {
			const removed = await releaseAllocation(store, app);
			if (!removed) throw new BerthError(`${app.model}/app${app.number} has no allocation in ${options.storeFile}`, {code: 'not-found'});
		},
		async listFlavours(): Promise<FlavourChoice[]> {
			const registry = await loadRegistry({pluginDirs: options.pluginDirs, cwd: options.cwd, env: options.env});
			return registry.usable().map(plugin => ({
				id: plugin.id,
				name: plugin.name,
				description: plugin.description,
				variables: plugin.manifest.variables
					.filter(v => !v.secret)
					.map(v => ({key: v.name, description: v.description ?? v.name, default: v.default === undefined ? null : String(v.default), required: v.default === undefined})),
			}));
		},
		async planApp() {
			throw unavailable('scaffolding a new app');
		},
		async createApp() {
			throw unavailable('scaffolding a new app');
		},
		async openUrl(url) {
			return `open ${url} in your browser (${errorMessage('no opener wired yet')})`;
		},
		dispose() {},
	};
}
