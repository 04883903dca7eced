import type {ContainerSummary, ListOptions, PublishedPort} from './containers.ts';
import {EngineUnreachableError} from './unreachable.ts';

/**
 * Parses the docker CLI's `Ports` column, e.g. "127.0.0.1:5001->80/tcp, :::8001->80/tcp" (docker 20.10)
 * or "[::]:8001->80/tcp" (newer CLIs). Ports that are exposed but not published ("80/tcp") are left out;
 * a published range ("0.0.0.0:5000-5001->5000-5001/tcp") is one entry per port.
 */
export function parsePortsColumn(text: string): PublishedPort[] {
	const ports: PublishedPort[] = [];
	for (const part of text.split(',')) {
		const match = /^\s*(.*):(\d+)(?:-(\d+))?->(\d+)(?:-\d+)?\/(\w+)\s*$/.exec(part);
		if (!match) continue;
		const hostIp = match[1]!.replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
		const first = Number(match[2]);
		const last = match[3] === undefined ? first : Number(match[3]);
		for (let offset = 0; offset <= last - first; offset++) {
			ports.push({hostIp, hostPort: first + offset, containerPort: Number(match[4]) + offset, protocol: match[5]!});
		}
	}
	return ports;
}

/**
 * Parses the docker CLI's `Labels` column ("a=1,b=2"). The CLI joins labels with commas without
 * escaping, and compose writes values that hold commas (`config_files=/a.yml,/b.yml`): a piece with no
 * `=` continues the value before it.
 */
export function parseLabelsColumn(text: string): Record<string, string> {
	const labels: Record<string, string> = {};
	let last: string | null = null;
	for (const piece of text ? text.split(',') : []) {
		const eq = piece.indexOf('=');
		if (eq > 0) {
			last = piece.slice(0, eq);
			labels[last] = piece.slice(eq + 1);
		} else if (last !== null) {
			labels[last] += `,${piece}`;
		}
	}
	return labels;
}

/** Parses the CLI's `CreatedAt` ("2026-01-02 15:04:05 +0100 CET", Go's format) to ms since the epoch; 0 when unreadable. */
export function parseCliTime(text: string): number {
	const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.\d+)? ([+-]\d\d)(\d\d)\b/.exec(text);
	if (!match) return 0;
	// The zone abbreviation (CET, UTC) is ambiguous; the numeric offset is not.
	const ms = Date.parse(`${match[1]}T${match[2]}${match[3]}:${match[4]}`);
	return Number.isNaN(ms) ? 0 : ms;
}

/** One line of `docker ps --format '{{json .}}'` as a ContainerSummary, like the Engine API's list gives it. */
export function parseCliContainer(line: string): ContainerSummary {
	const c = JSON.parse(line) as Record<string, string | null>;
	return {
		id: c['ID'] ?? '',
		// Legacy links add "other/alias" names after the container's own one.
		name: (c['Names'] ?? '').split(',')[0]!,
		image: c['Image'] ?? '',
		state: c['State'] ?? '',
		status: c['Status'] ?? '',
		labels: parseLabelsColumn(c['Labels'] ?? ''),
		ports: parsePortsColumn(c['Ports'] ?? ''),
		createdAt: parseCliTime(c['CreatedAt'] ?? ''),
	};
}

/** Lists containers with one `docker ps` process (the CLI knows tcp://, ssh:// and contexts). */
export async function listContainersCli(options: ListOptions, env: NodeJS.ProcessEnv): Promise<ContainerSummary[]> {
	const args = ['ps', '--no-trunc', '--format', '{{json .}}'];
	if (options.all) args.push('-a');
	for (const label of options.labels ?? []) args.push('--filter', `label=${label}`);
	// Loaded on demand: execa costs tens of milliseconds of start-up that the socket path never needs.
	const {execa} = await import('execa');
	const result = await execa('docker', args, {reject: false, env, timeout: 10_000});
	if (result.failed) {
		const line =
			String(result.stderr || result.message)
				.split('\n')
				.find(l => l.trim()) ?? 'docker ps failed';
		throw new EngineUnreachableError(line.trim(), result);
	}
	return String(result.stdout)
		.split('\n')
		.filter(line => line.trim())
		.map(parseCliContainer);
}
