import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import {execa} from 'execa';
import {detectCompose, selectCompose} from '../../source/core/compose/detect.ts';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {removeProject, workspace} from './stack.ts';

// Compose v2 only: adoption needs `!override` (v1 refuses it; test/commands/adopt.test.ts checks that).
// Skipped in the suite's BERTH_COMPOSE=v1 passes; the v2 pass of each runtime runs it.
const docker = await dockerTestOptions();
const options = docker.skip ? docker : selectCompose(await detectCompose())?.flavour === 'v2' ? {} : {skip: 'needs compose v2 (BERTH_COMPOSE selects another)'};
const projects: string[] = [];
after(async () => {
	await Promise.all(projects.map(removeProject));
});

const APPS = 8;

/** What a user would write, eight times over: the same fixed port and the same container name. */
const COMPOSE = `services:
  web:
    image: ${TEST_IMAGE}
    container_name: web
    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
    volumes:
      - ./www:/www:ro
    ports:
      - "127.0.0.1:8080:8080"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"]
      interval: 1s
      timeout: 2s
      retries: 60
`;

/** sha256 of every file under `dir` (relative path -> hash). */
async function hashes(dir: string): Promise<Record<string, string>> {
	const result: Record<string, string> = {};
	for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		result[path.relative(dir, file)] = createHash('sha256')
			.update(await readFile(file))
			.digest('hex');
	}
	return result;
}

function get(port: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const request = http.get({host: '127.0.0.1', port, path: '/', timeout: 10_000}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', chunk => (body += chunk));
			response.on('end', () => resolve(body.trim()));
		});
		request.on('timeout', () => request.destroy(new Error(`no answer on 127.0.0.1:${port}`)));
		request.on('error', reject);
	});
}

test('eight apps that all publish 127.0.0.1:8080 and are all named "web" run side by side once adopted', options, async () => {
	const ws = workspace(await tempDir('berth-adopt-e2e-'));
	const model = `adopt-e2e-${Math.random().toString(36).slice(2, 8)}`;
	const ids = Array.from({length: APPS}, (_, i) => `${model}/app${i + 1}`);
	for (const [i, id] of ids.entries()) {
		const dir = path.join(ws.root, id);
		await mkdir(path.join(dir, 'www'), {recursive: true});
		await writeFile(path.join(dir, 'docker-compose.yml'), COMPOSE);
		await writeFile(path.join(dir, 'www', 'index.html'), `app ${i + 1}\n`);
	}
	const before = await hashes(ws.root);

	const from = 23_000 + 50 * Math.floor(Math.random() * 170);
	const adopted = await ws.cli(['adopt', '--model', model, '--range', `${from}-${from + 49}`, '--json']);
	assert.equal(adopted.exitCode, 0, adopted.stderr);
	const report = parseJson<{apps: {app: string; status: string; projectName: string; ports: {slot: string; allocated: number}[]}[]}>(adopted);
	projects.push(...report.apps.map(a => a.projectName));
	assert.deepEqual(
		report.apps.map(a => [a.app, a.status, a.ports.map(p => p.slot).join()]),
		ids.map(id => [id, 'adopted', 'web-8080']),
	);
	const ports = new Map(report.apps.map(a => [a.app, a.ports[0]!.allocated]));
	assert.equal(new Set(ports.values()).size, APPS, 'eight different ports');

	// All at once: eight stacks that would each take 8080 and the name "web".
	const ups = await Promise.all(ids.map(id => ws.cli(['up', id, '--wait', '--wait-timeout', '240', '--json'], {timeout: 300_000})));
	for (const [i, up] of ups.entries()) assert.equal(up.exitCode, 0, `${ids[i]}: ${up.stderr}`);

	const ps = parseJson<{apps: {id: string; state: string; services: {service: string; state: string}[]}[]}>(await ws.cli(['ps', '--json']));
	for (const id of ids) {
		const app = ps.apps.find(a => a.id === id);
		assert.equal(app?.state, 'healthy', `${id}: ${JSON.stringify(app)}`);
	}
	for (const [i, id] of ids.entries()) assert.equal(await get(ports.get(id)!), `app ${i + 1}`, `${id} answers on its own port ${ports.get(id)}`);
	const names = await execa('docker', ['ps', '--format', '{{.Names}}', '--filter', `label=com.docker.compose.project=${report.apps[0]!.projectName}`]);
	assert.equal(String(names.stdout).trim(), `${report.apps[0]!.projectName}-web`);

	const check = await ws.cli(['ports', 'check']);
	assert.equal(check.exitCode, 0, check.stdout + check.stderr);

	assert.deepEqual(await hashes(ws.root), before, 'no user file changed');

	const downs = await Promise.all(ids.map(id => ws.cli(['down', id], {timeout: 300_000})));
	for (const [i, down] of downs.entries()) assert.equal(down.exitCode, 0, `${ids[i]}: ${down.stderr}`);
	for (const project of projects) {
		const left = await execa('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
		assert.equal(String(left.stdout).trim(), '', `${project} has no container left`);
	}
});
