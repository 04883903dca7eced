/**
 * One state model: the same real container situations read through `berth ps --json`, the `ps` table
 * and the TUI (the real services in ink-testing-library) show the same state word, app and service.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {execa} from 'execa';
import {dockerTestOptions, TEST_IMAGE} from '../helpers/docker.ts';
import {parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {removeProject, waitFor, workspace} from './stack.ts';
import {renderApp} from '../ui/render-app.tsx';
import {createServices} from '../../source/ui/create-services.ts';
import type {FleetStatus, ListedServiceStatus} from '../../source/core/compose/types.ts';

const docker = await dockerTestOptions();
const projects: string[] = [];
after(async () => {
	cleanup();
	await Promise.all(projects.map(removeProject));
});

const sleeper = (extra = '') => `    image: ${TEST_IMAGE}\n    command: ["sleep", "3600"]\n${extra}`;

/** Each situation: its compose services, what is done after `up`, and the words every view must show. */
const SITUATIONS: {name: string; compose: string; afterUp?: 'pause' | 'down'; app: string; services: Record<string, string>}[] = [
	{
		name: 'crash loop',
		compose: `  job:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "exit 1"]\n    restart: always\n`,
		app: 'crash-loop',
		// As docker says "Restarting (1) 2 seconds ago": the exit code that keeps it restarting.
		services: {job: 'restarting (1)'},
	},
	{name: 'exit 1', compose: `  job:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "exit 1"]\n`, app: 'error', services: {job: 'exited (1)'}},
	{name: 'exit 0', compose: `  job:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "exit 0"]\n`, app: 'stopped', services: {job: 'exited (0)'}},
	{
		name: 'unhealthy',
		compose: `  web:\n${sleeper('    healthcheck:\n      test: ["CMD", "false"]\n      interval: 1s\n      retries: 1\n')}`,
		app: 'unhealthy',
		services: {web: 'unhealthy'},
	},
	// The first check runs after one interval: for an hour the health is `starting`.
	{
		name: 'starting',
		compose: `  web:\n${sleeper('    healthcheck:\n      test: ["CMD", "true"]\n      interval: 1h\n')}`,
		app: 'starting',
		services: {web: 'starting'},
	},
	{
		name: 'partial',
		compose: `  web:\n${sleeper()}  job:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "exit 0"]\n`,
		app: 'partial',
		services: {web: 'running', job: 'exited (0)'},
	},
	{name: 'paused', compose: `  web:\n${sleeper()}`, afterUp: 'pause', app: 'paused', services: {web: 'paused'}},
	{name: 'removed', compose: `  web:\n${sleeper()}`, afterUp: 'down', app: 'not-created', services: {}},
];

/** ps --json has the word alone (and the exit code apart); the ps table and the TUI add the exit code of an exited or restarting container. */
const word = (text: string) => text.replace(/ \(\d+\)$/, '');

/**
 * Retries `check` until it passes (or throws its last failure after `ms`): a crash-looping container
 * runs for a moment between two restarts, and a view taken then rightly shows it running.
 */
async function eventually(check: () => Promise<void>, ms = 30_000): Promise<void> {
	const until = Date.now() + ms;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > until) throw error;
			await new Promise(resolve => setTimeout(resolve, 500));
		}
	}
}

/** The `ps` table as rows of named cells (columns found from the header). */
function parseTable(text: string): Record<string, string>[] {
	const [header, ...lines] = text.split('\n').filter(Boolean);
	const names = ['APP', 'STATE', 'SERVICE', 'CONTAINER STATE', 'PORTS', 'UP', 'RESTARTS'];
	const starts = names.map(name => header!.indexOf(name));
	assert.ok(
		starts.every((start, i) => start >= 0 && (i === 0 || start > starts[i - 1]!)),
		`the ps header: ${header}`,
	);
	let app = '';
	let state = '';
	return lines.map(line => {
		const cells = Object.fromEntries(names.map((name, i) => [name, line.slice(starts[i], starts[i + 1]).trim()]));
		// Service rows below an app leave its cells blank.
		app = cells['APP'] || app;
		state = cells['STATE'] || state;
		return {...cells, APP: app, STATE: state};
	});
}

