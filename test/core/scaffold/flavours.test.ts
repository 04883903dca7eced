import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile, readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {parse as parseYaml} from 'yaml';
import {tempDir} from '../../helpers/temp.ts';
import {composeConfigs} from '../../helpers/compose.ts';
import {loadRegistry} from '../../../source/core/plugins/registry.ts';
import {commitPlan, planScaffold} from '../../../source/core/scaffold/index.ts';
import {availableComposes} from '../../../source/core/lint/compose-check.ts';
import {FREE_PROBE} from '../plugins/make-plugin.ts';

async function allFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true});
	return entries.filter(e => e.isFile()).map(e => path.join(e.parentPath, e.name));
}

// compose config needs only the compose binary, not the engine; CI must have it (v2 and v1, see .ci/run).
const NO_COMPOSE = (await availableComposes()).length === 0 && process.env['CI'] !== 'true' ? 'no docker compose / docker-compose here' : undefined;
const OPTIONS = NO_COMPOSE ? {skip: NO_COMPOSE} : {};

const FLAVOURS = [
	{id: 'react-flask', answers: {}, composeFiles: ['docker-compose.yml'], published: {backend: 5000, frontend: 80}},
	{id: 'fastapi-vite', answers: {}, composeFiles: ['docker-compose.yml', 'docker-compose.prod.yml'], published: {backend: 8000, frontend: 5173}},
	{id: 'multi-db-seeder', answers: {}, composeFiles: ['docker-compose.yml'], published: {backend: 8000}},
	{id: 'multi-db-seeder', answers: {publishDatabases: 'true'}, composeFiles: ['docker-compose.yml'], published: {backend: 8000, postgres: 5432, mongo: 27017}},
] as const;

