import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import fc from 'fast-check';
import {modelIdProblem, type AppRef} from '../../source/core/ids.ts';
import {openStore} from '../../source/core/ports/store.ts';
import {getOrAllocate} from '../../source/core/ports/service.ts';
import {discoverWorkspace} from '../../source/core/workspace/discover.ts';
import {PROJECT_NAME_PATTERN, ProjectNameIndex, resolveProjectName} from '../../source/core/project-names.ts';
import {tempDir} from '../helpers/temp.ts';

const FREE = {isBound: async () => false, publishedPorts: async () => new Map()};
const slots = [{name: 'web', base: 44_001, step: 2}];

function permutations<T>(list: readonly T[]): T[][] {
	if (list.length <= 1) return [[...list]];
	return list.flatMap((item, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map(rest => [item, ...rest]));
}

test('rtcol.x/app1 and rtcol-x/app1 in the apps root get two names; the id that is its own base keeps the plain one', async () => {
	const root = path.join(await tempDir(), 'apps');
	for (const model of ['rtcol.x', 'rtcol-x']) await mkdir(path.join(root, model, 'app1'), {recursive: true});
	const workspace = await discoverWorkspace(root, null);
	const names = Object.fromEntries(workspace.models.flatMap(m => m.apps).map(a => [a.id, a.projectName]));
	assert.equal(names['rtcol-x/app1'], 'rtcol-x-app1');
	assert.match(names['rtcol.x/app1']!, /^rtcol-x_[0-9a-f]{8}-app1$/);
	assert.deepEqual(workspace.conflicts, []);
});

test('rt-b-763a44/app1, rt-b/app1 and rt.b/app1 allocated in any order get three names', async () => {
	const dir = await tempDir();
	const models = ['rt-b-763a44', 'rt-b', 'rt.b'];
	for (const [i, order] of permutations(models).entries()) {
		const store = openStore(path.join(dir, `ports-${i}.json`));
		const given = new Map<string, string>();
		for (const model of order)
			given.set(model, (await getOrAllocate(store, {model, number: 1}, {appPath: `/r/${model}/app1`, slots, probe: FREE})).allocation.projectName);
		assert.equal(new Set(given.values()).size, 3, `order ${order.join(', ')}: ${JSON.stringify([...given])}`);
		for (const name of given.values()) assert.match(name, PROJECT_NAME_PATTERN);
		// The readable name is kept by the model whose id it is, whatever came first.
		assert.equal(given.get('rt-b-763a44'), 'rt-b-763a44-app1');
	}
});

test('a new allocation never takes a name an app of the apps root already has', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	// A hand-written app with no allocation and no .berth.json: its name is derived, rtcol-x-app1.
	await mkdir(path.join(root, 'rtcol-x', 'app1'), {recursive: true});
	// Another one whose .berth.json pinned a name by hand.
	await mkdir(path.join(root, 'other', 'app1'), {recursive: true});
	await writeFile(
		path.join(root, 'other', 'app1', '.berth.json'),
		JSON.stringify({
			schema: 1,
			flavour: {id: 'x', version: '1.0.0'},
			answers: {},
			ports: {},
			projectName: 'rtcol-x-app2',
			files: {},
			createdAt: '',
			updatedAt: '',
		}),
	);
	const store = openStore(path.join(dir, 'ports.json'));
	const {names} = await discoverWorkspace(root, null);
	const one = await getOrAllocate(store, {model: 'rtcol.x', number: 1}, {appPath: path.join(root, 'rtcol.x', 'app1'), slots, probe: FREE, names});
	const two = await getOrAllocate(store, {model: 'rtcol-x', number: 2}, {appPath: path.join(root, 'rtcol-x', 'app2'), slots, probe: FREE, names});
	assert.match(one.allocation.projectName, /^rtcol-x_[0-9a-f]{8}-app1$/);
	assert.match(two.allocation.projectName, /^rtcol-x_[0-9a-f]{8}-app2$/);
	const after = await discoverWorkspace(root, await store.read());
	const all = [...after.models.flatMap(m => m.apps).map(a => a.projectName), one.allocation.projectName, two.allocation.projectName];
	assert.equal(new Set(all).size, all.length, JSON.stringify(all));
});

