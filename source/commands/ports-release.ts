import type {Command} from './command.ts';
import {appArgument} from './app-arg.ts';
import {openStore} from '../core/ports/store.ts';
import {releaseAllocation} from '../core/ports/service.ts';
import {removeOverride} from '../core/compose/adopt.ts';

const usage = 'ports release <model>/app<N> [--json]';

const command: Command = {
	name: 'ports release',
	summary: "Release an app's ports",
	usage,
	details:
		'Removes the allocation from the store; the freed ports are the first offered to the next allocation.\nFor an adopted app ("berth adopt"), berth\'s override goes too.\nExit status 1 when the app had no allocation.',
	positionals: {min: 1, max: 1},
	async run({positionals, storeFile, out, signal}) {
		const app = appArgument(positionals, usage);
		const removed = await releaseAllocation(openStore(storeFile, {signal}), app);
		const id = `${app.model}/app${app.number}`;
		// An adopted app's override names the released ports: it goes with them (the app runs as its files say).
		if (removed?.adoption) await removeOverride(removed.adoption.override);
		if (out.json) out.data({app: id, released: removed !== null, ports: removed?.ports ?? null});
		if (!removed) {
			out.error(`${id} has no allocation in ${storeFile}; nothing released.`);
			return 1;
		}
		out.line(
			`released ${id}: ${Object.entries(removed.ports)
				.map(([s, p]) => `${s}=${p}`)
				.join(' ')}`,
		);
		return 0;
	},
};

export default command;
