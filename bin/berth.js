#!/usr/bin/env node
// Node entry point: runs the compiled CLI. Deno runs source/cli.tsx directly (see deno.json).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
	process.stderr.write(`error: berth needs Node.js 22 or newer; this is Node.js ${process.versions.node} (${process.execPath}). Install a newer Node.js (e.g. "npm i --prefix ~/.node24 node@24" and put ~/.node24/node_modules/.bin first on PATH).\n`);
	process.exit(1);
}
await import('../dist/cli.js');
