import {test} from 'node:test';
import assert from 'node:assert/strict';
import {access, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {composeConfigs} from '../../helpers/compose.ts';
import {ROOT} from '../../helpers/runtime.ts';
import {availableComposes} from '../../../source/core/lint/compose-check.ts';
import {lintPlugin} from '../../../source/core/lint/lint.ts';
import {readPlugin} from '../../../source/core/plugins/registry.ts';
import {createSkeleton} from '../../../source/core/plugins/skeleton.ts';
import {commitPlan, planScaffold} from '../../../source/core/scaffold/index.ts';
import {FREE_PROBE} from '../plugins/make-plugin.ts';

/** The files of the worked example in docs/plugins.md: each fenced block after a paragraph "`<path>` ...:". */
async function exampleFiles(): Promise<Map<string, string>> {
	const docs = await readFile(path.join(ROOT, 'docs', 'plugins.md'), 'utf8');
	const start = docs.indexOf('## Worked example');
	assert.ok(start !== -1, 'docs/plugins.md has no worked example');
	const section = docs.slice(start, docs.indexOf('\n## ', start + 1));
	const files = new Map<string, string>();
	for (const match of section.matchAll(/^`([^`\n]+)`([^\n]*\n(?:[^\n]+\n)*)\n```[\w-]*\n([\s\S]*?)\n```$/gm)) {
		const [, file, paragraph, content] = match as unknown as [string, string, string, string];
		if (/^(?:berth-plugin\.json|files\/.+)$/.test(file) && paragraph.trimEnd().endsWith(':')) files.set(file, `${content}\n`);
	}
	return files;
}

const NO_COMPOSE = (await availableComposes()).length === 0 && process.env['CI'] !== 'true' ? 'no docker compose / docker-compose here' : undefined;

test('the worked example of docs/plugins.md lints clean, scaffolds, and passes real compose config', NO_COMPOSE ? {skip: NO_COMPOSE} : {}, async () => {
	const files = await exampleFiles();
	assert.deepEqual([...files.keys()].sort(), [
		'berth-plugin.json',
		'files/.dockerignore',
		'files/Dockerfile',
		'files/README.md.eta',
		'files/docker-compose.yml.eta',
		'files/go.mod',
		'files/main.go',
	]);

	// As the page says: `berth plugins new go-api`, delete files/site/, write the files.
	const dir = await tempDir();
	const {dir: pluginDir} = await createSkeleton('go-api', path.join(dir, '.berth', 'plugins'));
	await rm(path.join(pluginDir, 'files', 'site'), {recursive: true});
	for (const [relative, content] of files) {
		await mkdir(path.dirname(path.join(pluginDir, relative)), {recursive: true});
		await writeFile(path.join(pluginDir, relative), content);
	}

	const lint = await lintPlugin(pluginDir);
	assert.deepEqual(lint.problems, []);
	assert.ok(lint.ok && lint.checked[0]!.compose.length > 0 && lint.checked[0]!.compose.every(c => c.ok));

	const plugin = (await readPlugin(pluginDir, 'workspace')).plugin!;
	const {plan} = await commitPlan(
		await planScaffold({
			root: path.join(dir, 'apps'),
			storeFile: path.join(dir, 'ports.json'),
			app: {model: 'openai_gpt-4o', number: 1},
			plugin,
			probe: FREE_PROBE,
		}),
	);
	const appDir = plan.appDir;
	const password = /^REDIS_PASSWORD=([0-9a-f]{32})$/m.exec(await readFile(path.join(appDir, '.env'), 'utf8'))?.[1];
	assert.ok(password, '.env holds a generated REDIS_PASSWORD');
	assert.equal(await readFile(path.join(appDir, 'go.mod'), 'utf8'), 'module example.com/app\n\ngo 1.22\n');

	for (const {compose, model} of await composeConfigs(appDir)) {
		const {api, redis} = model.services as Record<'api' | 'redis', NonNullable<(typeof model.services)[string]>>;
		// The healthcheck's shell reads REDIS_PASSWORD: the container must have it.
		assert.equal(redis.environment?.['REDIS_PASSWORD'], password, compose);
		assert.match(JSON.stringify(redis.healthcheck?.test), /redis-cli .*\$\$?REDIS_PASSWORD.* ping/, compose);
		assert.equal(api.environment?.['REDIS_URL'], `redis://:${password}@redis:6379/0`, compose);
		assert.deepEqual(api.depends_on, {redis: {condition: 'service_healthy'}}, compose);
		assert.equal(path.resolve(appDir, api.build?.context ?? ''), appDir, compose);
	}

	// `build: ./` needs a Dockerfile whose COPY sources exist, and a .dockerignore keeping .env out.
	const dockerfile = await readFile(path.join(appDir, 'Dockerfile'), 'utf8');
	const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap(m => m[1]!.split(' '));
	assert.deepEqual(copied, ['go.mod', '*.go']);
	await access(path.join(appDir, 'go.mod'));
	await access(path.join(appDir, 'main.go'));
	assert.match(await readFile(path.join(appDir, '.dockerignore'), 'utf8'), /^\.env$/m);
	assert.match(await readFile(path.join(appDir, 'main.go'), 'utf8'), /HandleFunc\("\/health"/);
});