for (const flavour of FLAVOURS) {
	const label = `${flavour.id}${
		Object.keys(flavour.answers).length
			? ` (${Object.entries(flavour.answers)
					.map(([k, v]) => `${k}=${v}`)
					.join(' ')})`
			: ''
	}`;
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
		assert.ok(
			Object.values(a.ports).every(port => !Object.values(b.ports).includes(port)),
			'two apps share a port',
		);

		// Per compose (v2 and v1 each read both apps): no container name may serve two services or apps.
		const containerNames = new Map<string, Set<string>>();
		for (const plan of apps) {
			for (const file of flavour.composeFiles) {
				const configs = await composeConfigs(plan.appDir, file);
				for (const {compose, model} of configs) {
					assert.deepEqual(model, configs[0]!.model, `${compose} and ${configs[0]!.compose} read ${file} differently`);
					const published = Object.values(model.services).flatMap(service =>
						(service.ports ?? []).map(({host_ip, published, target}) => ({host_ip, published, target})),
					);
					const expected = Object.entries(flavour.published).map(([slot, target]) => ({
						host_ip: '127.0.0.1',
						published: plan.ports[slot]!,
						target: file.includes('prod') && slot === 'frontend' ? 80 : target,
					}));
					assert.deepEqual(
						published.sort((x, y) => x.published - y.published),
						expected.sort((x, y) => x.published - y.published),
						`${compose} ${file}: published ports differ from the allocation`,
					);
					const seen = containerNames.get(compose) ?? new Set<string>();
					containerNames.set(compose, seen);
					for (const [name, service] of Object.entries(model.services)) {
						assert.ok(
							service.container_name?.startsWith(`${plan.projectName}-`),
							`${file} ${name}: container name ${service.container_name} not derived from the project`,
						);
						if (file === 'docker-compose.yml') {
							assert.ok(!seen.has(service.container_name!), `${compose}: container name ${service.container_name} used twice`);
							seen.add(service.container_name!);
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
	const plan = (
		await commitPlan(
			await planScaffold({
				root: dir,
				storeFile: path.join(dir, 'ports.json'),
				app: {model: 'm', number: 1},
				plugin: registry.get('multi-db-seeder'),
				answers: {extraDatabase: 'reports'},
				probe: FREE_PROBE,
			}),
		)
	).plan;
	for (const {compose, model} of await composeConfigs(plan.appDir)) {
		assert.equal(model.services['seeder']!.restart, 'no', compose);
		assert.deepEqual(model.services['seeder']!.depends_on, {api: {condition: 'service_healthy'}}, compose);
		assert.deepEqual(model.services['api']!.depends_on, {postgres: {condition: 'service_healthy'}, mongo: {condition: 'service_healthy'}}, compose);
		assert.match(JSON.stringify(model.services['postgres']!.healthcheck?.test), /pg_isready/, compose);
		assert.match(JSON.stringify(model.services['mongo']!.healthcheck?.test), /mongosh.*ping/, compose);
	}
	assert.match(await readFile(path.join(plan.appDir, 'db/postgres/init/01-extra-database.sql'), 'utf8'), /CREATE DATABASE "reports";/);
});

/** Scaffolds one app of a built-in flavour and returns a reader of its files. */
async function scaffold(
	id: string,
): Promise<{read: (file: string) => Promise<string>; ports: Record<string, number>; yaml: (file: string) => Promise<ComposeFile>}> {
	const dir = await tempDir();
	const registry = await loadRegistry({cwd: dir, env: {XDG_CONFIG_HOME: dir}});
	const plan = (
		await commitPlan(
			await planScaffold({root: dir, storeFile: path.join(dir, 'ports.json'), app: {model: 'm', number: 1}, plugin: registry.get(id), probe: FREE_PROBE}),
		)
	).plan;
	const read = (file: string) => readFile(path.join(plan.appDir, file), 'utf8');
	return {read, ports: plan.ports, yaml: async file => parseYaml(await read(file)) as ComposeFile};
}

interface ComposeFile {
	services: Record<
		string,
		{
			build?: {context: string; target?: string};
			healthcheck?: {test: string[]};
			depends_on?: unknown;
			volumes?: string[];
			environment?: Record<string, string>;
			ports?: string[];
		}
	>;
}

/** The stages of a Dockerfile: name -> {from, lines}; the USER a target runs as, following its FROM chain. */
function dockerfile(text: string) {
	const stages = new Map<string, {from: string; lines: string[]}>();
	let current: {from: string; lines: string[]} | null = null;
	for (const line of text.split('\n')) {
		const from = /^FROM (\S+)(?: AS (\S+))?$/i.exec(line);
		if (from) {
			current = {from: from[1]!, lines: []};
			stages.set(from[2] ?? `#${stages.size}`, current);
		} else if (current && line.trim() && !line.startsWith('#')) current.lines.push(line);
	}
	const chain = (target: string): {from: string; lines: string[]}[] => {
		const stage = stages.get(target);
		assert.ok(stage, `no stage ${target}`);
		return stages.has(stage.from) ? [...chain(stage.from), stage] : [stage];
	};
	return {
		stages,
		/** The image a target starts from (following stages), its USER and its CMD. */
		target(name: string) {
			const lines = chain(name).flatMap(s => s.lines);
			const last = (keyword: string) =>
				lines
					.filter(l => l.startsWith(`${keyword} `))
					.at(-1)
					?.slice(keyword.length + 1) ?? null;
			return {base: chain(name)[0]!.from, user: last('USER'), cmd: last('CMD'), lines};
		},
	};
}

test('react-flask: multi-stage non-root Flask image with /health and /api, nginx proxying /api, Vite dev proxy, health-gated start', async () => {
	const app = await scaffold('react-flask');

	const backend = dockerfile(await app.read('backend/Dockerfile'));
	assert.deepEqual(
		[...backend.stages].map(([name, s]) => [name, s.from]),
		[
			['build', 'python:3.11-slim'],
			['runtime', 'python:3.11-slim'],
		],
	);
	const runtime = backend.target('runtime');
	assert.equal(runtime.user, 'app');
	assert.ok(
		runtime.lines.some(l => /^RUN .*useradd --system .* app$/.test(l)),
		'the app user is created',
	);
	assert.ok(runtime.lines.includes('COPY --from=build /wheels /wheels'), 'the runtime stage installs the wheels of the build stage');
	assert.match(runtime.cmd ?? '', /gunicorn --bind 0\.0\.0\.0:\$\{PORT\}.*app:app/);
	const flask = await app.read('backend/app.py');
	assert.match(flask, /^@app\.get\("\/health"\)$/m);
	assert.match(flask, /^@app\.get\("\/api\/hello"\)$/m);
	assert.match(await app.read('backend/requirements.txt'), /^flask==[\d.]+\n(?:.*\n)*gunicorn==[\d.]+$/m);

	const frontend = dockerfile(await app.read('frontend/Dockerfile'));
	assert.deepEqual(
		[...frontend.stages].map(([name, s]) => [name, s.from]),
		[
			['build', 'node:20-alpine'],
			['runtime', 'nginx:alpine'],
		],
	);
	assert.ok(frontend.target('runtime').lines.includes('COPY nginx.conf /etc/nginx/conf.d/default.conf'));
	assert.ok(frontend.target('runtime').lines.includes('COPY --from=build /app/dist /usr/share/nginx/html'));
	assert.match(await app.read('frontend/nginx.conf'), /location \/api\/ \{\n\s+proxy_pass http:\/\/backend:5000;/);
	assert.match(
		await app.read('frontend/vite.config.js'),
		new RegExp(`proxy: \\{\\n\\s+'/api': process\\.env\\.VITE_API_PROXY \\?\\? 'http://127\\.0\\.0\\.1:${app.ports['backend']}'`),
	);
	for (const file of ['frontend/index.html', 'frontend/src/App.jsx', 'frontend/src/App.css', 'frontend/src/main.jsx'])
		assert.ok((await app.read(file)).length > 0, file);
	assert.match(await app.read('frontend/src/App.jsx'), /fetch\('\/api\/hello'\)/);
	assert.deepEqual(JSON.parse(await app.read('frontend/package.json')).scripts, {dev: 'vite', build: 'vite build', preview: 'vite preview'});
	assert.match(await app.read('backend/.dockerignore'), /^__pycache__\/$[\s\S]*^\.env$/m);
	assert.match(await app.read('frontend/.dockerignore'), /^node_modules\/$[\s\S]*^\.env$/m);

	const compose = await app.yaml('docker-compose.yml');
	assert.match(JSON.stringify(compose.services['backend']!.healthcheck?.test), /urlopen\('http:\/\/127\.0\.0\.1:5000\/health'/);
	assert.match(JSON.stringify(compose.services['frontend']!.healthcheck?.test), /wget.*http:\/\/127\.0\.0\.1\//);
	assert.deepEqual(compose.services['frontend']!.depends_on, {backend: {condition: 'service_healthy'}});
	assert.match(
		await app.read('README.md'),
		new RegExp(`http://127\\.0\\.0\\.1:${app.ports['frontend']}/[\\s\\S]*http://127\\.0\\.0\\.1:${app.ports['backend']}/health`),
	);
});

test('fastapi-vite: development and production targets; uvicorn --reload with mounted sources and Vite polling; gunicorn + uvicorn workers and nginx in production', async () => {
	const app = await scaffold('fastapi-vite');

	const backend = dockerfile(await app.read('backend/Dockerfile'));
	const dev = backend.target('development');
	const prod = backend.target('production');
	for (const target of [dev, prod]) {
		assert.equal(target.base, 'python:3.11-slim');
		assert.equal(target.user, 'app', 'runs as the non-root app user');
	}
	assert.deepEqual(JSON.parse(dev.cmd!), ['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000', '--reload']);
	assert.match(
		prod.cmd!,
		/exec gunicorn app\.main:app --worker-class uvicorn\.workers\.UvicornWorker --workers \$\{WEB_CONCURRENCY:-2\} --bind 0\.0\.0\.0:8000/,
	);
	const api = await app.read('backend/app/main.py');
	assert.match(api, /^@app\.get\("\/health"\)$/m);
	assert.match(api, /^@app\.get\("\/api\/hello"\)$/m);
	assert.match(await app.read('backend/requirements.txt'), /^fastapi==.*\nuvicorn\[standard\]==.*\ngunicorn==/m);

	const frontend = dockerfile(await app.read('frontend/Dockerfile'));
	assert.equal(frontend.target('development').base, 'node:20-alpine');
	assert.match(frontend.target('development').cmd!, /"npm", "run", "dev", "--", "--host", "0\.0\.0\.0", "--port", "5173"/);
	assert.equal(frontend.target('production').base, 'nginx:alpine');
	assert.ok(frontend.target('production').lines.includes('COPY --from=build /app/dist /usr/share/nginx/html'));
	assert.match(await app.read('frontend/nginx.conf'), /location \/api\/ \{\n\s+proxy_pass http:\/\/backend:8000;/);
	const vite = await app.read('frontend/vite.config.js');
	assert.match(vite, /watch: \{usePolling: true, interval: \d+\}/);
	assert.match(vite, new RegExp(`'/api': process\\.env\\.VITE_API_PROXY \\?\\? 'http://127\\.0\\.0\\.1:${app.ports['backend']}'`));
	assert.match(await app.read('backend/.dockerignore'), /^__pycache__\/$/m);
	assert.match(await app.read('frontend/.dockerignore'), /^node_modules\/$/m);

	const development = await app.yaml('docker-compose.yml');
	assert.deepEqual(Object.fromEntries(Object.entries(development.services).map(([name, s]) => [name, s.build?.target])), {
		backend: 'development',
		frontend: 'development',
	});
	assert.deepEqual(development.services['backend']!.volumes, ['./backend/app:/app/app']);
	assert.ok(development.services['frontend']!.volumes?.includes('./frontend/src:/app/src'), 'frontend sources mounted');
	assert.equal(development.services['frontend']!.environment?.['CHOKIDAR_USEPOLLING'], 'true');
	assert.equal(development.services['backend']!.environment?.['WATCHFILES_FORCE_POLLING'], 'true', 'uvicorn --reload polls the mounted sources');
	assert.equal(development.services['frontend']!.environment?.['VITE_API_PROXY'], 'http://backend:8000');
	const production = await app.yaml('docker-compose.prod.yml');
	assert.deepEqual(Object.fromEntries(Object.entries(production.services).map(([name, s]) => [name, s.build?.target])), {
		backend: 'production',
		frontend: 'production',
	});
	assert.equal(production.services['backend']!.volumes, undefined, 'production runs the built image, no mounts');
	for (const [file, compose] of [
		['docker-compose.yml', development],
		['docker-compose.prod.yml', production],
	] as const) {
		assert.match(JSON.stringify(compose.services['backend']!.healthcheck?.test), /http:\/\/127\.0\.0\.1:8000\/health/, file);
		assert.ok(compose.services['frontend']!.healthcheck, `${file}: frontend healthcheck`);
		assert.deepEqual(compose.services['frontend']!.depends_on, {backend: {condition: 'service_healthy'}}, file);
	}
	assert.match(await app.read('README.md'), new RegExp(`http://127\\.0\\.0\\.1:${app.ports['backend']}/health`));
});
