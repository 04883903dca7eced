/**
 * A shell in a service's container, as `docker exec -it` gives it: the child gets the caller's
 * terminal (stdin, stdout, stderr inherited) and berth waits for it to exit. The caller must have
 * handed the terminal over first (the TUI suspends Ink: ui/run-tui.ts).
 */
import {spawn} from 'node:child_process';
import {BerthError} from '../errors.ts';
import {inspectContainers} from './inspect.ts';

/** What to open a shell in: the service as the user knows it, and its container. */
export interface ShellTarget {
	/** `<model>/app<N>` */
	app: string;
	service: string;
	/** The container's name or id. */
	container: string;
}

/** bash when the image has it (a nicer prompt and line editing), else the POSIX sh every image has. */
export const SHELL_SCRIPT = 'command -v bash >/dev/null 2>&1 && exec bash || exec sh';

/** The docker CLI arguments of the shell. */
export function shellArgs(container: string): string[] {
	return ['exec', '-it', container, 'sh', '-c', SHELL_SCRIPT];
}

/**
 * Refuses (a BerthError saying what to do) when the service has no running container or the Engine
 * does not answer: checked before the terminal is handed over, so a refusal is a message in the UI
 * rather than a flash of the plain terminal.
 */
export async function checkShellTarget(target: ShellTarget, env: NodeJS.ProcessEnv = process.env): Promise<void> {
	// An unreachable Engine rejects here with its own advice (EngineUnreachableError).
	const [details] = [...(await inspectContainers([target.container], env)).values()];
	if (!details) throw new BerthError(`${target.service} has no container any more: start it with u`, {code: 'not-running'});
	if (details.state !== 'running') throw new BerthError(`${target.service} is not running: start it with u`, {code: 'not-running'});
}

/**
 * Runs the shell on the inherited terminal and resolves with its exit code (the shell's last
 * command's, or docker's own 125-127 when exec failed; docker has then said why on the terminal).
 */
export function runShell(target: ShellTarget, env: NodeJS.ProcessEnv = process.env): Promise<number> {
	return new Promise((resolve, reject) => {
		const child = spawn('docker', shellArgs(target.container), {stdio: 'inherit', env});
		child.once('error', error =>
			reject(new BerthError(`cannot run docker for a shell in ${target.service}: ${error.message}`, {code: 'no-docker', cause: error})),
		);
		child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
	});
}
