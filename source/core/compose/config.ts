import {execa} from 'execa';
import {BerthError} from '../errors.ts';
import {portEnv} from './args.ts';
import type {ComposeBinary} from './detect.ts';
import {composeFilesFor} from './files.ts';
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
	if (files.length === 0) {
		throw new BerthError(
			`${target.id} has no compose file in ${target.path} (compose.yaml, docker-compose.yml, ...). Scaffold it with "berth new" or "berth backfill".`,
			{code: 'no-compose'},
		);
	}
	const [file, ...lead] = binary.command;
	const args = [
		...lead,
		'--ansi',
		'never',
		'-p',
		target.projectName,
		'--project-directory',
		target.path,
		...files.flatMap(f => ['-f', f]),
		'config',
		...(options.json && binary.flavour === 'v2' ? ['--format', 'json'] : []),
	];
	const result = await execa(file, args, {
		cwd: target.path,
		env: {...(options.env ?? process.env), ...portEnv(target.ports)},
		extendEnv: false,
		reject: false,
		stdin: 'ignore',
		timeout: 60_000,
		maxBuffer: 64 * 1024 * 1024,
		encoding: 'utf8',
		...(options.signal ? {cancelSignal: options.signal} : {}),
	});
	if (result.exitCode !== 0 || result.failed) {
		const reason =
			String(result.stderr ?? '')
				.split('\n')
				.map(l => l.trim())
				.filter(Boolean)
				.slice(-3)
				.join(' ') || (result.timedOut ? 'it did not answer within 60 s' : `exit code ${result.exitCode}`);
		throw new BerthError(`compose refused the files of ${target.id} (${files.join(', ')}): ${reason}`, {code: 'compose-config'});
	}
	return String(result.stdout);
}