test('a name pinned in the store or in .berth.json is kept; the newcomer is the one hashed', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	for (const model of ['rtcol.x', 'rtcol-x']) await mkdir(path.join(root, model, 'app1'), {recursive: true});
	const allocation = {
		model: 'rtcol.x',
		app: 1,
		ports: {web: 44_001},
		projectName: 'rtcol-x-app1',
		appPath: path.join(root, 'rtcol.x', 'app1'),
		createdAt: '',
		engine: 'default',
	};
	const workspace = await discoverWorkspace(root, {version: 1, allocations: [allocation]});
	const names = Object.fromEntries(workspace.models.flatMap(m => m.apps).map(a => [a.id, a.projectName]));
	assert.equal(names['rtcol.x/app1'], 'rtcol-x-app1');
	assert.match(names['rtcol-x/app1']!, /^rtcol-x_[0-9a-f]{8}-app1$/);
});

test('the rule does not depend on the order in which apps and models are known', () => {
	const apps: AppRef[] = ['a.b', 'a-b', 'a_b', 'a--b', 'a-b-', 'ab', 'a.b.c', 'a-b-c'].flatMap(model => [1, 2].map(number => ({model, number})));
	const resolveAll = (order: AppRef[]) => {
		const index = new ProjectNameIndex();
		for (const app of order) index.addApp(app, null);
		return new Map(order.map(app => [`${app.model}/app${app.number}`, resolveProjectName(app, {}, [index])]));
	};
	const first = resolveAll(apps);
	assert.equal(new Set(first.values()).size, apps.length);
	assert.equal(first.get('a-b/app1'), 'a-b-app1');
	for (let round = 0; round < 20; round++) {
		const shuffled = [...apps].sort(() => Math.random() - 0.5);
		assert.deepEqual(new Map([...resolveAll(shuffled)].sort()), new Map([...first].sort()));
	}
});

/**
 * Model ids built to collide: a few stems whose separators are each written as ".", "_", "-" or a run of
 * them (so "rt-x", "rt.x", "rt_x", "rt--x", "rt-x." all share the base "rt-x"), plus any valid id.
 */
const separator = fc.constantFrom('.', '_', '-', '--', '-.', '._', '_-');
const modelId = fc
	.oneof(
		{
			weight: 4,
			arbitrary: fc
				.tuple(
					fc.constantFrom(['rt', 'x'], ['a', 'b', 'c'], ['x1'], ['rt', 'x', 'app1']),
					fc.array(separator, {minLength: 3, maxLength: 3}),
					fc.constantFrom('', '.', '-', '_'),
				)
				.map(([parts, seps, tail]) => parts.map((part, i) => (i === 0 ? part : seps[i - 1] + part)).join('') + tail),
		},
		{weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/)},
	)
	.filter(id => modelIdProblem(id) === null);

test('property: any set of valid model ids gets distinct, valid compose project names, with and without pins', () => {
	fc.assert(
		fc.property(
			fc.uniqueArray(fc.tuple(modelId, fc.integer({min: 1, max: 3})), {selector: ([m, n]) => `${m}/${n}`, minLength: 1, maxLength: 12}),
			fc.integer({min: 0, max: 12}),
			(pairs, allocated) => {
				const apps = pairs.map(([model, number]) => ({model, number}));
				// The first `allocated` apps are allocated one after the other (the store pins each name);
				// the rest are app folders of the apps root with no name pinned.
				const store = new ProjectNameIndex();
				const rootIndex = new ProjectNameIndex();
				for (const app of apps.slice(allocated)) rootIndex.addApp(app, null);
				const given: string[] = [];
				for (const app of apps.slice(0, allocated)) {
					const name = resolveProjectName(app, {}, [store, rootIndex], {fresh: true});
					store.addApp(app, name);
					given.push(name);
				}
				for (const app of apps.slice(allocated)) given.push(resolveProjectName(app, {}, [store, rootIndex]));
				assert.equal(new Set(given).size, given.length, JSON.stringify(apps.map((a, i) => [a.model, a.number, given[i]])));
				for (const name of given) assert.match(name, PROJECT_NAME_PATTERN);
			},
		),
		{numRuns: 500},
	);
});
