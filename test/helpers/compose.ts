import assert from 'node:assert/strict';
import path from 'node:path';
import {execa} from 'execa';
import {parse as parseYaml} from 'yaml';
import {detectCompose, selectCompose, type ComposeBinary} from '../../source/core/compose/detect.ts';
import {availableComposes} from '../../source/core/lint/compose-check.ts';

let underTest: Promise<ComposeBinary | null> | undefined;

/**
 * The compose this run tests: the one berth itself picks (BERTH_COMPOSE=v1|v2, else v2 when present, else
 * v1), so a test that drives compose directly meets the same binary as the berth it spawns.
 */
export function composeUnderTest(): Promise<ComposeBinary | null> {
	underTest ??= detectCompose().then(detection => selectCompose(detection));
	return underTest;
}

/** Runs the compose under test (fails when there is none: callers are integration tests that need it). */
export async function runCompose(args: string[], options: {cwd?: string} = {}) {
	const binary = await composeUnderTest();
	assert.ok(binary, `no compose here${process.env['BERTH_COMPOSE'] ? ` (BERTH_COMPOSE=${process.env['BERTH_COMPOSE']})` : ''}`);
	const [command, ...prefix] = binary.command;
	return execa(command, [...prefix, ...args], {reject: false, stdin: 'ignore', ...options});
}

/** A `compose config` model after `comparableConfig`: what v1 and v2 agree on. */
export interface ComposeModel {
	services: Record<string, ComposeService>;
	volumes?: Record<string, unknown>;
	networks?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface ComposeService {
	container_name?: string;
	image?: string;
	build?: {context: string; dockerfile?: string; [key: string]: unknown};
	environment?: Record<string, string>;
	healthcheck?: {test: string[]; [key: string]: unknown};
	depends_on?: Record<string, {condition: string; [key: string]: unknown}>;
	ports?: PublishedPort[];
	volumes?: Mount[];
	restart?: string;
	[key: string]: unknown;
}

export interface PublishedPort {
	host_ip: string;
	published: number;
	target: number;
	protocol: string;
}

export interface Mount {
	type: string;
	source: string;
	target: string;
	read_only: boolean;
}

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** v1 prints `127.0.0.1:5000:5000/tcp` (or the long form for some); v2 always the long form with a string `published`. */
function port(value: unknown): PublishedPort {
	if (typeof value === 'string' || typeof value === 'number') {
		const match = /^(?:([\d.]+):)?(?:(\d+):)?(\d+)(?:\/(\w+))?$/.exec(String(value));
		assert.ok(match, `unexpected port syntax ${String(value)}`);
		return {host_ip: match[1] ?? '0.0.0.0', published: Number(match[2] ?? 0), target: Number(match[3]), protocol: match[4] ?? 'tcp'};
	}
	assert.ok(isRecord(value), `unexpected port ${JSON.stringify(value)}`);
	return {
		host_ip: String(value['host_ip'] ?? '0.0.0.0'),
		published: Number(value['published'] ?? 0),
		target: Number(value['target']),
		protocol: String(value['protocol'] ?? 'tcp'),
	};
}

/** v1 prints `data:/data:rw` / `/abs:/x:ro`; v2 the long form (with `bind.create_host_path`, `volume: {}`). */
function mount(value: unknown): Mount {
	if (typeof value === 'string') {
		const [source = '', target = '', mode = 'rw'] = value.split(':');
		return {type: source.startsWith('/') || source.startsWith('.') ? 'bind' : 'volume', source, target, read_only: mode.split(',').includes('ro')};
	}
	assert.ok(isRecord(value), `unexpected volume ${JSON.stringify(value)}`);
	return {type: String(value['type']), source: String(value['source'] ?? ''), target: String(value['target']), read_only: value['read_only'] === true};
}

function service(raw: Raw): ComposeService {
	const result: Raw = {...raw};
	// v2 names the default network on every service that has none of its own.
	if (isRecord(raw['networks']) && Object.keys(raw['networks']).length === 1 && raw['networks']['default'] === null) delete result['networks'];
	if (isRecord(raw['build'])) {
		const {dockerfile, ...build} = raw['build'];
		result['build'] = dockerfile === undefined || dockerfile === 'Dockerfile' ? build : {...build, dockerfile};
	}
	if (raw['depends_on'] !== undefined) {
		// Short syntax means `service_started`; v2 adds `required: true` (its default) to each.
		const entries: [string, unknown][] = Array.isArray(raw['depends_on'])
			? raw['depends_on'].map(name => [String(name), {condition: 'service_started'}])
			: Object.entries(raw['depends_on'] as Raw);
		result['depends_on'] = Object.fromEntries(
			entries.map(([name, dependency]) => {
				const {required, ...rest} = dependency as Raw;
				return [name, required === undefined || required === true ? rest : {...rest, required}];
			}),
		);
	}
	if (Array.isArray(raw['ports'])) result['ports'] = raw['ports'].map(port).sort((a, b) => a.published - b.published || a.target - b.target);
	if (Array.isArray(raw['volumes'])) result['volumes'] = raw['volumes'].map(mount);
	return result as ComposeService;
}

/**
 * The parts of a `compose config` model that v1 and v2 print differently for the same meaning, in one
 * spelling: v1's `version` and v2's `name` dropped, ports and volumes in the long form with numbers,
 * `depends_on` as a map without v2's default `required: true`, v2's default network, default
 * `dockerfile` and derived volume names dropped. Anything else is kept, so a real difference still shows.
 */
export function comparableConfig(raw: unknown): ComposeModel {
	assert.ok(isRecord(raw) && isRecord(raw['services']), 'compose config printed no services');
	const {version: _version, name, ...rest} = raw;
	const model: ComposeModel = {
		...rest,
		services: Object.fromEntries(Object.entries(raw['services'] as Raw).map(([key, value]) => [key, service(value as Raw)])),
	};
	if (isRecord(raw['networks'])) {
		const networks = {...raw['networks']};
		if (isRecord(networks['default']) && Object.keys(networks['default']).length === 1 && networks['default']['name'] === `${String(name)}_default`)
			delete networks['default'];
		if (Object.keys(networks).length > 0) model.networks = networks;
		else delete model.networks;
	}
	if (isRecord(raw['volumes'])) {
		model.volumes = Object.fromEntries(
			Object.entries(raw['volumes']).map(([key, value]) => {
				if (!isRecord(value)) return [key, {}];
				const {name: volumeName, ...volume} = value;
				return [key, volumeName === undefined || volumeName === `${String(name)}_${key}` ? volume : value];
			}),
		);
	}
	return model;
}

/**
 * `compose config` of an app folder with every compose available here (v2 and v1 where both are present:
 * what `berth plugins lint` checks too), each model made comparable.
 */
export async function composeConfigs(appDir: string, file = 'docker-compose.yml'): Promise<{compose: string; model: ComposeModel}[]> {
	const composes = await availableComposes();
	assert.ok(composes.length > 0, 'no compose (docker compose or docker-compose) on this machine');
	const results = [];
	for (const binary of composes) {
		const [command, ...prefix] = binary.command;
		const run = await execa(command, [...prefix, '-f', path.join(appDir, file), '--project-directory', appDir, 'config'], {
			reject: false,
			stdin: 'ignore',
			cwd: appDir,
		});
		assert.equal(run.exitCode, 0, `${binary.command.join(' ')} config failed for ${appDir}/${file}:\n${run.stderr}`);
		results.push({compose: binary.command.join(' '), model: comparableConfig(parseYaml(String(run.stdout)))});
	}
	return results;
}
