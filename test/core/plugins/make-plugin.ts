import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {PortProbe} from '../../../source/core/ports/probes.ts';

/** A plugin folder written by a test: a manifest (merged over a valid base) and files/. */
export async function makePlugin(
	parent: string,
	id: string,
	manifest: Record<string, unknown> = {},
	files: Record<string, string | Uint8Array> = {},
): Promise<string> {
	const dir = path.join(parent, id);
	await mkdir(path.join(dir, 'files'), {recursive: true});
	const base = {
		schemaVersion: 1,
		id,
		name: `Test ${id}`,
		description: `Test plugin ${id}`,
		version: '1.2.3',
		berth: '>=0.1.0',
		ports: [{slot: 'web', base: 20001, step: 2, container: 80}],
		variables: [{name: 'title', type: 'string', default: 'Hello', pattern: '[A-Za-z ]+'}],
	};
	await writeFile(path.join(dir, 'berth-plugin.json'), JSON.stringify({...base, ...manifest}, null, '\t'));
	const all = {
		'docker-compose.yml.eta':
			'services:\n  web:\n    image: nginx:alpine\n    container_name: <%= it.projectName %>-web\n    ports:\n      - "<%= it.publish(\'web\') %>"\n',
		...files,
	};
	for (const [relative, content] of Object.entries(all)) {
		const target = path.join(dir, 'files', relative);
		await mkdir(path.dirname(target), {recursive: true});
		await writeFile(target, content);
	}
	return dir;
}

/** Every port free, no container: allocation is deterministic (base + k*step) in unit tests. */
export const FREE_PROBE: PortProbe = {isBound: async () => false, publishedPorts: async () => new Map()};
