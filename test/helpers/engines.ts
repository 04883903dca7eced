import path from 'node:path';
import {execa} from 'execa';
import {runCli} from './cli.ts';
import {TEST_IMAGE} from './docker.ts';

/** The extra engines .ci/engines.sh starts, each in its own network namespace (DESIGN.md, "Several engines"). */
export const TEST_ENGINES = [
	{name: 'berth-e1', host: 'tcp://10.231.1.2:2375', address: '10.231.1.2'},
	{name: 'berth-e2', host: 'tcp://10.231.2.2:2375', address: '10.231.2.2'},
] as const;

let cached: Promise<string | null> | undefined;

/** `null` when both extra engines answer and hold the test image, else why not. */
function enginesUnavailable(): Promise<string | null> {
	cached ??= (async () => {
		for (const engine of TEST_ENGINES) {
			const r = await execa('docker', ['--host', engine.host, 'image', 'inspect', TEST_IMAGE, '--format', '{{.Id}}'], {reject: false, timeout: 10_000});
			if (r.failed)
				return `test engine ${engine.name} (${engine.host}) unavailable: ${String(r.stderr).trim() || r.message}. Start it with "bash .ci/engines.sh start".`;
		}
		return null;
	})();
	return cached;
}

/** Test options for a several-engines test: skipped without the extra engines, a failure under CI. */
export async function enginesTestOptions(): Promise<{skip?: string}> {
	const reason = await enginesUnavailable();
	if (!reason) return {};
	if (process.env['CI'] === 'true' || process.env['BERTH_REQUIRE_ENGINES'] === '1')
		throw new Error(`several-engines tests need the extra engines under CI: ${reason}`);
	return {skip: reason};
}

/** Makes Docker contexts in the CLI config folder `dockerConfig` (a test's own, never the user's). */
export async function makeContexts(dockerConfig: string, contexts: Record<string, string>): Promise<void> {
	for (const [name, host] of Object.entries(contexts)) {
		await execa('docker', ['context', 'create', name, '--docker', `host=${host}`], {env: {DOCKER_CONFIG: dockerConfig}});
	}
}

/**
 * A store, an apps root and a Docker CLI config of the test's own, with a context for each test engine
 * (the current context stays the local engine): what a user with three engines has.
 */
export async function engineWorkspace(dir: string) {
	const [e1, e2] = TEST_ENGINES;
	const dockerConfig = path.join(dir, 'docker-config');
	await makeContexts(dockerConfig, {[e1.name]: e1.host, [e2.name]: e2.host});
	const store = path.join(dir, 'ports.json');
	const root = path.join(dir, 'apps');
	const env = {BERTH_ROOT: root, BERTH_STORE: store, DOCKER_CONFIG: dockerConfig};
	return {dir, root, store, env, dockerConfig, cli: (args: string[], extra: Record<string, string> = {}) => runCli(args, {env: {...env, ...extra}})};
}
