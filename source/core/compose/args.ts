import type {IDockerComposeOptions} from 'docker-compose';
import type {ComposeBinary} from './detect.ts';
import type {ActionName, ComposeTarget} from './types.ts';

/**
 * One compose run, in the shape of the docker-compose package's `execCompose(command, args, options)`:
 * `commandLine()` is the argument order that package builds (tested against it). berth runs the call
 * itself (client.ts `runCall`): the package's promise ends on a 500 ms timer after compose exits.
 */
export interface ComposeCall {
	command: string;
	args: string[];
	options: IDockerComposeOptions;
}

export interface CallOptions {
	services?: readonly string[];
	timeoutSeconds?: number;
	build?: boolean;
	volumes?: boolean;
}

/** The package's `executable` option for a binary: the standalone v1 file, or `docker [...] compose`. */
export function executableOption(binary: ComposeBinary): IDockerComposeOptions['executable'] {
	if (binary.flavour === 'v1') return {standalone: true, executablePath: binary.command[0]};
	const [file, ...rest] = binary.command;
	// The package appends "compose" itself; pass what comes before it (e.g. docker --context x).
	const options = rest.filter((_, i) => i < rest.length - 1 || rest[i] !== 'compose');
	return {executablePath: file, options};
}

/** `BERTH_PORT_<SLOT>` for each allocated port, so a compose file may use `${BERTH_PORT_BACKEND}`. */
export function portEnv(ports: Record<string, number> | null): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [slot, port] of Object.entries(ports ?? {})) env[`BERTH_PORT_${slot.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = String(port);
	return env;
}

/**
 * Builds the compose call of an action. Project name, project directory and compose files (one `-f`
 * each, in order: `composeFilesFor()` of the app, files.ts) are always explicit, and the child runs in
 * the app folder, so the caller's working directory never matters.
 */
export function composeCall(
	binary: ComposeBinary,
	target: ComposeTarget & {composeFiles: readonly string[]},
	action: ActionName,
	options: CallOptions = {},
	env: NodeJS.ProcessEnv = process.env,
): ComposeCall {
	const services = [...(options.services ?? [])];
	const timeout = options.timeoutSeconds === undefined ? [] : ['-t', String(options.timeoutSeconds)];
	let command: string;
	let args: string[];
	switch (action) {
		case 'up':
			command = 'up';
			args = ['-d', ...(options.build ? ['--build'] : []), ...services];
			break;
		case 'start':
			command = 'start';
			args = services;
			break;
		case 'stop':
			command = 'stop';
			args = [...timeout, ...services];
			break;
		case 'restart':
			command = 'restart';
			args = [...timeout, ...services];
			break;
		case 'down':
			// `down` takes no services (v1): removing some services is `rm --stop --force`.
			if (services.length > 0) {
				command = 'rm';
				args = ['-s', '-f', ...(options.volumes ? ['-v'] : []), ...services];
			} else {
				command = 'down';
				args = [...(options.volumes ? ['--volumes'] : []), ...timeout];
			}
			break;
		case 'build':
			command = 'build';
			args = services;
			break;
	}
	return {
		command,
		args,
		options: {
			cwd: target.path,
			executable: executableOption(binary),
			config: [...target.composeFiles],
			composeOptions: ['--ansi', 'never', '-p', target.projectName, '--project-directory', target.path],
			env: {...env, ...portEnv(target.ports)},
		},
	};
}

/** The full command line of a call, as the package builds it: what berth runs, and what messages quote. */
export function commandLine(call: ComposeCall): string[] {
	const executable = call.options.executable;
	const head: string[] = executable?.standalone
		? [executable.executablePath ?? 'docker-compose']
		: [executable?.executablePath ?? 'docker', ...((executable?.options ?? []) as (string | string[])[]).flat(), 'compose'];
	const config = call.options.config === undefined ? [] : [call.options.config].flat().flatMap(file => ['-f', file]);
	return [
		...head,
		...((call.options.composeOptions ?? []) as (string | string[])[]).flat(),
		...config,
		call.command,
		...((call.options.commandOptions ?? []) as (string | string[])[]).flat(),
		...call.args,
	];
}
