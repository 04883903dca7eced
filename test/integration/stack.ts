import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa, type ResultPromise} from 'execa';
import {TEST_IMAGE} from '../helpers/docker.ts';
import {isDeno, ROOT, runtimeCommand} from '../helpers/runtime.ts';
import {parseJson, runCli, type CliResult} from '../helpers/cli.ts';
import type {AppStatus, FleetStatus} from '../../source/core/compose/types.ts';

/** A test workspace: its own apps root and port store. */
export interface Workspace {
	root: string;
	store: string;
	env: Record<string, string>;
	cli(args: string[], options?: {timeout?: number}): Promise<CliResult>;
}

export function workspace(dir: string): Workspace {
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const env = {BERTH_ROOT: root, BERTH_STORE: store};
	return {root, store, env, cli: (args, options = {}) => runCli(args, {env, timeout: options.timeout})};
}

/** A base port for this run: tests of several runs on one machine must not reach for the same ports. */
export function randomBase(): number {
	return 20_001 + 2 * Math.floor(Math.random() * 10_000);
}

/** The test-only flavour: busybox httpd `web` (health check, backend port) + `worker` printing a line a second. */
export const TEST_PLUGIN = path.join(ROOT, 'test', 'fixtures', 'plugins', 'busybox-test');

/**
 * Scaffolds an app with `berth new --flavour busybox-test`, its backend port allocated first from a
 * random base (so test runs on one machine do not reach for the same ports).
 */
export async function scaffoldApp(ws: Workspace, app: string, base = randomBase()): Promise<{port: number; projectName: string; dir: string}> {
	const allocated = await ws.cli(['ports', 'allocate', app, '--slot', `backend=${base}:2`, '--json']);
	if (allocated.exitCode !== 0) throw new Error(`ports allocate failed: ${allocated.stderr}`);
	const created = await ws.cli(['new', app, '--flavour', 'busybox-test', '--plugin', TEST_PLUGIN, '--json']);
	if (created.exitCode !== 0) throw new Error(`berth new failed: ${created.stderr}${created.stdout}`);
	const result = parseJson<{dir: string; projectName: string; ports: {backend: number}}>(created);
	return {port: result.ports.backend, projectName: result.projectName, dir: result.dir};
}

/**
 * Writes an app by hand in the shape of the busybox-test flavour (httpd `web` with a health check on the
 * backend port, a `worker` printing "worker line N" every second) and allocates its port.
 */
export async function handMadeApp(ws: Workspace, app: string, base = randomBase()): Promise<{port: number; projectName: string; dir: string}> {
	const allocated = await ws.cli(['ports', 'allocate', app, '--slot', `backend=${base}:2`, '--json']);
	if (allocated.exitCode !== 0) throw new Error(`ports allocate failed: ${allocated.stderr}`);
	const {ports, projectName} = parseJson<{ports: {backend: number}; projectName: string}>(allocated);
	const [model, folder] = app.split('/') as [string, string];
	const dir = path.join(ws.root, model, folder);
	await writeTestCompose(dir, ports.backend);
	return {port: ports.backend, projectName, dir};
}

/** Writes the busybox-test shaped docker-compose.yml into `dir`, publishing web on 127.0.0.1:`port`. */
export async function writeTestCompose(dir: string, port: number): Promise<void> {
	await mkdir(dir, {recursive: true});
	await writeFile(
		path.join(dir, 'docker-compose.yml'),
		`services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports:
      - "127.0.0.1:${port}:8080"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"]
      interval: 1s
      timeout: 2s
      retries: 30
  worker:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "i=0; while true; do i=$$((i+1)); echo \\"worker line $$i\\"; sleep 1; done"]
`,
	);
}

/** Removes every container and network of a compose project (cleanup that works whatever the test did). */
export async function removeProject(projectName: string): Promise<void> {
	const ids = await execa('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${projectName}`], {reject: false});
	const list = String(ids.stdout).split('\n').filter(Boolean);
	if (list.length) await execa('docker', ['rm', '-f', ...list], {reject: false});
	await execa('docker', ['network', 'rm', `${projectName}_default`], {reject: false});
}

export async function appStatus(ws: Workspace, app: string): Promise<AppStatus> {
	const result = await ws.cli(['ps', app, '--json']);
	const status = parseJson<FleetStatus>(result);
	const found = status.apps.find(a => a.id === app);
	if (!found) throw new Error(`ps has no ${app}: ${result.stdout}`);
	return found;
}

/** Polls `berth ps` until `ok` holds (or fails with the last state). */
export async function waitFor(ws: Workspace, app: string, ok: (status: AppStatus) => boolean, timeoutMs = 30_000): Promise<AppStatus> {
	const deadline = Date.now() + timeoutMs;
	let last: AppStatus | undefined;
	while (Date.now() < deadline) {
		last = await appStatus(ws, app);
		if (ok(last)) return last;
		await new Promise(resolve => setTimeout(resolve, 300));
	}
	throw new Error(`timed out waiting for ${app}; last state: ${JSON.stringify(last)}`);
}

export async function httpGet(port: number): Promise<string> {
	const response = await fetch(`http://127.0.0.1:${port}/`);
	return (await response.text()).trim();
}

/** A long-running `berth <args>` whose stdout lines are collected as they come. */
export function spawnBerth(
	ws: Workspace,
	args: string[],
	env: Record<string, string> = {},
): {child: ResultPromise; lines: string[]; waitLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>} {
	const [file, prefix] = isDeno ? runtimeCommand('source/cli.tsx') : [process.execPath, [path.join(ROOT, 'bin', 'berth.js')]];
	const child = execa(file, [...prefix, ...args], {env: {NO_COLOR: '1', ...ws.env, ...env}, reject: false, buffer: false, stdin: 'ignore'});
	const lines: string[] = [];
	const listeners = new Set<() => void>();
	let partial = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		const parts = (partial + String(chunk)).split('\n');
		partial = parts.pop() ?? '';
		lines.push(...parts);
		for (const listener of listeners) listener();
	});
	function waitLine(match: (line: string) => boolean, timeoutMs = 15_000): Promise<string> {
		return new Promise((resolve, reject) => {
			let seen = 0;
			const check = () => {
				for (; seen < lines.length; seen++) {
					if (match(lines[seen]!)) {
						listeners.delete(check);
						clearTimeout(timer);
						resolve(lines[seen]!);
						return;
					}
				}
			};
			const timer = setTimeout(() => {
				listeners.delete(check);
				reject(new Error(`no matching line within ${timeoutMs} ms; got:\n${lines.join('\n')}`));
			}, timeoutMs);
			listeners.add(check);
			check();
		});
	}
	return {child, lines, waitLine};
}
