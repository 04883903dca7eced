import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {detectCompose, type ComposeBinary} from '../compose/detect.ts';

export interface ComposeConfigResult {
	/** e.g. "docker-compose 1.29.2" */
	compose: string;
	ok: boolean;
	/** The compose error, with the offending line of the file quoted when compose names one. */
	message: string;
	/** 1-based line in the compose file, when compose reports one. */
	line: number | null;
}

let detected: Promise<ComposeBinary[]> | undefined;

/** Every compose available here: v2 (`docker compose`) and v1 (`docker-compose`), as detected. */
export function availableComposes(env: NodeJS.ProcessEnv = process.env): Promise<ComposeBinary[]> {
	detected ??= detectCompose(env).then(d => [d.v2, d.v1].filter((b): b is ComposeBinary => b !== null));
	return detected;
}

/**
 * Runs the real `compose config` on one file (project directory = the file's folder, so its .env is
 * read) with every compose available. Compose's error is kept, and a reported line is quoted.
 */
export async function composeConfig(file: string, options: {env?: NodeJS.ProcessEnv; signal?: AbortSignal} = {}): Promise<ComposeConfigResult[]> {
	const {execa} = await import('execa');
	const results: ComposeConfigResult[] = [];
	for (const binary of await availableComposes(options.env)) {
		if (options.signal?.aborted) break;
		const [command, ...prefix] = binary.command;
		const run = await execa(command, [...prefix, '-f', file, '--project-directory', path.dirname(file), 'config', '--quiet'], {
			reject: false,
			timeout: 60_000,
			cwd: path.dirname(file),
			...(options.env ? {env: options.env} : {}),
			stdin: 'ignore',
			// Stopped with lint (Ctrl-C): `config` writes nothing, so it may be killed outright.
			...(options.signal ? {cancelSignal: options.signal, killSignal: 'SIGKILL' as const} : {}),
		});
		if (run.isCanceled) break;
		const name = `${binary.command.join(' ')} ${binary.version}`;
		if (run.exitCode === 0) {
			results.push({compose: name, ok: true, message: '', line: null});
			continue;
		}
		const text = (String(run.stderr).trim() || String(run.stdout).trim() || (run.message ?? 'compose failed'))
			.split('\n')
			.filter(l => l.trim())
			.slice(-6)
			.join('\n');
		const lineMatch = /line (\d+)/.exec(text);
		const line = lineMatch ? Number(lineMatch[1]) : null;
		let quoted = '';
		if (line !== null) {
			const source = (await readFile(file, 'utf8').catch(() => '')).split('\n')[line - 1];
			if (source !== undefined) quoted = `\n  line ${line}: ${source.trim()}`;
		}
		results.push({compose: name, ok: false, message: text + quoted, line});
	}
	return results;
}
