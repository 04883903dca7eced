// Runtimes berth needs that a fresh machine may lack, installed from the npm registry into .tools/
// (git-ignored, outside node_modules — a `deno` inside node_modules/.bin breaks `deno task`).
// Used by `npm install` (prepare), bin/berth.js and `npm test`; .ci/run installs its own the same way.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.join(root, '.tools');
export const localNode = path.join(tools, 'node24', 'node_modules', '.bin', 'node');
export const localDeno = path.join(tools, 'deno', 'node_modules', '.bin', 'deno');

export function nodeIsRecent(version = process.versions.node) {
	return Number(version.split('.')[0]) >= 22;
}

function install(prefix, spec) {
	console.error(`berth: installing ${spec} into ${path.relative(root, prefix)}/ (this machine lacks it) ...`);
	const result = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', spec], {
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	if (result.status !== 0) throw new Error(`npm install ${spec} failed (exit ${result.status})`);
}

/** A Node.js >= 22: this one, else .tools/node24 (installed on first use when `install` is set). */
export function ensureNode({install: allowInstall = true} = {}) {
	if (nodeIsRecent()) return process.execPath;
	if (!existsSync(localNode) && allowInstall) install(path.join(tools, 'node24'), 'node@24');
	return existsSync(localNode) ? localNode : null;
}

/** A Deno >= 2: the one on PATH, else .tools/deno (installed on first use). */
export function ensureDeno() {
	const onPath = spawnSync('deno', ['--version'], {encoding: 'utf8'});
	if (!onPath.error && onPath.status === 0) return 'deno';
	if (!existsSync(localDeno)) install(path.join(tools, 'deno'), 'deno@2');
	return localDeno;
}
