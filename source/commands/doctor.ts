import {mkdtemp, rmdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import type {Command} from './command.ts';
import {openStore} from '../core/ports/store.ts';
import {detectCompose, selectCompose} from '../core/compose/detect.ts';
import {EngineUnreachableError, SocketRouteError, engineGet, engineSocket} from '../core/docker/engine.ts';
import {errorMessage} from '../core/errors.ts';
import {runtime} from '../core/runtime.ts';

interface Check {
	name: string;
	ok: boolean;
	/** Needed for berth to work (a failed required check makes the exit status 1). */
	required: boolean;
	detail: string;
	fix?: string;
}

async function engineVersion(env: NodeJS.ProcessEnv): Promise<string> {
	const socket = engineSocket(env);
	if (socket) {
		try {
			return (await engineGet<{Version: string}>(socket, '/version', 3000)).Version;
		} catch (error) {
			// Fall through to the CLI, which knows contexts and remote hosts; a dead engine does not.
			if (!(error instanceof SocketRouteError)) throw error;
		}
	}
	const result = await execa('docker', ['version', '--format', '{{.Server.Version}}'], {reject: false, env, timeout: 10_000});
	if (result.failed)
		throw new Error(
			String(result.stderr)
				.split('\n')
				.find(l => l.trim()) ?? result.message,
		);
	return String(result.stdout).trim();
}

const command: Command = {
	name: 'doctor',
	summary: 'Check the runtime, Docker, compose, the store and the apps root',
	usage: 'doctor [--json]',
	details: 'Exit status 1 when something berth needs is missing; each failed check says how to fix it.',
	async run({env, storeFile, root, out}) {
		const checks: Check[] = [];
		const rt = runtime;
		const major = Number(rt.version.split('.')[0]);
		const rtOk = rt.name === 'node' ? major >= 22 : major >= 2;
		checks.push({
			name: 'runtime',
			ok: rtOk,
			required: true,
			detail: `${rt.name} ${rt.version}`,
			fix: rtOk ? undefined : rt.name === 'node' ? 'install Node.js 22 or newer' : 'install Deno 2 or newer',
		});

		const cli = await execa('docker', ['--version'], {reject: false, env, timeout: 10_000});
		const cliOk = !cli.failed;
		checks.push({
			name: 'docker CLI',
			ok: cliOk,
			required: true,
			detail: cliOk ? String(cli.stdout).trim() : 'not found on PATH',
			fix: cliOk ? undefined : 'install the docker CLI (Debian: apt-get install docker.io)',
		});

		try {
			const version = await engineVersion(env);
			checks.push({name: 'engine', ok: true, required: true, detail: `reachable, version ${version}`});
		} catch (error) {
			checks.push({
				name: 'engine',
				ok: false,
				required: true,
				detail: `not reachable: ${error instanceof EngineUnreachableError ? error.detail : errorMessage(error)}`,
				fix: 'start the Docker Engine (systemctl start docker, or dockerd) or set DOCKER_HOST',
			});
		}

		const detected = await detectCompose(env);
		// What berth will use: BERTH_COMPOSE=v1|v2 can force one (see ComposeClient).
		const compose = {...detected, selected: selectCompose(detected, env)};
		checks.push({name: 'compose v2', ok: compose.v2 !== null, required: false, detail: compose.v2 ? `docker compose ${compose.v2.version}` : 'not found'});
		checks.push({name: 'compose v1', ok: compose.v1 !== null, required: false, detail: compose.v1 ? `docker-compose ${compose.v1.version}` : 'not found'});
		checks.push({
			name: 'compose',
			ok: compose.selected !== null,
			required: true,
			detail: compose.selected
				? `using ${compose.selected.command.join(' ')} ${compose.selected.version} (${compose.selected.flavour})`
				: env['BERTH_COMPOSE']
					? `BERTH_COMPOSE=${env['BERTH_COMPOSE']} asks for a compose that was not found`
					: 'neither docker compose nor docker-compose found',
			fix: compose.selected ? undefined : 'install the compose plugin (docker compose) or docker-compose',
		});

		try {
			const doc = await openStore(storeFile).read();
			// Allocating writes a temp file and a lock folder next to the store, creating its folder first
			// when needed: what must be writable is the nearest folder that exists.
			const folder = await nearestExisting(path.dirname(storeFile));
			// Tried for real (a folder made and removed at once): permission bits say nothing for root or
			// on a read-only mount.
			let writable = true;
			try {
				await rmdir(await mkdtemp(path.join(folder, '.berth-doctor-')));
			} catch {
				writable = false;
			}
			checks.push({
				name: 'store',
				ok: writable,
				required: true,
				detail: `${storeFile}: ${doc.allocations.length} allocations${writable ? '' : ` (${folder} is not writable: berth cannot allocate ports)`}`,
				...(writable ? {} : {fix: `make ${folder} writable, or point berth at another store with --store FILE / BERTH_STORE`}),
			});
		} catch (error) {
			checks.push({name: 'store', ok: false, required: true, detail: errorMessage(error), fix: `repair or move aside ${storeFile}`});
		}

		try {
			const s = await stat(root);
			checks.push({name: 'apps root', ok: s.isDirectory(), required: false, detail: root + (s.isDirectory() ? '' : ' is not a folder')});
		} catch {
			checks.push({
				name: 'apps root',
				ok: false,
				required: false,
				detail: `${root} does not exist yet`,
				fix: 'create it, or pass --root DIR / set BERTH_ROOT; "berth new" creates it',
			});
		}

		const failed = checks.filter(c => c.required && !c.ok);
		if (out.json) {
			out.data({
				ok: failed.length === 0,
				runtime: rt,
				compose: compose.selected ? {flavour: compose.selected.flavour, version: compose.selected.version, command: compose.selected.command} : null,
				checks,
			});
		} else {
			for (const check of checks) {
				const mark = check.ok ? out.paint('green', 'ok  ') : check.required ? out.paint('red', 'FAIL') : out.paint('yellow', 'warn');
				out.line(`${mark} ${check.name.padEnd(11)} ${check.detail}${check.fix ? out.paint('dim', ` — fix: ${check.fix}`) : ''}`);
			}
		}
		return failed.length === 0 ? 0 : 1;
	},
};

export default command;

/** `dir` or its nearest ancestor that exists. */
async function nearestExisting(dir: string): Promise<string> {
	let current = dir;
	for (;;) {
		try {
			await stat(current);
			return current;
		} catch {
			const parent = path.dirname(current);
			if (parent === current) return current;
			current = parent;
		}
	}
}
