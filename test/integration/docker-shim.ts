// A `docker` first on PATH that logs each run before executing the real docker CLI: counts the docker
// CLI processes a program spawns (berth's socket path spawns none; its CLI transport does).
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';

export interface DockerShim {
	/** The folder to put first on the program's PATH. */
	dir: string;
	/** The real docker CLI the shim runs. */
	realDocker: string;
	/** The argument lists of every run so far. */
	calls(): Promise<string[]>;
}

export async function dockerShim(dir: string): Promise<DockerShim> {
	const realDocker = (await execa('sh', ['-c', 'command -v docker'])).stdout.trim();
	await mkdir(dir, {recursive: true});
	const log = path.join(dir, 'calls.log');
	await writeFile(log, '');
	await writeFile(path.join(dir, 'docker'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realDocker}' "$@"\n`);
	await chmod(path.join(dir, 'docker'), 0o755);
	return {
		dir,
		realDocker,
		calls: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean),
	};
}
