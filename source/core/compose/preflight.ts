import {PortConflictError} from '../errors.ts';
import {describeHolder, isPortBound, publishedPorts} from '../ports/probes.ts';
import {PROJECT_LABEL} from './state.ts';
import type {ComposeTarget} from './types.ts';

export interface PreflightProbe {
	publishedPorts: typeof publishedPorts;
	isBound: typeof isPortBound;
	describe: typeof describeHolder;
}

const hostProbe: PreflightProbe = {publishedPorts, isBound: isPortBound, describe: describeHolder};

/**
 * Before `up`: every allocated host port of the app must be free, or published by this app's own
 * containers. Otherwise throws a PortConflictError naming each port and its holder (process name and
 * pid, or container and compose project), and nothing is started.
 */
export async function preflight(target: ComposeTarget, probe: PreflightProbe = hostProbe): Promise<void> {
	const ports = Object.entries(target.ports ?? {});
	if (ports.length === 0) return;
	const published = await probe.publishedPorts();
	const conflicts: {port: number; slot: string; holder: string}[] = [];
	for (const [slot, port] of ports) {
		const container = published.get(port);
		if (container) {
			if (container.labels[PROJECT_LABEL] === target.projectName) continue;
			conflicts.push({port, slot, holder: (await probe.describe(port, published)).description});
			continue;
		}
		if (await probe.isBound(port)) conflicts.push({port, slot, holder: (await probe.describe(port, published)).description});
	}
	if (conflicts.length === 0) return;
	const list = conflicts.map(c => `port ${c.port} (${c.slot}) is in use by ${c.holder}`).join('; ');
	throw new PortConflictError(
		`cannot start ${target.id}: ${list}. Nothing was started. Stop that program, or move the app to free ports ("berth ports release ${target.id}" then "berth ports allocate ${target.id}", and update its compose file).`,
		conflicts.map(({port, holder}) => ({port, holder})),
	);
}
