import type {Command} from './command.ts';
import {openStore} from '../core/ports/store.ts';
import {discoverWorkspace} from '../core/workspace/discover.ts';
import {checkPorts} from '../core/ports/check.ts';

const command: Command = {
	name: 'ports check',
	summary: 'Find port conflicts (store, host, containers, compose files)',
	usage: 'ports check [--root DIR] [--json]',
	details: `Exit status 1 when there is a conflict: a port allocated twice in the store, an allocated port bound
by a process that is not the app's stack (named where the OS tells), an allocated port published by a
container of another compose project, compose files under the apps root publishing the same fixed
host port as another app or as an allocation, or two apps (of the store or the apps root) sharing one
compose project name.`,
	async run({storeFile, root, out}) {
		const doc = await openStore(storeFile).read();
		const workspace = await discoverWorkspace(root, doc);
		// Two apps under one compose project name are a conflict too: one's "up" replaces the other's containers.
		const conflicts = [...workspace.conflicts, ...(await checkPorts(doc, workspace))];
		if (out.json) out.data({store: storeFile, root, ok: conflicts.length === 0, conflicts});
		else if (conflicts.length === 0) out.line(`No port conflicts (${doc.allocations.length} allocations, apps root ${root}).`);
		else {
			for (const conflict of conflicts) out.line(`${out.paint('red', 'conflict')} ${conflict.message}`);
			out.line(`${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}.`);
		}
		return conflicts.length === 0 ? 0 : 1;
	},
};

export default command;
