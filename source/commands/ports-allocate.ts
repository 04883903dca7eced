import type {Command} from './command.ts';
import {appArgument} from './app-arg.ts';
import {openStore} from '../core/ports/store.ts';
import {getOrAllocate} from '../core/ports/service.ts';
import {appPath, formatAppRef, type AppRef} from '../core/ids.ts';
import {readAppState} from '../core/app-state.ts';
import {discoverWorkspace} from '../core/workspace/discover.ts';
import {parseSlotsOption} from './slots-option.ts';
import {BerthError} from '../core/errors.ts';
import {findAllocation} from '../core/ports/allocator.ts';
import {findComposeFile} from '../core/workspace/discover.ts';
import {findCompose} from '../core/compose/detect.ts';
import {fixedPortsBeyondSlots} from '../core/compose/adopt.ts';
import {resolveProjectName} from '../core/project-names.ts';
import {ENGINE_HELP, ENGINE_OPTION, engineOption} from './engine-option.ts';

const usage = 'ports allocate <model>/app<N> [--slot NAME=BASE[:STEP] ...] [--engine NAME|auto] [--json]';

const command: Command = {
	name: 'ports allocate',
	summary: 'Get or allocate the host ports of an app',
	usage,
	details: `Returns the app's allocation, or allocates the lowest free ports: one per slot, base + k*step,
free among the store's allocations on the app's engine, on this host (127.0.0.1 and wildcard
addresses; a local engine only) and among ports published by that engine's containers. Idempotent:
a second call returns the same ports. A port is unique per engine: apps on two engines may hold the
same number.

Options:
  --slot NAME=BASE[:STEP]   a port slot (repeatable); default backend=5001:2 and frontend=8001:2
${ENGINE_HELP}`,
	options: {slot: {type: 'string', multiple: true}, ...ENGINE_OPTION},
	positionals: {min: 1, max: 1},
	async run({positionals, values, storeFile, root, env, out, signal}) {
		const app = appArgument(positionals, usage);
		const slots = parseSlotsOption(values['slot'] as string[] | undefined);
		const engine = await engineOption({values, env, out});
		const dir = appPath(root, app);
		const store = openStore(storeFile, {signal});
		// The apps root's models and pinned names: the new project name must differ from theirs too.
		const {names} = await discoverWorkspace(root, null);
		const state = await readAppState(dir);
		if (!state && !findAllocation(await store.read(), app.model, app.number) && (await findComposeFile(dir))) {
			await refuseFixedPorts(
				app,
				dir,
				slots.map(s => s.name),
				resolveProjectName(app, {state: null}, [names]),
				env,
				signal,
			);
		}
		const {allocation, created} = await getOrAllocate(store, app, {appPath: dir, slots, names, state, ...(engine ? {engine} : {})});
		const result = {
			app: `${app.model}/app${app.number}`,
			model: app.model,
			number: app.number,
			projectName: allocation.projectName,
			ports: allocation.ports,
			engine: allocation.engine,
			created,
		};
		if (out.json) out.data(result);
		else {
			out.line(
				`${result.app} ${Object.entries(allocation.ports)
					.map(([slot, port]) => `${slot}=${port}`)
					.join(' ')} (project ${allocation.projectName}, engine ${allocation.engine})${created ? '' : out.paint('dim', ' — already allocated')}`,
			);
		}
		return 0;
	},
};

/**
 * A compose app berth did not scaffold that publishes fixed host ports: slots allocated for it would be
 * ports its compose file never uses (it keeps publishing its own). `berth adopt` is what it needs.
 */
async function refuseFixedPorts(app: AppRef, dir: string, slots: string[], projectName: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<void> {
	const id = formatAppRef(app);
	const fixed = await fixedPortsBeyondSlots({id, path: dir, projectName}, slots, {binary: await findCompose(env), env, signal});
	if (fixed.length === 0) return;
	const list = fixed.map(s => `${s.service} ${s.original.join(',')}:${s.target}/${s.protocols.join('+')}`).join(', ');
	throw new BerthError(
		`${id} is a compose app that publishes fixed host ports (${list}): ports allocated for it would be ports its compose file never uses. Run "berth adopt ${id}" instead: it gives each published port one of its own through berth's override, without editing the app's files.`,
		{code: 'adopt-instead'},
	);
}

export default command;
