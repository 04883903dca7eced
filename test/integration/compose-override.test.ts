import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {dockerTestOptions} from '../helpers/docker.ts';
import {parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {handMadeApp, removeProject, workspace} from './stack.ts';

const docker = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

async function projectObjects(projectName: string): Promise<string[]> {
	const containers = await execa('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${projectName}`]);
	const networks = await execa('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${projectName}`]);
	return [...String(containers.stdout).split('\n'), ...String(networks.stdout).split('\n')].filter(Boolean);
}

test("the user's docker-compose.override.yml is read by up, and down removes everything", docker, async () => {
	const ws = workspace(await tempDir());
	const app = await handMadeApp(ws, 'shop/app1');
	projects.push(app.projectName);
	// What a user adds next to a compose file they do not want to edit: compose reads it when run with no -f.
	await writeFile(
		path.join(app.dir, 'docker-compose.override.yml'),
		'services:\n  web:\n    environment:\n      GREETING: from-override\n    labels:\n      com.example.override: "yes"\n',
	);

	const up = await ws.cli(['up', 'shop/app1', '--wait', '--json']);
	assert.equal(up.exitCode, 0, up.stderr);
	const {command} = parseJson<{command: string[]}>(up);
	const files = command.flatMap((arg, i) => (command[i - 1] === '-f' ? [path.basename(arg)] : []));
	assert.deepEqual(files, ['docker-compose.yml', 'docker-compose.override.yml']);

	const id = String(
		(await execa('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${app.projectName}`, '--filter', 'label=com.docker.compose.service=web']))
			.stdout,
	).trim();
	assert.ok(id, 'the web container runs');
	const [inspected] = JSON.parse(String((await execa('docker', ['inspect', id])).stdout)) as {Config: {Env: string[]; Labels: Record<string, string>}}[];
	assert.ok(inspected!.Config.Env.includes('GREETING=from-override'), inspected!.Config.Env.join(' '));
	assert.equal(inspected!.Config.Labels['com.example.override'], 'yes');

	const down = await ws.cli(['down', 'shop/app1', '-t', '0']);
	assert.equal(down.exitCode, 0, down.stderr);
	assert.deepEqual(await projectObjects(app.projectName), [], 'no container or network of the project is left');
});
