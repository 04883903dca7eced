#!/usr/bin/env node
// Node entry point: runs the compiled CLI. Deno runs source/cli.tsx directly (see deno.json).
import '../dist/cli.js';
