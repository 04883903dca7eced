import {test} from 'node:test';
import assert from 'node:assert/strict';
import {access, mkdir, readdir, readFile, rename, rm, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {readPlugin} from '../../../source/core/plugins/registry.ts';
import {commitPlan, planScaffold, UnsafePathError, type PlanOptions} from '../../../source/core/scaffold/index.ts';
import {BerthError} from '../../../source/core/errors.ts';
import {FREE_PROBE, makePlugin} from '../plugins/make-plugin.ts';

async function setup(manifest: Record<string, unknown> = {}, files: Record<string, string | Uint8Array> = {}) {
	const dir = await tempDir();
	const pluginDir = await makePlugin(path.join(dir, 'plugins'), 'demo', manifest, files);
	const info = await readPlugin(pluginDir, 'flag');
	assert.equal(info.error, null);
	const options: PlanOptions = {
		root: path.join(dir, 'apps'),
		storeFile: path.join(dir, 'ports.json'),
		app: {model: 'm', number: 1},
		plugin: info.plugin!,
		probe: FREE_PROBE,
	};
	return {dir, options, appDir: path.join(dir, 'apps', 'm', 'app1')};
}

/** Every entry under dir (files, folders, links), relative, sorted. */
async function everything(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => []);
	return entries.map(e => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

async function allocations(storeFile: string): Promise<unknown[]> {
	try {
		return (JSON.parse(await readFile(storeFile, 'utf8')) as {allocations: unknown[]}).allocations;
	} catch {
		return [];
	}
}

const NESTED = {'a/one.txt': 'one', 'b/two.txt': 'two', 'c/three.txt': 'three'};

test('a path variable naming .env, .env.example or .berth.json as a folder is refused before anything is written', async () => {
	for (const reserved of ['.env', '.env.example', '.berth.json', './.env']) {
		const {dir, options} = await setup({variables: [{name: 'dir', default: 'conf'}]}, {'{{dir}}/x.conf': 'x'});
		await assert.rejects(
			planScaffold({...options, answers: {dir: reserved}}),
			(e: unknown) => e instanceof UnsafePathError && /which berth writes itself/.test(e.message),
			reserved,
		);
		assert.deepEqual(
			(await everything(dir)).filter(f => !f.startsWith('plugins')),
			[],
			`${reserved}: something was written`,
		);
	}
});

test('a write that fails mid-commit undoes everything: files and folders made, the allocation taken; the error names the path', async () => {
	const {options, appDir} = await setup({}, NESTED);
	const plan = await planScaffold(options);
	// After the plan, a file appears where the commit needs the folder b/ (what a read-only folder or a
	// full disk does to a real run, and it fails as root too).
	await mkdir(appDir, {recursive: true});
	await writeFile(path.join(appDir, 'b'), 'in the way');
	await assert.rejects(commitPlan(plan), (e: unknown) => {
		assert.ok(e instanceof BerthError && e.code !== 'internal', String(e));
		assert.match(e.message, new RegExp(`${path.join(appDir, 'b').replace(/\./g, '\\.')} is not a folder`));
		assert.match(e.message, /Nothing was left behind: the allocation of m\/app1 was released\./);
		return true;
	});
	assert.deepEqual(await everything(appDir), ['b'], 'only what was there before is left');
	assert.equal(await readFile(path.join(appDir, 'b'), 'utf8'), 'in the way');
	assert.deepEqual(await allocations(options.storeFile), []);
});

test('a file that appeared since the plan is never replaced by a create: the commit fails and undoes itself', async () => {
	const {options, appDir} = await setup({}, NESTED);
	const plan = await planScaffold(options);
	await mkdir(path.join(appDir, 'c'), {recursive: true});
	await writeFile(path.join(appDir, 'c', 'three.txt'), 'mine');
	await assert.rejects(
		commitPlan(plan),
		/could not write .*c\/three\.txt: something appeared there since berth planned the scaffold \(EEXIST\)\. Nothing was left behind/,
	);
	assert.deepEqual(await everything(appDir), ['c', 'c/three.txt']);
	assert.equal(await readFile(path.join(appDir, 'c', 'three.txt'), 'utf8'), 'mine');
	assert.deepEqual(await allocations(options.storeFile), []);
});

test('a failed --force commit puts back the files it had replaced', async () => {
	const {options, appDir} = await setup({}, NESTED);
	await commitPlan(await planScaffold(options));
	await writeFile(path.join(appDir, 'a', 'one.txt'), 'edited one');
	await writeFile(path.join(appDir, 'c', 'three.txt'), 'edited three');
	const plan = await planScaffold({...options, force: true});
	await rm(path.join(appDir, 'c'), {recursive: true});
	await writeFile(path.join(appDir, 'c'), 'now a file');
	await assert.rejects(commitPlan(plan), /c is not a folder/);
	assert.equal(await readFile(path.join(appDir, 'a', 'one.txt'), 'utf8'), 'edited one');
	assert.equal((await allocations(options.storeFile)).length, 1, 'the allocation was there before: kept');
	assert.deepEqual((await readdir(path.join(appDir, 'a'))).sort(), ['one.txt'], 'no temp or backup file left');
});

test('a folder swapped for a symlink between plan and commit: nothing is written where it points, all undone', async () => {
	const {dir, options, appDir} = await setup({}, NESTED);
	const outside = path.join(dir, 'outside');
	await mkdir(outside);
	await mkdir(path.join(appDir, 'b'), {recursive: true});
	const plan = await planScaffold(options);
	await rename(path.join(appDir, 'b'), path.join(dir, 'b-real'));
	await symlink(outside, path.join(appDir, 'b'));
	await assert.rejects(
		commitPlan(plan),
		(e: unknown) => e instanceof UnsafePathError && /app1\/b is a symbolic link; berth does not write through links.*Nothing was left behind/.test(e.message),
	);
	assert.deepEqual(await readdir(outside), []);
	assert.deepEqual(await everything(appDir), ['b']);
	assert.deepEqual(await allocations(options.storeFile), []);
});

test('an abort (Ctrl-C, SIGTERM) between files undoes what was written and releases the allocation', async () => {
	for (const after of [0, 1, 3]) {
		const {options, appDir} = await setup({}, NESTED);
		const plan = await planScaffold(options);
		// The commit reads `aborted` once before each file: aborted from the (after+1)th look on.
		let looks = 0;
		const signal = {
			get aborted() {
				return looks++ > after;
			},
		} as AbortSignal;
		await assert.rejects(
			commitPlan(plan, {signal}),
			(e: unknown) => e instanceof BerthError && e.code === 'interrupted' && /m\/app1: interrupted while scaffolding\. Nothing was left behind/.test(e.message),
		);
		assert.deepEqual(await everything(path.dirname(path.dirname(appDir))).catch(() => []), [], `abort after ${after} looks: something was left`);
		assert.deepEqual(await allocations(options.storeFile), []);
	}
});

test('an abort before the commit starts writes nothing at all', async () => {
	const {options} = await setup();
	const plan = await planScaffold(options);
	const controller = new AbortController();
	controller.abort();
	await assert.rejects(commitPlan(plan, {signal: controller.signal}), /interrupted before anything was written/);
	await assert.rejects(access(options.root));
	await assert.rejects(access(options.storeFile));
});
