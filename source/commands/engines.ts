import type {Command} from './command.ts';
import {openStore} from '../core/ports/store.ts';
import {discoverWorkspace} from '../core/workspace/discover.ts';
import {contextEnv, engineFacts, listEngineContexts, type EngineContext, type EngineFacts} from '../core/docker/contexts.ts';
import {listContainers} from '../core/docker/engine.ts';
import {PROJECT_LABEL} from '../core/compose-labels.ts';
import {table} from './output.ts';

const usage = 'engines [--json]';

interface EngineRow extends EngineContext {
	facts: EngineFacts;
	/** berth apps placed on this engine (their allocation names it; an app placed nowhere is on the current context), by id. */
	placed: string[];
	/** berth apps with a running container on this engine, by id. */
	running: string[];
}

/** "23.5 GiB" */
function formatBytes(bytes: number): string {
	if (bytes <= 0) return '-';
	const gib = bytes / 1024 ** 3;
	return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** The berth apps (by compose project name) that have a running container on the engine of `env`. */
async function runningApps(env: NodeJS.ProcessEnv, apps: ReadonlyMap<string, string>): Promise<string[]> {
	const containers = await listContainers({labels: [PROJECT_LABEL]}, env);
	const ids = new Set<string>();
	for (const c of containers) {
		const app = apps.get(c.labels[PROJECT_LABEL] ?? '');
		if (app && c.state === 'running') ids.add(app);
	}
	return [...ids].sort();
}

const engines: Command = {
	name: 'engines',
	summary: 'List the Docker engines berth can use (every Docker context), with their state and berth apps',
	usage,
	details: `Every Docker context is an engine (docker context ls; unix, tcp, tcp+TLS and ssh endpoints);
the current context (or DOCKER_HOST) is the default, marked *. Add one with
"docker context create NAME --docker host=tcp://HOST:2375" (or ssh://user@host); berth keeps no host
list of its own. Each engine is asked for its version, API version, CPUs and memory (5 s at most), and
for the berth apps running on it; the apps placed on it are those whose allocation names it (an app
placed nowhere yet counts for the current context).

Options:
  --json   one document: {engines: [{name, endpoint, current, tls, reachable, version, apiVersion, cpus,
           memoryBytes, containersRunning, placed: [app ids], running: [app ids], problem}]}`,
	positionals: {min: 0, max: 0},
	async run({root, storeFile, out, env}) {
		const contexts = listEngineContexts(env);
		const store = await openStore(storeFile).read();
		const workspace = await discoverWorkspace(root, store);
		const byProject = new Map<string, string>();
		const apps = workspace.models.flatMap(m => m.apps);
		for (const app of apps) byProject.set(app.projectName, app.id);
		const current = contexts.find(c => c.current)?.name ?? 'default';
		const placedOn = (name: string) => apps.filter(app => (app.engine ?? current) === name).map(app => app.id);
		const rows: EngineRow[] = await Promise.all(
			contexts.map(async context => {
				const engineEnv = contextEnv(context.name, env);
				const facts = await engineFacts(engineEnv);
				const running = facts.reachable ? await runningApps(engineEnv, byProject).catch(() => []) : [];
				return {...context, facts, placed: placedOn(context.name), running};
			}),
		);
		if (out.json) {
			out.data({
				engines: rows.map(({facts, ...row}) => ({
					...row,
					reachable: facts.reachable,
					...(facts.reachable
						? {
								version: facts.version,
								apiVersion: facts.apiVersion,
								cpus: facts.cpus,
								memoryBytes: facts.memoryBytes,
								containersRunning: facts.containersRunning,
							}
						: {problem: facts.problem}),
				})),
			});
			return 0;
		}
		const lines = [['ENGINE', 'ENDPOINT', 'STATE', 'VERSION', 'API', 'CPUS', 'MEMORY', 'APPS PLACED', 'RUNNING']];
		for (const row of rows) {
			const f = row.facts;
			lines.push([
				`${row.current ? '*' : ' '} ${row.name}`,
				`${row.endpoint}${row.tls ? ' (TLS)' : ''}`,
				f.reachable ? 'reachable' : 'unreachable',
				f.reachable ? f.version : '-',
				f.reachable ? f.apiVersion || '-' : '-',
				f.reachable ? String(f.cpus) : '-',
				f.reachable ? formatBytes(f.memoryBytes) : '-',
				String(row.placed.length),
				f.reachable ? String(row.running.length) : '-',
			]);
		}
		for (const line of table(lines)) out.line(line);
		for (const row of rows) if (!row.facts.reachable) out.warn(`${row.name} (${row.endpoint}): ${row.facts.problem}`);
		return 0;
	},
};

export default engines;
