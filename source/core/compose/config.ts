import {BerthError} from '../errors.ts';
import {refuseAdoptedOnOldCompose} from './adopt.ts';
import type {ComposeBinary} from './detect.ts';
import {noComposeFileError} from './client.ts';
import {composeFilesFor} from './files.ts';
import {runComposeConfig, screenComposeFiles} from './model-load.ts';
import type {ComposeTarget} from './types.ts';

/**
 * `compose config` of an app with exactly the arguments of every other compose call berth makes
 * (project name, project directory, each file of `composeFilesFor`, BERTH_PORT_<SLOT>): the model
 * `berth up` starts, as compose prints it. `json`: v2's `--format json` (v1 has YAML only).
 */
export async function composeConfigCommand(
	binary: ComposeBinary,
	target: ComposeTarget,
	options: {json: boolean; env?: NodeJS.ProcessEnv; signal?: AbortSignal},
): Promise<string> {
	const files = await composeFilesFor(target);
	if (files.length === 0) throw noComposeFileError(target);
	refuseAdoptedOnOldCompose(target, files, binary, options.env);
	// Checked by berth first: compose never returns on an alias bomb.
	const refusal = await screenComposeFiles(files);
	if (refusal) throw new BerthError(`berth does not ask compose about ${target.id}: ${refusal}`, {code: 'compose-config'});
	const tail = ['config', ...(options.json && binary.flavour === 'v2' ? ['--format', 'json'] : [])];
	const run = await runComposeConfig(target, files, binary, tail, {...options, timeoutMs: 60_000});
	if (run.failure) {
		const refused = run.failure.startsWith('compose refused it: ');
		throw new BerthError(
			refused
				? `compose refused the files of ${target.id} (${files.join(', ')}): ${run.failure.slice('compose refused it: '.length)}`
				: `no config of ${target.id} (${files.join(', ')}): ${run.failure}`,
			{code: refused || run.failure !== 'interrupted' ? 'compose-config' : 'interrupted'},
		);
	}
	return run.stdout;
}
