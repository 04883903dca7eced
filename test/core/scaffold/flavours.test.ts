import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile, readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {parse as parseYaml} from 'yaml';
import {tempDir} from '../../helpers/temp.ts';
import {loadRegistry} from '../../../source/core/plugins/registry.ts';
import {commitPlan, planScaffold} from '../../../source/core/scaffold/index.ts';
import {availableComposes} from '../../../source/core/plugins/compose-check.ts';
import {FREE_PROBE} from '../plugins/make-plugin.ts';

interface PublishedPort {
	hostIp: string;
	published: number;
	target: number;
}

interface ComposeModel {
	services: Record<string, {container_name?: string; ports?: (string | {host_ip?: string; published: number | string; target: number})[]; restart?: string; depends_on?: unknown}>;
}

/** `compose config` of an app with every compose available here (v1 and, where present, v2). */
async function composeConfigs(appDir: string, file = 'docker-compose.yml'): Promise<{compose: string; model: ComposeModel}[]> {
	const composes = await availableComposes();
	assert.ok(composes.length > 0, 'no compose (docker compose or docker-compose) on this machine');
	const results = [];
	for (const binary of composes) {
		const [command, ...prefix] = binary.command;
		const run = await execa(command, [...prefix, '-f', path.join(appDir, file), '--project-directory', appDir, 'config'], {reject: false, cwd: appDir});
		assert.equal(run.exitCode, 0, `${binary.command.join(' ')} config failed for ${appDir}/${file}:\n${run.stderr}`);
		results.push({compose: binary.command.join(' '), model: parseYaml(String(run.stdout)) as ComposeModel});
	}
	return results;
}

/** Published ports of a service, from v1's short syntax or v2's long syntax. */
function publishedPorts(service: ComposeModel['services'][string]): PublishedPort[] {
	return (service.ports ?? []).map(port => {
		if (typeof port === 'string') {
			const match = /^(?:([\d.]+):)?(\d+):(\d+)(?:\/\w+)?$/.exec(port);
			assert.ok(match, `unexpected port syntax ${port}`);
			return {hostIp: match[1] ?? '0.0.0.0', published: Number(match[2]), target: Number(match[3])};
		}
		return {hostIp: port.host_ip ?? '0.0.0.0', published: Number(port.published), target: port.target};
	});
}

async function allFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true});
	return entries.filter(e => e.isFile()).map(e => path.join(e.parentPath, e.name));
}

// compose config needs only the compose binary, not the engine; CI must have it (docker-compose v1 here).
const NO_COMPOSE = (await availableComposes()).length === 0 && process.env['CI'] !== 'true' ? 'no docker compose / docker-compose here' : undefined;
const OPTIONS = NO_COMPOSE ? {skip: NO_COMPOSE} : {};

const FLAVOURS = [
	{id: 'react-flask', answers: {}, composeFiles: ['docker-compose.yml'], published: {backend: 5000, frontend: 80}},
	{id: 'fastapi-vite', answers: {}, composeFiles: ['docker-compose.yml', 'docker-compose.prod.yml'], published: {backend: 8000, frontend: 5173}},
	{id: 'multi-db-seeder', answers: {}, composeFiles: ['docker-compose.yml'], published: {backend: 8000}},
	{id: 'multi-db-seeder', answers: {publishDatabases: 'true'}, composeFiles: ['docker-compose.yml'], published: {backend: 8000, postgres: 5432, mongo: 27017}},
] as const;

