#!/usr/bin/env -S node --heap-growing-percent=20 --max-semi-space-size=4
// Node entry point: runs the compiled CLI. Deno runs source/cli.tsx directly (see deno.json).
// The V8 flags keep the TUI's memory flat while it follows a chatty container: V8 otherwise grows the
// heap by up to 4x what is live when allocation is fast (log lines rotating through a bounded buffer),
// ~165 MB and rising after 40 s of 5,000 lines/s instead of ~115 MB flat (bench/tui). `npm start`
// and deno.json's tasks pass the same flags.
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
	const result = spawnSync(local, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {stdio: 'inherit'});
	process.exit(result.status ?? 1);
}
await import('../dist/cli.js');
