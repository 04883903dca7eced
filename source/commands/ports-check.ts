import type {Command} from './command.ts';
import {openStore} from '../core/ports/store.ts';
import {discoverWorkspace} from '../core/workspace/discover.ts';
import {checkPortsReport} from '../core/ports/check.ts';

const command: Command = {
	name: 'ports check',
	summary: 'Find port conflicts (store, host, containers, compose files)',
	usage: 'ports check [--root DIR] [--json]',
	details: `Exit status 1 when there is a conflict: a port allocated twice in the store, an allocated port bound
by a process that is not the app's stack (named where the OS tells), an allocated port published by a
container of another compose project, compose files under the apps root publishing the same fixed
host port as another app or as an allocation, or two apps (of the store or the apps root) sharing one
compose project name. Exit status 1 as well when the check is incomplete: the Docker Engine is
unreachable and an allocated port is held by its docker-proxy (or a process the OS does not name),
which only the Engine can tell from a stranger. Compose files (or port entries) berth cannot read are
warnings naming the file.`,
	async run({storeFile, root, out}) {
		const doc = await openStore(storeFile).read();
		const workspace = await discoverWorkspace(root, doc);
		const report = await checkPortsReport(doc, workspace);
		const {warnings, engine, complete} = report;
		// Two apps under one compose project name are a conflict too: one's "up" replaces the other's containers.
		const conflicts = [...workspace.conflicts, ...report.conflicts];
		const ok = conflicts.length === 0 && complete;
		if (out.json) {
			out.data({store: storeFile, root, ok, complete, engine, conflicts, warnings});
			return ok ? 0 : 1;
		}
		for (const warning of warnings) out.warn(warning.message);
		for (const conflict of conflicts) out.line(`${out.paint('red', 'conflict')} ${conflict.message}`);
		if (conflicts.length > 0)
			out.line(`${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}${complete ? '' : '; the check is incomplete (see the warnings)'}.`);
		else if (!complete) out.line('No port conflicts found, but the check is incomplete: the Docker Engine is not reachable (see the warnings).');
		else out.line(`No port conflicts (${doc.allocations.length} allocations, apps root ${root}).`);
		return ok ? 0 : 1;
	},
};

export default command;