for (const flavour of FLAVOURS) {
	const label = `${flavour.id}${Object.keys(flavour.answers).length ? ` (${Object.entries(flavour.answers).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`;
	test(`${label}: real compose config passes; ports = allocation on 127.0.0.1; two models get distinct ports, projects and containers`, OPTIONS, async () => {
		const dir = await tempDir();
		const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: dir}});
		const plugin = registry.get(flavour.id);
		const base = {root: path.join(dir, 'apps'), storeFile: path.join(dir, 'ports.json'), plugin, answers: flavour.answers, probe: FREE_PROBE};
		const apps = [];
		for (const model of ['openai_gpt-4o', 'anthropic_claude-3.7-sonnet']) {
			apps.push((await commitPlan(await planScaffold({...base, app: {model, number: 1}}))).plan);
		}
		const [a, b] = apps as [(typeof apps)[number], (typeof apps)[number]];
		assert.notEqual(a.projectName, b.projectName);
		for (const plan of apps) assert.match(plan.projectName, /^[a-z0-9][a-z0-9_-]*-app1$/, 'a valid compose project name');
		assert.ok(Object.values(a.ports).every(port => !Object.values(b.ports).includes(port)), 'two apps share a port');

		const containerNames = new Set<string>();
		for (const plan of apps) {
			for (const file of flavour.composeFiles) {
				for (const {compose, model} of await composeConfigs(plan.appDir, file)) {
					const published = Object.values(model.services).flatMap(publishedPorts);
					const expected = Object.entries(flavour.published).map(([slot, target]) => ({hostIp: '127.0.0.1', published: plan.ports[slot]!, target: file.includes('prod') && slot === 'frontend' ? 80 : target}));
					assert.deepEqual(
						published.sort((x, y) => x.published - y.published),
						expected.sort((x, y) => x.published - y.published),
						`${compose} ${file}: published ports differ from the allocation`,
					);
					for (const [name, service] of Object.entries(model.services)) {
						assert.ok(service.container_name?.startsWith(`${plan.projectName}-`), `${file} ${name}: container name ${service.container_name} not derived from the project`);
						if (file === 'docker-compose.yml') {
							assert.ok(!containerNames.has(service.container_name!), `container name ${service.container_name} used twice`);
							containerNames.add(service.container_name!);
						}
					}
				}
			}
		}

		for (const plan of apps) {
			const env = await readFile(path.join(plan.appDir, '.env'), 'utf8');
			assert.equal((await stat(path.join(plan.appDir, '.env'))).mode & 0o777, 0o600);
			assert.match(env, new RegExp(`^PROJECT_NAME=${plan.projectName}$`, 'm'));
			for (const [slot, port] of Object.entries(plan.ports)) assert.match(env, new RegExp(`^${slot.toUpperCase()}_PORT=${port}$`, 'm'));
			const secrets = [...env.matchAll(/^(\w+_PASSWORD)=(.*)$/gm)].map(m => m[2]!);
			if (flavour.id === 'multi-db-seeder') assert.equal(secrets.length, 2, 'database passwords in .env');
			for (const file of await allFiles(plan.appDir)) {
				const relative = path.relative(plan.appDir, file);
				const text = await readFile(file, 'utf8');
				assert.doesNotMatch(text, /<%|%>/, `${relative}: unrendered Eta tag`);
				assert.doesNotMatch(text, /\{\{\s*[A-Za-z_][\w-]*\s*(\|[^}]*)?\}\}/, `${relative}: unrendered placeholder`);
				assert.doesNotMatch(text, /\bundefined\b/, `${relative}: "undefined" rendered`);
				if (relative !== '.env') for (const secret of secrets) assert.ok(!text.includes(secret), `${relative} holds a secret`);
			}
		}
	});
}

test('multi-db-seeder: health checks, start order, one-shot seeder, init SQL for the extra database', OPTIONS, async () => {
	const dir = await tempDir();
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: dir}});
	const plan = (await commitPlan(await planScaffold({root: dir, storeFile: path.join(dir, 'ports.json'), app: {model: 'm', number: 1}, plugin: registry.get('multi-db-seeder'), answers: {extraDatabase: 'reports'}, probe: FREE_PROBE}))).plan;
	const model = (await composeConfigs(plan.appDir))[0]!.model as ComposeModel & {services: Record<string, {healthcheck?: {test: string[]}}>};
	assert.equal(model.services['seeder']!.restart, 'no');
	assert.deepEqual(model.services['seeder']!.depends_on, {api: {condition: 'service_healthy'}});
	assert.deepEqual(model.services['api']!.depends_on, {postgres: {condition: 'service_healthy'}, mongo: {condition: 'service_healthy'}});
	assert.match(JSON.stringify(model.services['postgres']!.healthcheck?.test), /pg_isready/);
	assert.match(JSON.stringify(model.services['mongo']!.healthcheck?.test), /mongosh.*ping/);
	assert.match(await readFile(path.join(plan.appDir, 'db/postgres/init/01-extra-database.sql'), 'utf8'), /CREATE DATABASE "reports";/);
});
