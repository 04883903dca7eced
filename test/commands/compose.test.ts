import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

async function setup() {
	const dir = await tempDir();
	const env = {BERTH_ROOT: path.join(dir, 'apps'), BERTH_STORE: path.join(dir, 'ports.json')};
	return {dir, env, cli: (args: string[], extra: Record<string, string> = {}) => runCli(args, {env: {...env, ...extra}})};
}

test('compose commands refuse bad arguments with exit 2 and the usage', async () => {
	const {cli} = await setup();
	const missing = await cli(['up']);
	assert.equal(missing.exitCode, 2);
	assert.match(missing.stderr, /name the apps: <model>\/app<N> \.\.\., --model M, --engine E or --all\. Usage: berth up <model>\/app<N> \.\.\. \| --model M/);
	const bad = await cli(['stop', 'nomodel']);
	assert.equal(bad.exitCode, 2);
	assert.match(bad.stderr, /invalid app "nomodel": write it as <model>\/app<N>/);
	const tail = await cli(['logs', 'm/app1', '--tail', 'lots']);
	assert.equal(tail.exitCode, 2);
	assert.match(tail.stderr, /invalid --tail "lots": give a number of lines/);
	const timeout = await cli(['restart', 'm/app1', '--timeout', '1.5']);
	assert.equal(timeout.exitCode, 2);
	assert.match(timeout.stderr, /invalid --timeout "1\.5": give whole seconds/);
	const unknown = await cli(['down', 'm/app1', '--volume']);
	assert.equal(unknown.exitCode, 2);
});

test('an app without folder or without compose file fails with a way out', async () => {
	const {cli, env} = await setup();
	const noFolder = await cli(['up', 'shop/app1', '--json']);
	assert.equal(noFolder.exitCode, 1);
	assert.deepEqual(parseJson(noFolder), {
		error: {
			code: 'no-app',
			message: `shop/app1 has no folder ${path.join(env.BERTH_ROOT, 'shop', 'app1')}. Create it with "berth new", or pass the right --root.`,
		},
	});
	await mkdir(path.join(env.BERTH_ROOT, 'shop', 'app1'), {recursive: true});
	const noCompose = await cli(['start', 'shop/app1', '--json']);
	assert.equal(noCompose.exitCode, 1);
	const error = parseJson<{error: {code: string; message: string}}>(noCompose).error;
	assert.equal(error.code, 'no-compose');
	assert.match(
		error.message,
		/^shop\/app1 has no compose file in .*shop\/app1 \(compose\.yaml, docker-compose\.yml, \.\.\.\)\. Scaffold it with "berth new" or "berth backfill"\.$/,
	);
});

test('ps reports an unreachable engine as a state, every app unknown, with exit 1', async () => {
	const {cli, dir, env} = await setup();
	await mkdir(path.join(env.BERTH_ROOT, 'shop', 'app1'), {recursive: true});
	const result = await cli(['ps', '--json'], {DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}`});
	assert.equal(result.exitCode, 1);
	const status = parseJson<{engine: {reachable: boolean; message: string}; apps: {id: string; state: string; services: unknown[]}[]}>(result);
	assert.equal(status.engine.reachable, false);
	assert.match(status.engine.message, /the Docker Engine is not reachable \(.*no-engine\.sock.*\)\. Start it/);
	assert.deepEqual(
		status.apps.map(a => [a.id, a.state, a.services.length]),
		[['shop/app1', 'unknown', 0]],
	);
	const human = await cli(['ps'], {DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}`});
	assert.equal(human.exitCode, 1);
	assert.match(human.stderr, /^error: the Docker Engine is not reachable/);
	assert.match(human.stdout, /^shop\/app1 +unknown +-$/m);
});

test('doctor names the compose binary in use; BERTH_COMPOSE forcing a missing one fails', async () => {
	const {cli} = await setup();
	const doctor = parseJson<{compose: {flavour: string; command: string[]} | null; checks: {name: string; ok: boolean; detail: string}[]}>(
		await cli(['doctor', '--json']),
	);
	const check = doctor.checks.find(c => c.name === 'compose')!;
	if (!doctor.compose) {
		assert.equal(check.ok, false);
		return;
	}
	assert.equal(check.detail.startsWith(`using ${doctor.compose.command.join(' ')} `), true);
	assert.match(check.detail, / \((v1|v2)\)$/);
	const other = doctor.compose.flavour === 'v1' ? 'v2' : 'v1';
	const otherPresent = doctor.checks.find(c => c.name === `compose ${other}`)!.ok;
	const forced = parseJson<{compose: {flavour: string} | null}>(await cli(['doctor', '--json'], {BERTH_COMPOSE: other}));
	assert.equal(forced.compose?.flavour ?? null, otherPresent ? other : null);
});

test('logs: a bad --since is a usage error; an app without containers or engine says so', async () => {
	const {cli, dir, env} = await setup();
	const since = await cli(['logs', 'm/app1', '--since', 'yesterday']);
	assert.equal(since.exitCode, 2);
	assert.match(since.stderr, /invalid --since "yesterday": give a time \(2026-01-02T15:04:05Z\), a Unix time, or a duration such as 10m or 1h30m/);
	await mkdir(path.join(env.BERTH_ROOT, 'never-started-model', 'app1'), {recursive: true});
	const noEngine = await cli(['logs', 'never-started-model/app1'], {DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}`});
	assert.equal(noEngine.exitCode, 1, 'no logs could be read: a failure, not an empty success');
	assert.match(noEngine.stderr, /^error: the Docker Engine is not reachable \(/);
});

test('a BERTH_DOCKER_TRANSPORT berth does not know fails ps and ps --watch at once, naming the choices', async () => {
	const {cli} = await setup();
	for (const args of [
		['ps', '--json'],
		['ps', '--watch', '--json'],
	]) {
		const result = await cli(args, {BERTH_DOCKER_TRANSPORT: 'ssh'});
		assert.equal(result.exitCode, 1, args.join(' '));
		assert.deepEqual(parseJson(result), {
			error: {
				code: 'bad-transport',
				message:
					'BERTH_DOCKER_TRANSPORT="ssh" is not a transport berth knows: use "cli" (always the docker CLI) or "auto" (the Engine\'s unix socket when there is one), or unset it.',
			},
		});
	}
});
