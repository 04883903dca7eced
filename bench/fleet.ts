// Benchmark: a fleet over several engines (issue 13, item 8). In one run, on the engines .ci/engines.sh
// starts (berth-e1, berth-e2) and the local one:
// 1. BENCH_STACKS (default 30) small stacks (busybox httpd with a health check + a worker) brought up with
//    --wait by berth's bulk `up`, on 1 engine and spread over 3, next to a plain shell loop of
//    `docker compose up -d --wait` doing the same work one app at a time (what a script does), and next
//    to the same loop run as one background job per app (the fastest a shell gets); berth's overhead
//    per app over the plain loop;
// 2. event latency per engine: a container killed -> the line of `berth ps --watch`, next to the line
//    of that engine's own `docker events` (both started before the kill), median of BENCH_ROUNDS (5).
// 3. idle cost per engine: Engine API requests per minute while `berth ps --watch` follows one running
//    stack on each engine and nothing happens (target: zero), counted by a proxy in front of each engine
//    (a unix socket for the local one, tcp for the others) over BENCH_IDLE_SECONDS (default 60).
// Run: npm run build && node --import tsx bench/fleet.ts   (or deno run -A bench/fleet.ts)
// BENCH_PARTS=up,events,idle picks the parts. Needs the extra engines (bash .ci/engines.sh start).
import {mkdtemp, rm} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {isDeno, ROOT, runtimeCommand} from '../test/helpers/runtime.ts';
import {TEST_ENGINES} from '../test/helpers/engines.ts';
import {writeTestCompose} from '../test/integration/stack.ts';

const PARTS = (process.env['BENCH_PARTS'] ?? 'up,events,idle').split(',').map(s => s.trim());
const STACKS = Number(process.env['BENCH_STACKS'] ?? 30);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
/** BENCH_CONCURRENCY=4,8: berth's bulk up also at these --concurrency values, beside its default. */
const CONCURRENCY = (process.env['BENCH_CONCURRENCY'] ?? '').split(',').filter(Boolean).map(Number);
const ENGINES = [{name: 'default', host: null as string | null}, ...TEST_ENGINES.map(e => ({name: e.name as string, host: e.host as string | null}))];

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const [berthFile, berthPrefix] = isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];

interface Fleet {
	dir: string;
	env: Record<string, string>;
	apps: {id: string; dir: string; project: string; engine: string; host: string | null}[];
}

/** `count` apps, placed round-robin on `engines`, each publishing its own port on 127.0.0.1. */
async function makeFleet(name: string, count: number, engines: typeof ENGINES): Promise<Fleet> {
	const dir = await mkdtemp(path.join(os.tmpdir(), `berth-fleet-${name}-`));
	const env = {BERTH_ROOT: path.join(dir, 'apps'), BERTH_STORE: path.join(dir, 'ports.json'), NO_COLOR: '1'};
	const apps: Fleet['apps'] = [];
	for (let i = 0; i < count; i++) {
		const engine = engines[i % engines.length]!;
		const id = `${name}/app${i + 1}`;
		const result = await execa(
			berthFile,
			[...berthPrefix, 'ports', 'allocate', id, '--engine', engine.name, '--slot', `backend=${30_001 + 2 * i}:2`, '--json'],
			{env},
		);
		const {ports, projectName} = JSON.parse(result.stdout) as {ports: {backend: number}; projectName: string};
		const appDir = path.join(env.BERTH_ROOT, name, `app${i + 1}`);
		await writeTestCompose(appDir, ports.backend);
		apps.push({id, dir: appDir, project: projectName, engine: engine.name, host: engine.host});
	}
	return {dir, env, apps};
}

async function teardown(fleet: Fleet): Promise<void> {
	await Promise.all(
		fleet.apps.map(app =>
			execa('docker', [...(app.host ? ['--host', app.host] : []), 'compose', '-p', app.project, 'down', '-t', '0'], {cwd: app.dir, reject: false}),
		),
	);
}

/** Wall time of `run`, the fleet torn down afterwards (untimed). */
async function timed(fleet: Fleet, run: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await run();
	const took = performance.now() - start;
	await teardown(fleet);
	return took;
}

const composeUp = (app: Fleet['apps'][number]) =>
	execa('docker', [...(app.host ? ['--host', app.host] : []), 'compose', '-p', app.project, 'up', '-d', '--wait'], {cwd: app.dir});

