import {execa} from 'execa';
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
