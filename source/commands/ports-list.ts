import type {Command} from './command.ts';
import {openStore} from '../core/ports/store.ts';
import {listAllocations} from '../core/ports/service.ts';
import {table} from './output.ts';

const command: Command = {
	name: 'ports list',
	summary: 'List every port allocation in the store',
	usage: 'ports list [--json]',
	async run({storeFile, out}) {
		const allocations = await listAllocations(openStore(storeFile));
		if (out.json) {
			out.data({store: storeFile, allocations: allocations.map(a => ({id: `${a.model}/app${a.app}`, ...a}))});
			return 0;
		}
		if (allocations.length === 0) {
			out.line(`No allocations in ${storeFile}.`);
			return 0;
		}
		const rows = [
			['APP', 'PORTS', 'PROJECT', 'ENGINE'],
			...allocations.map(a => [
				`${a.model}/app${a.app}`,
				Object.entries(a.ports)
					.map(([s, p]) => `${s}=${p}`)
					.join(' '),
				a.projectName,
				a.engine,
			]),
		];
		for (const line of table(rows)) out.line(line);
		return 0;
	},
};

export default command;