async function upPart(): Promise<void> {
	console.log(`\n== bulk up --wait of ${STACKS} stacks (median of ${Math.max(1, Math.floor(ROUNDS / 2))} rounds, interleaved)`);
	for (const spread of [1, 3]) {
		const fleet = await makeFleet(`fleet${spread}`, STACKS, ENGINES.slice(0, spread));
		const times: Record<string, number[]> = {berth: [], loop: [], parallel: []};
		try {
			for (let round = 0; round < Math.max(1, Math.floor(ROUNDS / 2)); round++) {
				times['berth']!.push(await timed(fleet, () => execa(berthFile, [...berthPrefix, 'up', '--all', '--wait', '--json'], {env: fleet.env})));
				for (const n of CONCURRENCY) {
					const took = await timed(fleet, () =>
						execa(berthFile, [...berthPrefix, 'up', '--all', '--wait', '--json', '--concurrency', String(n)], {env: fleet.env}),
					);
					times[`berth-${n}`] = [...(times[`berth-${n}`] ?? []), took];
				}
				times['loop']!.push(
					await timed(fleet, async () => {
						for (const app of fleet.apps) await composeUp(app);
					}),
				);
				times['parallel']!.push(await timed(fleet, () => Promise.all(fleet.apps.map(composeUp))));
			}
		} finally {
			await teardown(fleet);
			await rm(fleet.dir, {recursive: true, force: true});
		}
		const [berth, loop, parallel] = [median(times['berth']!), median(times['loop']!), median(times['parallel']!)];
		console.log(`${STACKS} stacks on ${spread} engine${spread === 1 ? '' : 's'}:`);
		console.log(`  berth up --all --wait          ${seconds(berth)}`);
		console.log(
			`  shell loop, one at a time      ${seconds(loop)}   berth is ${(loop / berth).toFixed(2)}x faster; per app ${((berth - loop) / STACKS).toFixed(0)} ms over the loop's`,
		);
		console.log(`  shell, every app at once (&)   ${seconds(parallel)}   berth / that = ${(berth / parallel).toFixed(2)}x`);
		for (const n of CONCURRENCY) {
			const t = median(times[`berth-${n}`]!);
			console.log(`  berth --concurrency ${String(n).padEnd(3)}       ${seconds(t)}   / every app at once = ${(t / parallel).toFixed(2)}x`);
		}
	}
}

/** Resolves with the time (performance.now()) the first line of `lines` matching `match` arrived. */
function firstLine(child: ReturnType<typeof execa>, match: (line: string) => boolean): Promise<number> {
	return new Promise((resolve, reject) => {
		let partial = '';
		const timer = setTimeout(() => reject(new Error('no matching line within 30 s')), 30_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			const now = performance.now();
			const parts = (partial + String(chunk)).split('\n');
			partial = parts.pop() ?? '';
			if (parts.some(match)) {
				clearTimeout(timer);
				resolve(now);
			}
		});
	});
}

async function eventsPart(): Promise<void> {
	console.log(`\n== event latency per engine: a container killed -> the line (median of ${ROUNDS})`);
	const fleet = await makeFleet('events', ENGINES.length, ENGINES);
	try {
		await Promise.all(fleet.apps.map(composeUp));
		for (const app of fleet.apps) {
			const berthMs: number[] = [];
			const dockerMs: number[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				const watch = execa(berthFile, [...berthPrefix, 'ps', '--watch', '--json'], {env: fleet.env, buffer: false, reject: false});
				const events = execa(
					'docker',
					[...(app.host ? ['--host', app.host] : []), 'events', '--filter', `label=com.docker.compose.project=${app.project}`, '--filter', 'event=die'],
					{
						buffer: false,
						reject: false,
					},
				);
				await sleep(2500); // both attached
				const berthSaw = firstLine(watch, line => line.includes(`"id":"${app.id}"`) && /"state":"(partial|stopped|error|crash-loop)"/.test(line));
				const dockerSaw = firstLine(events, line => line.includes('die'));
				const killed = performance.now();
				await execa('docker', [...(app.host ? ['--host', app.host] : []), 'kill', `${app.project}-worker-1`]);
				const [b, d] = await Promise.all([berthSaw, dockerSaw]);
				berthMs.push(b - killed);
				dockerMs.push(d - killed);
				watch.kill('SIGTERM');
				events.kill('SIGTERM');
				await execa('docker', [...(app.host ? ['--host', app.host] : []), 'start', `${app.project}-worker-1`]);
			}
			const [b, d] = [median(berthMs), median(dockerMs)];
			console.log(`  ${app.engine.padEnd(9)} berth ps --watch ${b.toFixed(0)} ms   docker events ${d.toFixed(0)} ms   berth +${(b - d).toFixed(0)} ms`);
		}
	} finally {
		await teardown(fleet);
		await rm(fleet.dir, {recursive: true, force: true});
	}
}

/**
 * A proxy in front of an engine that counts the HTTP requests clients send through it (request lines at
 * the start of the client's bytes; a long-lived events stream is one request).
 */
