#!/usr/bin/env node
// The entry point: Deno runs this file, Node its compiled dist/cli.js (through bin/berth.js).
// First: source/version.ts answers `berth --version` and exits. This file imports nothing else
// statically: a runtime loads and links every static import of a module before it runs any of them
// (Deno compiles each one and sets up its Node compatibility for `node:` imports, ~20 ms of the
// version's ~45), so the rest of berth is imported only afterwards.
import './version.ts';

const {runCli} = await import('./main.tsx');
// Set, not process.exit(): pending writes to a pipe drain before the process leaves.
process.exitCode = await runCli(process.argv.slice(2));
