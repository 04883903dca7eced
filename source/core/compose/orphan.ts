import {BerthError} from '../errors.ts';
import {EngineUnreachableError, isEngineUnreachable, listContainers} from '../docker/engine.ts';
import {PROJECT_LABEL, SERVICE_LABEL} from '../compose-labels.ts';
import type {ActionResult, ComposeTarget, DownOptions} from './types.ts';

/** The actions that still make sense for a project whose compose file is gone. */
export type OrphanAction = 'stop' | 'restart' | 'down';

function noComposeFile(target: ComposeTarget): BerthError {
	return new BerthError(
		`${target.id} has no compose file in ${target.path} (compose.yaml, docker-compose.yml, ...). Scaffold it with "berth new" or "berth backfill".`,
		{code: 'no-compose'},
	);
}

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Acts on a compose project whose compose file is gone, through the Engine by the label
 * com.docker.compose.project=<project> (compose v1 needs the file for everything; this works the same
 * with v2): stop or restart its containers, or remove them with the project's networks (and, with
 * `volumes`, its volumes). A project with nothing left is refused as "no compose file", as before.
 * The result's `note` says what was done.
 */
export async function actOnOrphanProject(
	target: ComposeTarget,
	action: OrphanAction,
	options: DownOptions,
	env: NodeJS.ProcessEnv,
): Promise<ActionResult & {note: string}> {
	const started = performance.now();
	const label = `${PROJECT_LABEL}=${target.projectName}`;
	const wanted = options.services?.length ? new Set(options.services) : null;
	const containers = (await listContainers({all: true, labels: [label]}, env)).filter(c => !wanted || wanted.has(c.labels[SERVICE_LABEL] ?? ''));
	const {execa} = await import('execa');
	const commands: string[][] = [];
	const docker = async (args: string[]): Promise<string[]> => {
		commands.push(['docker', ...args]);
		const run = await execa('docker', args, {reject: false, env, timeout: 120_000, stdin: 'ignore'});
		const lines = `${String(run.stdout)}\n${String(run.stderr)}`.split('\n').filter(line => line.trim());
		for (const text of lines) options.onLine?.({stream: 'stdout', text});
		if (run.failed) {
			const why = String(run.stderr).trim().split('\n').at(-1) || String(run.message ?? 'failed');
			if (isEngineUnreachable(why)) throw new EngineUnreachableError(why, run);
			throw new BerthError(`docker ${args[0]} of compose project ${target.projectName} failed: ${why}`, {code: 'compose', cause: run});
		}
		return String(run.stdout)
			.split('\n')
			.filter(line => line.trim());
	};
	const timeout = options.timeoutSeconds === undefined ? [] : ['-t', String(options.timeoutSeconds)];
	const ids = containers.map(c => c.id);
	const running = containers.filter(c => c.state === 'running' || c.state === 'restarting' || c.state === 'paused').map(c => c.id);
	const project = `compose project ${target.projectName}`;
	let done: string;
	if (action === 'stop') {
		if (ids.length === 0) throw noComposeFile(target);
		if (running.length) await docker(['stop', ...timeout, ...running]);
		done = `stopped ${plural(running.length, 'container')} of ${project}`;
	} else if (action === 'restart') {
		if (ids.length === 0) throw noComposeFile(target);
		await docker(['restart', ...timeout, ...ids]);
		done = `restarted ${plural(ids.length, 'container')} of ${project}`;
	} else {
		// With --service only those containers go; the networks and volumes are the whole project's.
		const networks = wanted ? [] : await docker(['network', 'ls', '--filter', `label=${label}`, '--format', '{{.Name}}']);
		const volumes = wanted || !options.volumes ? [] : await docker(['volume', 'ls', '-q', '--filter', `label=${label}`]);
		if (ids.length === 0 && networks.length === 0 && volumes.length === 0) throw noComposeFile(target);
		if (running.length) await docker(['stop', ...timeout, ...running]);
		if (ids.length) await docker(['rm', '-f', ...ids]);
		if (networks.length) await docker(['network', 'rm', ...networks]);
		if (volumes.length) await docker(['volume', 'rm', ...volumes]);
		const parts = [
			plural(ids.length, 'container'),
			...(networks.length ? [`${networks.length === 1 ? 'network' : 'networks'} ${networks.join(', ')}`] : []),
			...(volumes.length ? [`${volumes.length === 1 ? 'volume' : 'volumes'} ${volumes.join(', ')}`] : []),
		];
		done = `removed ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]} of ${project}`;
	}
	return {
		app: target.id,
		action,
		command: commands.flatMap((command, i) => (i === 0 ? command : ['&&', ...command])),
		exitCode: 0,
		durationMs: Math.round(performance.now() - started),
		note: `no compose file in ${target.path}: ${done} through the Docker Engine`,
	};
}
