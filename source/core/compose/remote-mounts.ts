import {isLocalEndpoint, resolveEngine} from '../docker/contexts.ts';
import type {ComposeBinary} from './detect.ts';
import {remoteMountWarnings} from './hazards.ts';
import {loadModel} from './model-load.ts';
import type {ComposeTarget} from './types.ts';

/**
 * For an app placed on a remote engine (another machine): its bind mounts, which that machine will not
 * see unless the same path is shared there (hazards.ts remoteMountWarnings). None for a local engine or
 * an app placed nowhere yet. The model is read as `up` reads it.
 */
export async function remoteMountWarningsFor(
	target: ComposeTarget,
	options: {binary: ComposeBinary | null; env: NodeJS.ProcessEnv; cacheDir: string | null},
): Promise<string[]> {
	if (!target.engine || !target.composeFile) return [];
	const context = resolveEngine(target.engine, options.env);
	if (isLocalEndpoint(context.endpoint)) return [];
	const {model} = await loadModel(target, {binary: options.binary, env: options.env, cacheDir: options.cacheDir});
	return model.error ? [] : remoteMountWarnings(model, target, context);
}
