import assert from 'node:assert/strict';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {test} from 'node:test';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {isDeno} from '../helpers/runtime.ts';

interface Allocated {
	app: string;
	model: string;
	number: number;
	projectName: string;
	ports: Record<string, number>;
}

test('allocating m1/app1..3 then m2/app1..3 gives each pair its own ports, 5001/8001 up to 5011/8011', async () => {
	const store = path.join(await tempDir(), 'ports.json');
	const got: Allocated[] = [];
	for (const model of ['m1', 'm2']) {
		for (const n of [1, 2, 3]) {
			const result = await runCli(['ports', 'allocate', `${model}/app${n}`, '--json', '--store', store]);
			assert.equal(result.exitCode, 0, result.stderr);
			got.push(parseJson<Allocated>(result));
		}
	}
	assert.deepEqual(
		got.map(a => [a.app, a.ports['backend'], a.ports['frontend']]),
		[
			['m1/app1', 5001, 8001],
			['m1/app2', 5003, 8003],
			['m1/app3', 5005, 8005],
			['m2/app1', 5007, 8007],
			['m2/app2', 5009, 8009],
			['m2/app3', 5011, 8011],
		],
	);
	assert.deepEqual(got[0], {
		app: 'm1/app1',
		model: 'm1',
		number: 1,
		projectName: 'm1-app1',
		ports: {backend: 5001, frontend: 8001},
		engine: 'default',
		created: true,
	});
	// Idempotent: asking again returns the same ports and writes nothing.
	const before = await readFile(store, 'utf8');
	const again = parseJson<Allocated>(await runCli(['ports', 'allocate', 'm2/app1', '--json', '--store', store]));
	assert.deepEqual(again.ports, {backend: 5007, frontend: 8007});
	assert.equal(await readFile(store, 'utf8'), before);

	const list = parseJson<{allocations: {id: string}[]}>(await runCli(['ports', 'list', '--json', '--store', store]));
	assert.equal(list.allocations.length, 6);

	const released = await runCli(['ports', 'release', 'm1/app2', '--store', store]);
	assert.equal(released.exitCode, 0);
	assert.match(released.stdout, /released m1\/app2: backend=5003 frontend=8003/);
	const reused = parseJson<Allocated>(await runCli(['ports', 'allocate', 'm3/app1', '--json', '--store', store]));
	assert.deepEqual(reused.ports, {backend: 5003, frontend: 8003});
	const none = await runCli(['ports', 'release', 'm9/app9', '--store', store]);
	assert.equal(none.exitCode, 1);
	assert.match(none.stderr, /has no allocation/);
});

test('custom slots from --slot', async () => {
	const store = path.join(await tempDir(), 'ports.json');
	const result = parseJson<Allocated>(
		await runCli(['ports', 'allocate', 'm/app1', '--slot', 'api=44001:10', '--slot', 'db=45001:10', '--json', '--store', store]),
	);
	assert.deepEqual(result.ports, {api: 44_001, db: 45_001});
	const bad = await runCli(['ports', 'allocate', 'm/app2', '--slot', 'api=80', '--store', store]);
	assert.equal(bad.exitCode, 2);
	assert.match(bad.stderr, /1024\.\.65535/);
});

test('a corrupt store: exit 1, the file named, the file unchanged', async () => {
	const store = path.join(await tempDir(), 'ports.json');
	await writeFile(store, 'not json{');
	for (const args of [['ports', 'allocate', 'm/app1'], ['ports', 'list'], ['ls'], ['ports', 'release', 'm/app1']]) {
		const result = await runCli([...args, '--store', store]);
		assert.equal(result.exitCode, 1, args.join(' '));
		assert.ok(result.stderr.includes(store), result.stderr);
		assert.match(result.stderr, /corrupt/);
	}
	assert.equal(await readFile(store, 'utf8'), 'not json{');
});

test('ports check names duplicates, a foreign listener with its process, and clashing fixed compose ports', async () => {
	const dir = await tempDir();
	const store = path.join(dir, 'ports.json');
	const root = path.join(dir, 'apps');
	const ok = await runCli(['ports', 'check', '--store', store, '--root', root]);
	assert.equal(ok.exitCode, 0);
	assert.match(ok.stdout, /No port conflicts/);

	const allocation = (model: string, app: number, ports: Record<string, number>) => ({
		model,
		app,
		ports,
		projectName: `${model}-app${app}`,
		appPath: path.join(root, model, `app${app}`),
		createdAt: '2026-01-01T00:00:00.000Z',
	});
	await writeFile(
		store,
		JSON.stringify({
			version: 1,
			allocations: [allocation('a', 1, {backend: 46_001}), allocation('b', 1, {backend: 46_001}), allocation('c', 1, {backend: 46_003})],
		}),
	);
	for (const app of ['a/app1', 'b/app1']) {
		await mkdir(path.join(root, app), {recursive: true});
		await writeFile(path.join(root, app, 'docker-compose.yml'), 'services:\n  web:\n    image: x\n    ports:\n      - "127.0.0.1:46100:80"\n');
	}
	await mkdir(path.join(root, 'c/app1'), {recursive: true});
	await writeFile(
		path.join(root, 'c/app1', 'compose.yaml'),
		'services:\n  web:\n    image: x\n    environment:\n      URL: http://localhost:${BACKEND_PORT}\n    ports:\n      - "46001:80"\n',
	);
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(46_003, '127.0.0.1', resolve));
	try {
		const result = await runCli(['ports', 'check', '--store', store, '--root', root, '--json']);
		assert.equal(result.exitCode, 1);
		const report = parseJson<{ok: boolean; conflicts: {kind: string; port: number; message: string}[]}>(result);
		assert.equal(report.ok, false);
		const byKind = (kind: string) => report.conflicts.filter(c => c.kind === kind);
		assert.deepEqual(
			byKind('duplicate-allocation').map(c => c.port),
			[46_001],
		);
		const bound = byKind('bound-by-process');
		assert.deepEqual(
			bound.map(c => c.port),
			[46_003],
		);
		// The listener is this test process: the OS tells its pid and name. Under Deno's task permissions
		// /proc needs --allow-all, so berth cannot ask: it says so instead of naming a wrong holder.
		if (isDeno) assert.match(bound[0]!.message, /in use by another program \(the OS did not say which\)/);
		else {
			assert.ok(bound[0]!.message.includes(`process ${process.pid} (`), bound[0]!.message);
			assert.match(bound[0]!.message, /node|MainThread/);
		}
		const fixed = byKind('compose-fixed-port');
		assert.deepEqual(
			fixed.map(c => c.port),
			[46_001, 46_100],
		);
		assert.match(fixed[1]!.message, /^port 46100\/tcp is published by 2 apps: a\/app1 \(service web, 127\.0\.0\.1\), b\/app1 \(service web, 127\.0\.0\.1\)$/);
		assert.match(fixed[0]!.message, /^port 46001\/tcp is published by c\/app1 \(service web\) but is allocated to a\/app1, b\/app1$/);
		// compose's remark on the unset variable is a warning naming the file, not raw output.
		const warnings = parseJson<{warnings: {kind: string; file?: string; message: string}[]}>(result).warnings;
		assert.ok(
			warnings.some(w => w.kind === 'compose-file' && w.file === path.join(root, 'c/app1', 'compose.yaml') && /BACKEND_PORT/.test(w.message)),
			JSON.stringify(warnings),
		);
	} finally {
		server.close();
	}
});
