import {BerthError} from '../errors.ts';
import type {Protocol} from '../workspace/compose-ports.ts';
import {MAX_PORT, MIN_PORT} from './allocator.ts';
import {isPortBound, isPortBoundOn} from './probes.ts';

/**
 * Free ports for named slots that are not a flavour's `base + k*step` series: the ports `berth adopt`
 * gives the published ports of a compose app. A port is free when it is in no allocation of the store,
 * not published by a container and not bound on this host for the protocols and addresses it will be
 * published on — the same three questions `findFreePorts` (service.ts) asks of a flavour's slots.
 */

/** Where adopted ports come from unless `--range` says otherwise: below Linux's ephemeral ports (32768+). */
export const ADOPT_RANGE: PortRange = {from: 20_000, to: 29_999};

export interface PortRange {
	from: number;
	to: number;
}

/** What a wanted port will be published as: each protocol on each host address (`null`: all addresses). */
export interface PortUse {
	protocols: readonly Protocol[];
	hostIps: readonly (string | null)[];
}

export interface FreePortProbe {
	/** Could a stack not publish `port` for `use` now (something on this host holds it)? */
	isBound(port: number, use: PortUse): Promise<boolean>;
}

/** TCP on 127.0.0.1 and the wildcards always (a later `--range` change must not land on a held port), plus each address and protocol of the use. */
export const hostFreePortProbe: FreePortProbe = {
	async isBound(port, use) {
		if (use.protocols.includes('tcp') && (await isPortBound(port))) return true;
		for (const protocol of use.protocols) {
			for (const hostIp of use.hostIps) if (await isPortBoundOn(port, hostIp, protocol)) return true;
		}
		return false;
	},
};

/** Parses `FROM-TO` (both in 1024..65535, FROM <= TO); a reason string when it is not one. */
export function parsePortRange(text: string): PortRange | string {
	const match = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
	if (!match) return `${JSON.stringify(text)} is not FROM-TO, e.g. 20000-29999`;
	const from = Number(match[1]);
	const to = Number(match[2]);
	if (from < MIN_PORT || to > MAX_PORT || from > to) return `${text}: give FROM <= TO within ${MIN_PORT}..${MAX_PORT}`;
	return {from, to};
}

/**
 * One free port per wanted use, lowest first in `range`, never one in `taken` or `published` and never
 * the same port twice. `taken` is the store's ports (the caller holds the store's lock).
 */
export async function findFreeNamedPorts(
	wanted: readonly {name: string; use: PortUse}[],
	taken: ReadonlySet<number>,
	published: ReadonlyMap<number, unknown>,
	probe: FreePortProbe,
	range: PortRange = ADOPT_RANGE,
): Promise<Map<string, number>> {
	const result = new Map<string, number>();
	const given = new Set<number>();
	let next = range.from;
	for (const {name, use} of wanted) {
		let found: number | null = null;
		for (let port = next; port <= range.to; port++) {
			if (taken.has(port) || given.has(port) || published.has(port)) continue;
			if (await probe.isBound(port, use)) continue;
			found = port;
			break;
		}
		if (found === null) {
			throw new BerthError(
				`no free port left in ${range.from}-${range.to} for ${name}: every port there is allocated, bound on this host or published by a container. Release unused apps with "berth ports release", or pass another --range FROM-TO.`,
				{code: 'ports-exhausted'},
			);
		}
		given.add(found);
		result.set(name, found);
		next = found + 1;
	}
	return result;
}
