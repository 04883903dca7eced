import type {Command} from './command.ts';
import {BerthError} from '../core/errors.ts';
import {openStore} from '../core/ports/store.ts';
import {discoverWorkspace} from '../core/workspace/discover.ts';
import {checkFleetPorts} from '../core/compose/fleet-ports.ts';
import {findComposeEarly, READER_NOTE} from '../core/compose/workspace-models.ts';

const command: Command = {
	name: 'ports check',
	summary: 'Find port conflicts (store, host, containers, compose files)',
	usage: 'ports check [--root DIR] [--json]',
	details: `Exit status 1 when there is a conflict: a port allocated twice in the store, an allocated port bound
by a process that is not the app's stack (named where the OS tells), an allocated port published by a
container of another compose project, two apps whose compose models publish the same host port with
the same protocol on overlapping addresses (no host IP means every address; 127.0.0.1 and 127.0.0.2
do not overlap, nor do tcp and udp), an app publishing a port allocated to another app, or two apps
(of the store or the apps root) sharing one compose project name. Exit status 1 as well when the
check is incomplete: the Docker Engine is unreachable and an allocated port is held by its
docker-proxy (or a process the OS does not name), which only the Engine can tell from a stranger.
The compose model is what compose itself reads (.env, the user's override, profiles in
COMPOSE_PROFILES, berth's override of an adopted app). Compose files compose refuses, services on
the host network and host port ranges are warnings naming the app and file, never conflicts.`,
	async run({storeFile, root, out, signal, env}) {
		// Asked while the store and the apps root are read (see ls).
		const binary = findComposeEarly(env, storeFile);
		const doc = await openStore(storeFile).read();
		const workspace = await discoverWorkspace(root, doc);
		const report = await checkFleetPorts(doc, workspace, {storeFile, signal, env, binary});
		if (signal.aborted) throw new BerthError('ports check was interrupted while compose read the apps', {code: 'interrupted'});
		const {engine, complete} = report;
		const warnings = [...(report.composeInstalled || report.compose.apps === 0 ? [] : [{kind: 'compose-file', message: READER_NOTE}]), ...report.warnings];
		// Two apps under one compose project name are a conflict too: one's "up" replaces the other's containers.
		const conflicts = [...workspace.conflicts, ...report.conflicts];
		const ok = conflicts.length === 0 && complete;
		if (out.json) {
			out.data({store: storeFile, root, ok, complete, engine, conflicts, warnings, compose: report.compose});
			return ok ? 0 : 1;
		}
		for (const warning of warnings) out.warn(warning.message);
		for (const conflict of conflicts) out.line(`${out.paint('red', 'conflict')} ${conflict.message}`);
		if (conflicts.length > 0)
			out.line(`${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}${complete ? '' : '; the check is incomplete (see the warnings)'}.`);
		else if (!complete) out.line('No port conflicts found, but the check is incomplete: the Docker Engine is not reachable (see the warnings).');
		else out.line(`No port conflicts (${doc.allocations.length} allocations, apps root ${root}).`);
		if (report.compose.apps > 0)
			out.line(out.paint('dim', `compose: re-read ${report.compose.reread} of ${report.compose.apps} apps (${report.compose.source})`));
		return ok ? 0 : 1;
	},
};

export default command;