test('crash loop, exit 1, exit 0, unhealthy, starting, partial, paused, removed: the same words in ps --json, the ps table and the TUI', {
	...docker,
	timeout: 300_000,
}, async () => {
	const ws = workspace(await tempDir());
	// A model of its own: the project names of this run are unique on the machine.
	const model = `words${process.pid}-${Math.floor(Math.random() * 1e6)}`;
	const apps = SITUATIONS.map((situation, i) => ({...situation, id: `${model}/app${i + 1}`, dir: path.join(ws.root, model, `app${i + 1}`)}));
	for (const app of apps) {
		await mkdir(app.dir, {recursive: true});
		await writeFile(path.join(app.dir, 'docker-compose.yml'), `services:\n${app.compose}`);
		projects.push(`${model}-${path.basename(app.dir)}`);
	}
	// Two at a time: eight stacks at once would be slow on a loaded machine.
	for (let i = 0; i < apps.length; i += 2) {
		await Promise.all(
			apps.slice(i, i + 2).map(async app => {
				const up = await ws.cli(['up', app.id], {timeout: 120_000});
				assert.equal(up.exitCode, 0, `up ${app.id}: ${up.stderr}`);
				if (app.afterUp === 'down') assert.equal((await ws.cli(['down', app.id, '-t', '0'])).exitCode, 0);
				if (app.afterUp === 'pause') {
					const ids = (await execa('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${model}-${path.basename(app.dir)}`])).stdout
						.split('\n')
						.filter(Boolean);
					await execa('docker', ['pause', ...ids]);
				}
			}),
		);
	}
	// Containers take a moment to exit, fail their check or enter the restart loop (a few restarts in,
	// the Engine waits seconds between two: the loop is then mostly seen restarting).
	for (const app of apps)
		await waitFor(ws, app.id, status => status.state === app.app && (app.app !== 'crash-loop' || (status.services[0]?.restartCount ?? 0) >= 3), 90_000);

	// 1. ps --json: the app's state and each service's status word.
	await eventually(async () => {
		const json = parseJson<FleetStatus<ListedServiceStatus>>(await ws.cli(['ps', '--json']));
		for (const app of apps) {
			const found = json.apps.find(a => a.id === app.id);
			assert.equal(found?.state, app.app, `ps --json: ${app.name}`);
			assert.deepEqual(
				Object.fromEntries(found!.services.map(s => [s.service, s.status])),
				Object.fromEntries(Object.entries(app.services).map(([s, w]) => [s, word(w)])),
				`ps --json services: ${app.name}`,
			);
		}
		assert.deepEqual(json.totals, {running: 3, unhealthy: 1, error: 2}, 'unhealthy, starting and partial run; exit 1 and the crash loop are errors');
	});

	// 2. The ps table: the STATE and CONTAINER STATE columns.
	await eventually(async () => {
		const human = await ws.cli(['ps']);
		assert.equal(human.exitCode, 0, human.stderr);
		const rows = parseTable(human.stdout);
		for (const app of apps) {
			const mine = rows.filter(r => r['APP'] === app.id);
			assert.equal(mine[0]?.['STATE'], app.app, `ps table: ${app.name}\n${human.stdout}`);
			const services = Object.fromEntries(mine.filter(r => r['SERVICE'] !== '-').map(r => [r['SERVICE'], r['CONTAINER STATE']]));
			assert.deepEqual(services, app.services, `ps table services: ${app.name}\n${human.stdout}`);
		}
	});

	// 3. The TUI, on the real services: the badge of every app, then each app's status pane.
	const services = await createServices({root: ws.root, storeFile: ws.store, pluginDirs: [], env: {...process.env}, cwd: ws.root});
	const tui = renderApp(services);
	try {
		for (const [i, app] of apps.entries()) await tui.waitFor(new RegExp(`app${i + 1} +${app.app} `), 30_000);
		await tui.press('l');
		for (const [i, app] of apps.entries()) {
			await tui.waitFor(`Status · ${app.id}`);
			for (const [service, text] of Object.entries(app.services)) await tui.waitFor(new RegExp(`│[ >]${service} +${text.replace(/[()]/g, '\\$&')} `), 30_000);
			if (i < apps.length - 1) await tui.press('j');
		}
	} finally {
		tui.unmount();
		services.dispose();
	}
});
