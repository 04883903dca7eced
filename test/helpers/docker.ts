import {execa} from 'execa';

/** The local image integration tests use (built by .ci/run from busybox-static; no registry here). */
export const TEST_IMAGE = 'berth-test/busybox:latest';

let cached: Promise<string | null> | undefined;

/** `null` when Docker and the test image are usable, else why not. */
export function dockerUnavailable(): Promise<string | null> {
	cached ??= (async () => {
		const info = await execa('docker', ['image', 'inspect', TEST_IMAGE, '--format', '{{.Id}}'], {reject: false, timeout: 20_000});
		if (info.failed) return `Docker Engine or image ${TEST_IMAGE} unavailable: ${String(info.stderr).trim() || info.message}`;
		return null;
	})();
	return cached;
}

/**
 * Options for an integration test: skipped on a developer machine without Docker, but a failure under
 * CI (CI=true or BERTH_REQUIRE_DOCKER=1), where the engine must be there.
 */
export async function dockerTestOptions(): Promise<{skip?: string}> {
	const reason = await dockerUnavailable();
	if (!reason) return {};
	if (process.env['CI'] === 'true' || process.env['BERTH_REQUIRE_DOCKER'] === '1') {
		throw new Error(`integration tests need Docker under CI: ${reason}`);
	}
	return {skip: reason};
}
