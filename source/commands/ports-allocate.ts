import type {Command} from './command.ts';
import {appArgument} from './app-arg.ts';
import {openStore} from '../core/ports/store.ts';
import {getOrAllocate} from '../core/ports/service.ts';
import {appPath} from '../core/ids.ts';
import {readAppState} from '../core/app-state.ts';
import {discoverWorkspace} from '../core/workspace/discover.ts';
import {parseSlotsOption} from './slots-option.ts';

const usage = 'ports allocate <model>/app<N> [--slot NAME=BASE[:STEP] ...] [--json]';

const command: Command = {
	name: 'ports allocate',
	summary: 'Get or allocate the host ports of an app',
	usage,
	details: `Returns the app's allocation, or allocates the lowest free ports: one per slot, base + k*step,
free in the store, on this host (127.0.0.1 and wildcard addresses) and among ports published by
containers. Idempotent: a second call returns the same ports.

Options:
  --slot NAME=BASE[:STEP]   a port slot (repeatable); default backend=5001:2 and frontend=8001:2`,
	options: {slot: {type: 'string', multiple: true}},
	positionals: {min: 1, max: 1},
	async run({positionals, values, storeFile, root, out, signal}) {
		const app = appArgument(positionals, usage);
		const slots = parseSlotsOption(values['slot'] as string[] | undefined);
		const dir = appPath(root, app);
		// The apps root's models and pinned names: the new project name must differ from theirs too.
		const {names} = await discoverWorkspace(root, null);
		const {allocation, created} = await getOrAllocate(openStore(storeFile, {signal}), app, {appPath: dir, slots, names, state: await readAppState(dir)});
		const result = {
			app: `${app.model}/app${app.number}`,
			model: app.model,
			number: app.number,
			projectName: allocation.projectName,
			ports: allocation.ports,
			created,
		};
		if (out.json) out.data(result);
		else {
			out.line(
				`${result.app} ${Object.entries(allocation.ports)
					.map(([slot, port]) => `${slot}=${port}`)
					.join(' ')} (project ${allocation.projectName})${created ? '' : out.paint('dim', ' — already allocated')}`,
			);
		}
		return 0;
	},
};

export default command;