async function countingProxy(listenOn: string | number, upstream: {path: string} | {host: string; port: number}) {
	const times: number[] = [];
	const server = net.createServer(client => {
		const engine = net.connect(upstream as net.NetConnectOpts);
		client.on('data', (chunk: Buffer) => {
			const text = chunk.toString('latin1');
			for (const _ of text.matchAll(/(?:^|\r\n)(?:GET|POST|HEAD|PUT|DELETE) \/[^ ]* HTTP\/1\.[01]\r\n/g)) times.push(performance.now());
		});
		client.pipe(engine).pipe(client);
		const close = () => {
			client.destroy();
			engine.destroy();
		};
		client.on('error', close);
		engine.on('error', close);
		client.on('close', close);
		engine.on('close', close);
	});
	await new Promise<void>(resolve => (typeof listenOn === 'number' ? server.listen(listenOn, '127.0.0.1', resolve) : server.listen(listenOn, resolve)));
	const port = typeof listenOn === 'number' ? (server.address() as net.AddressInfo).port : 0;
	return {port, times, close: () => new Promise(resolve => server.close(resolve))};
}

async function idlePart(): Promise<void> {
	const idleSeconds = Number(process.env['BENCH_IDLE_SECONDS'] ?? 60);
	console.log(`\n== idle cost: Engine requests while berth ps --watch follows 1 running stack per engine and nothing happens (${idleSeconds} s)`);
	const fleet = await makeFleet('idle', ENGINES.length, ENGINES);
	const config = await mkdtemp(path.join(os.tmpdir(), 'berth-idle-config-'));
	const proxies: {name: string; proxy: Awaited<ReturnType<typeof countingProxy>>}[] = [];
	try {
		await Promise.all(fleet.apps.map(composeUp));
		// Every engine behind a counting proxy: the local one as a unix socket (DOCKER_HOST), the others as contexts.
		const socket = path.join(config, 'docker.sock');
		proxies.push({name: 'default', proxy: await countingProxy(socket, {path: '/var/run/docker.sock'})});
		for (const engine of TEST_ENGINES) {
			const proxy = await countingProxy(0, {host: engine.address, port: 2375});
			proxies.push({name: engine.name, proxy});
			await execa('docker', ['context', 'create', engine.name, '--docker', `host=tcp://127.0.0.1:${proxy.port}`], {env: {DOCKER_CONFIG: config}});
		}
		const watch = execa(berthFile, [...berthPrefix, 'ps', '--watch', '--json'], {
			env: {...fleet.env, DOCKER_CONFIG: config, DOCKER_HOST: `unix://${socket}`},
			buffer: false,
			reject: false,
		});
		let seen = '';
		watch.stdout!.on('data', (chunk: Buffer) => {
			seen += String(chunk);
		});
		let problems = '';
		watch.stderr!.on('data', (chunk: Buffer) => {
			problems += String(chunk);
		});
		await sleep(10_000); // attached, first snapshot drawn
		// Each app's state as the watch saw it through the proxies: a count of zero must not mean "not asked".
		const latest = new Map<string, string>();
		for (const line of seen.split('\n').filter(Boolean)) {
			const event = JSON.parse(line) as {type: string; id?: string; engine?: string; state?: string};
			if (event.type === 'app' && event.id) latest.set(event.id, `${event.engine} ${event.state}`);
		}
		const states = [...latest.values()];
		console.log(`  the watch sees: ${states.join(', ') || 'nothing'}${problems ? `; it said: ${problems.trim().split('\n')[0]}` : ''}`);
		const from = performance.now();
		await sleep(idleSeconds * 1000);
		const to = performance.now();
		watch.kill('SIGTERM');
		await watch;
		for (const {name, proxy} of proxies) {
			const idle = proxy.times.filter(t => t >= from && t < to).length;
			const perMinute = (idle * 60) / idleSeconds;
			console.log(
				`  ${name.padEnd(9)} ${String(proxy.times.filter(t => t < from).length).padStart(3)} requests to attach, ${idle} while idle = ${perMinute.toFixed(1)}/min   target 0/min: ${idle === 0 ? 'met' : 'MISSED'}`,
			);
		}
	} finally {
		for (const {proxy} of proxies) await proxy.close();
		await teardown(fleet);
		await rm(fleet.dir, {recursive: true, force: true});
		await rm(config, {recursive: true, force: true});
	}
}

console.log(
	`bench/fleet on ${isDeno ? `Deno ${(process.versions as Record<string, string | undefined>)['deno']}` : `Node ${process.versions.node}`}, ${os.cpus().length} CPUs; engines: ${ENGINES.map(e => e.name).join(', ')}`,
);
if (PARTS.includes('up')) await upPart();
if (PARTS.includes('events')) await eventsPart();
if (PARTS.includes('idle')) await idlePart();
