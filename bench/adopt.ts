// Benchmark: reading 200 compose apps nobody on the team wrote (issue 10, items 2 and 9). In one run, on
// 200 generated apps (10 models x 20: web + db stacks with fixed ports, some from `.env` variables, some
// with a user override file, long syntax, profiles, merge keys) under a temp apps root and store:
// 1. `berth ls` and `berth ports check`, cold (the model cache folder removed) and warm (second run),
//    median of BENCH_RUNS rounds, for this tree and for the tree before compose became the parser
//    (BENCH_BEFORE, default 0e0c767: exported with `git archive` into a temp folder, node_modules
//    linked, built with tsc under Node; Deno runs its source), interleaved so load hits both alike;
// 2. one `docker compose config -q` in one app folder in the same rounds: the cost of asking compose once;
// 3. after 3 apps' `.env` change, how many apps `ls` re-reads (the count berth prints);
// 4. `berth adopt --all`, total and per app, when this tree has the command.
// Run: node --import tsx bench/adopt.ts (after `npm run build`: Node runs dist/cli.js) or
// deno run -A bench/adopt.ts (Deno runs source/cli.tsx with berth's permissions).
// Target (issue 10): warm `ls` on 200 apps < 2x its time before this change; `ls` re-reads exactly the changed apps.
import {execFileSync} from 'node:child_process';
import {existsSync, realpathSync} from 'node:fs';
import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {execa} from 'execa';
import {DENO_PERMISSIONS, isDeno, ROOT} from '../test/helpers/runtime.ts';
import {modelCacheDir} from '../source/core/compose/model-load.ts';

declare const Deno: {execPath(): string; version: {deno: string}} | undefined;

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const BEFORE = process.env['BENCH_BEFORE'] ?? '0e0c767';
const MODELS = 10;
const APPS_PER_MODEL = 20;
const CHANGED = 3;
const runtime = isDeno ? `Deno ${Deno!.version.deno}` : `Node ${process.versions.node}`;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;

/**
 * The files of app `i` (0-based over the fleet): five shapes of small real-world stacks, all publishing
 * fixed host ports (so many apps collide, as a folder of other people's apps does).
 */
function appFiles(i: number): Record<string, string> {
	const tag = `v1.${i}`;
	switch (i % 5) {
		case 0:
			return {
				'docker-compose.yml': `services:
  web:
    image: nginx:1.25
    ports:
      - "8080:80"
    depends_on: [db]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
    ports:
      - "5432:5432"
    volumes:
      - db-data:/var/lib/postgresql/data
volumes:
  db-data:
`,
			};
		case 1:
			return {
				'compose.yaml': `services:
  app:
    image: ghcr.io/example/app:\${APP_TAG:-latest}
    ports:
      - "\${HTTP_PORT:-8000}:8000"
    environment:
      REDIS_URL: redis://cache:6379
  cache:
    image: redis:7
    ports:
      - "6379:6379"
`,
				'.env': `APP_TAG=${tag}\nHTTP_PORT=${8000 + (i % 40)}\n`,
			};
		case 2:
			return {
				'docker-compose.yml': `services:
  api:
    image: node:22-alpine
    command: ["node", "server.js"]
    ports:
      - target: 3000
        published: "3000"
        protocol: tcp
        host_ip: 127.0.0.1
`,
				'docker-compose.override.yml': `services:
  api:
    environment:
      NODE_ENV: development
    ports:
      - "9229:9229"
`,
			};
		case 3:
			return {
				'compose.yml': `services:
  dns:
    image: coredns/coredns:1.11.1
    ports:
      - "5353:53/udp"
      - "5353:53/tcp"
  admin:
    image: example/admin:\${ADMIN_TAG}
    profiles: [debug]
    ports:
      - "\${ADMIN_PORT:-8081}:80"
`,
				'.env': `ADMIN_TAG=${tag}\nADMIN_PORT=${8100 + (i % 50)}\n`,
			};
		default:
			return {
				'compose.yaml': `x-common: &common
  restart: unless-stopped
  logging:
    driver: json-file
services:
  minio:
    <<: *common
    image: minio/minio:latest
    command: server /data --console-address ":9001"
    container_name: minio
    ports:
      - "127.0.0.1:9000:9000"
      - "127.0.0.1:9001:9001"
  worker:
    <<: *common
    image: example/worker:${tag}
`,
			};
	}
}

