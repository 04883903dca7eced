#!/usr/bin/env node
// Node entry point: runs the compiled CLI. Deno runs source/cli.tsx directly (see deno.json).
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
	// `npm install` put a Node 24 into .tools/ on a machine whose Node is older: run berth under it.
	const local = fileURLToPath(new URL('../.tools/node24/node_modules/.bin/node', import.meta.url));
	if (!existsSync(local)) {
		process.stderr.write(`error: berth needs Node.js 22 or newer; this is Node.js ${process.versions.node}. Run "npm install" in the berth folder (it fetches Node 24 into .tools/), or install a newer Node.js.\n`);
		process.exit(1);
	}
	// The child handles Ctrl-C itself (and ends cleanly); this waiting parent must not die first.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
	const result = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {stdio: 'inherit'});
	process.exit(result.status ?? 1);
}
await import('../dist/cli.js');
