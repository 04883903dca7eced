// `npm install` runs this: makes sure a Node.js >= 22 is at hand (installing one into .tools/ when the
// machine's is older), then builds dist/ with tsc and bundles the terminal UI (scripts/bundle.mjs).
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {ensureNode, root} from './tools.mjs';

const node = ensureNode();
if (!node) {
	console.error('berth: could not get a Node.js >= 22; install one and run npm install again.');
	process.exit(1);
}
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(node, [tsc, '-p', 'tsconfig.build.json'], {cwd: root, stdio: 'inherit'});
if (result.status !== 0) process.exit(result.status ?? 1);
// The terminal UI's bundle (bin/berth.js runs it when present).
const bundle = spawnSync(node, [path.join(root, 'scripts', 'bundle.mjs')], {cwd: root, stdio: 'inherit'});
process.exit(bundle.status ?? 1);