async function generateApps(root: string): Promise<string[]> {
	const withEnv: string[] = [];
	for (let m = 0; m < MODELS; m++) {
		for (let a = 0; a < APPS_PER_MODEL; a++) {
			const i = m * APPS_PER_MODEL + a;
			const dir = path.join(root, `model-${String(m + 1).padStart(2, '0')}`, `app${a + 1}`);
			await mkdir(dir, {recursive: true});
			const files = appFiles(i);
			for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
			if ('.env' in files) withEnv.push(dir);
		}
	}
	return withEnv;
}

interface Tree {
	label: string;
	command: [string, string[]];
}

/** berth of a source tree: Deno runs its source with berth's permissions, Node its compiled dist/. */
function treeCommand(dir: string): [string, string[]] {
	if (isDeno) return [Deno!.execPath(), ['run', ...DENO_PERMISSIONS, '--quiet', path.join(dir, 'source', 'cli.tsx')]];
	return [process.execPath, [path.join(dir, 'dist', 'cli.js')]];
}

/** The tree at `commit`, exported into `dir` (no git worktree to clean up), node_modules linked, built for Node. */
async function beforeTree(commit: string, dir: string): Promise<void> {
	const archive = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', commit], {maxBuffer: 256 * 1024 * 1024});
	execFileSync('tar', ['-x', '-C', dir], {input: archive});
	await symlink(realpathSync(path.join(ROOT, 'node_modules')), path.join(dir, 'node_modules'));
	if (!isDeno) await execa(process.execPath, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {cwd: dir});
}

interface Run {
	ms: number;
	exitCode: number;
	stdout: string;
	stderr: string;
}

let env: NodeJS.ProcessEnv = {};

async function berth(tree: Tree, args: string[], cwd = ROOT): Promise<Run> {
	const start = performance.now();
	const result = await execa(tree.command[0], [...tree.command[1], ...args], {cwd, env, reject: false});
	return {ms: performance.now() - start, exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)};
}

/** The count `ls` prints of apps it re-read ("re-read N", or `reread` in --json); `null`: this tree does not say. */
function rereadCount(run: Run): number | null {
	try {
		const data = JSON.parse(run.stdout) as {reread?: unknown; compose?: {reread?: unknown}};
		const count = data.compose?.reread ?? data.reread;
		if (typeof count === 'number') return count;
	} catch {
		// text output
	}
	const match = /re-?read (\d+)|(\d+) (?:apps? )?re-?read/i.exec(`${run.stdout}\n${run.stderr}`);
	return match ? Number(match[1] ?? match[2]) : null;
}

function expectExit(run: Run, codes: number[], what: string): void {
	if (!codes.includes(run.exitCode)) {
		throw new Error(`${what} exited ${run.exitCode}:\n${run.stderr.slice(0, 2000) || run.stdout.slice(0, 2000)}`);
	}
}

const temp = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-adopt-'));
try {
	const root = path.join(temp, 'apps');
	const storeFile = path.join(temp, 'data', 'ports.json');
	const cacheDir = modelCacheDir(storeFile);
	await mkdir(path.dirname(storeFile), {recursive: true});
	env = {...process.env, BERTH_ROOT: root, BERTH_STORE: storeFile, NO_COLOR: '1'};
	const withEnv = await generateApps(root);
	const apps = MODELS * APPS_PER_MODEL;

	console.log(`berth bench/adopt — ${runtime}, ${apps} compose apps (${MODELS} models x ${APPS_PER_MODEL}), ${RUNS} rounds, median`);
	const beforeDir = path.join(temp, 'before');
	await mkdir(beforeDir);
	const buildStart = performance.now();
	await beforeTree(BEFORE, beforeDir);
	console.log(`tree before: ${BEFORE} (exported${isDeno ? '' : ' and built'} in ${((performance.now() - buildStart) / 1000).toFixed(1)} s)\n`);
	const now: Tree = {label: 'this tree', command: treeCommand(ROOT)};
	const before: Tree = {label: `before (${BEFORE})`, command: treeCommand(beforeDir)};
	if (!isDeno && !existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');

	// Warm-up (Deno compiles each tree once; the page cache takes the app files) and a sanity check.
	for (const tree of [before, now]) {
		const run = await berth(tree, ['ls']);
		expectExit(run, [0], `${tree.label}: berth ls`);
		if (!run.stdout.includes(`${apps} apps`)) throw new Error(`${tree.label}: berth ls does not list ${apps} apps:\n${run.stdout.slice(0, 500)}`);
	}

	const commands: Array<[string, string[]]> = [
		['ls', ['ls']],
		['ports check', ['ports', 'check']],
	];
	const times = new Map<string, number[]>();
	const record = (key: string, value: number) => times.set(key, [...(times.get(key) ?? []), value]);
	const composeDir = path.join(root, 'model-01', 'app2'); // .env and two services: a typical app
	for (let round = 0; round < RUNS; round++) {
		for (const tree of [before, now]) {
			for (const [name, args] of commands) {
				await rm(cacheDir, {recursive: true, force: true});
				const cold = await berth(tree, args);
				// ports check exits 1: the apps share fixed ports, as such a folder does.
				expectExit(cold, [0, 1], `${tree.label}: berth ${name}`);
				record(`${tree.label}|${name}|cold`, cold.ms);
				const warm = await berth(tree, args);
				expectExit(warm, [0, 1], `${tree.label}: berth ${name}`);
				record(`${tree.label}|${name}|warm`, warm.ms);
			}
		}
		const start = performance.now();
		await execa('docker', ['compose', 'config', '-q'], {cwd: composeDir, env});
		record('compose', performance.now() - start);
	}
	const m = (key: string) => median(times.get(key) ?? [Number.NaN]);
	const compose = m('compose');
	console.log(`docker compose config -q, one app:  ${ms(compose)}`);
	console.log('\n                         cold cache        warm cache');
	for (const [name] of commands) {
		for (const tree of [before, now]) {
			const cold = m(`${tree.label}|${name}|cold`);
			const warm = m(`${tree.label}|${name}|warm`);
			const ratios = `(${(cold / compose).toFixed(1)}x / ${(warm / compose).toFixed(1)}x compose config)`;
			console.log(`  ${`${name}, ${tree.label}`.padEnd(26)} ${ms(cold)}          ${ms(warm)}   ${ratios}`);
		}
		const ratio = m(`${now.label}|${name}|warm`) / m(`${before.label}|${name}|warm`);
		const verdict = name === 'ls' ? `  (target < 2x: ${ratio < 2 ? 'met' : 'MISSED'})` : '';
		console.log(`  ${name}: warm, this tree / before = ${ratio.toFixed(2)}x${verdict}`);
		console.log(`  ${name}: cold, this tree / before = ${(m(`${now.label}|${name}|cold`) / m(`${before.label}|${name}|cold`)).toFixed(2)}x\n`);
	}

	// Changed .env files: only those apps are asked again.
	await berth(now, ['ls']); // warm
	for (const [k, dir] of withEnv.slice(0, CHANGED).entries()) {
		await writeFile(path.join(dir, '.env'), `APP_TAG=v2\nHTTP_PORT=${7000 + k}\nADMIN_TAG=v2\nADMIN_PORT=${7100 + k}\n`);
	}
	const changed = await berth(now, ['ls']);
	const count = rereadCount(changed);
	const again = rereadCount(await berth(now, ['ls']));
	if (count === null) console.log(`after ${CHANGED} .env files changed: ls does not say how many apps it re-read in this tree`);
	else {
		console.log(
			`after ${CHANGED} .env files changed: ls re-read ${count} apps (${count === CHANGED ? 'exactly the changed ones' : `EXPECTED ${CHANGED}`}), ${ms(changed.ms).trim()}; next ls re-read ${again}`,
		);
	}

	// adopt --all, once the command exists in this tree.
	const help = await berth(now, ['--help']);
	if (!/^\s+adopt\s/m.test(help.stdout)) console.log('adopt: not available in this tree');
	else {
		const first = await berth(now, ['adopt', '--all']);
		expectExit(first, [0, 1], 'berth adopt --all');
		const second = await berth(now, ['adopt', '--all']);
		expectExit(second, [0, 1], 'berth adopt --all (again)');
		// What a user sees next: how many apps ls shows as adopted, and what it re-read (each app's ports changed).
		const after = await berth(now, ['ls', '--json']);
		expectExit(after, [0], 'berth ls --json after adopt');
		const listed = JSON.parse(after.stdout) as {models: {apps: {adopted?: boolean}[]}[]};
		const adopted = listed.models.flatMap(model => model.apps).filter(app => app.adopted).length;
		console.log(
			`adopt --all: ${ms(first.ms).trim()} total, ${(first.ms / apps).toFixed(1)} ms per app (exit ${first.exitCode}); again (idempotent): ${ms(second.ms).trim()}, ${(second.ms / apps).toFixed(1)} ms per app`,
		);
		console.log(`ls after adopt: ${adopted} of ${apps} apps adopted, ${rereadCount(after)} re-read, ${ms(after.ms).trim()}`);
	}
} finally {
	await rm(temp, {recursive: true, force: true});
}
