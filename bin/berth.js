#!/bin/sh
// 2>/dev/null; case "$1" in -V|--version|-h|--help) ;; ''|-*) exec node --max-semi-space-size=4 "$0" "$@";; esac; exec node "$0" "$@"
// Node entry point: runs the compiled CLI. Deno runs source/cli.tsx directly (see deno.json).
// The two lines above make this file a shell script too: run as `berth` (npm link, npx, ./bin/berth.js)
// the kernel hands it to sh, which runs Node on it at once, with the TUI's V8 flag (below) when the
// first word is no command (the TUI has none), so the TUI needs no second Node start (execve: ~40 ms of
// CPU). Commands, --version and --help run without it. To sh the second line runs `//` (a folder: it
// fails, silently) and then Node; to Node the first line is a hashbang and the second a comment.
// `node bin/berth.js` works as before.
// First: answers `berth --version` before anything else is loaded (on any Node version).
import '../dist/version.js';

// Built-in modules as Node's own objects: imported as ES modules, each would cost a module facade built
// at start-up (~1 ms apiece). (Before Node 22.3, which has no getBuiltinModule, imported.)
const builtin = async name => process.getBuiltinModule?.(name) ?? (await import(name));
const {existsSync, statSync} = await builtin('node:fs');
const module = await builtin('node:module');
const {fileURLToPath} = await builtin('node:url');
const {parseArgs} = await builtin('node:util');

const args = process.argv.slice(2);
const self = fileURLToPath(import.meta.url);

// The TUI runs with a small young generation: following a chatty container, V8 otherwise grows the
// heap by up to 4x what is live (log lines rotating through a bounded buffer), the young generation
// above all: ~165 MB and rising after 40 s of 5,000 lines/s instead of ~120 MB flat (bench/tui part 2).
// V8 reads the semi-space size only when the heap is made, so setting it from JavaScript does nothing.
// (The old generation's growth, --heap-growing-percent, is set from JavaScript once the TUI is drawn:
// source/ui/run-tui.ts. Given at start it changes V8's flag hash, and V8 then refuses Node's embedded
// code cache for every built-in module loaded after start-up: 30-40 ms of CPU compiling them afresh.)
// Run as a script, the sh line at the top passes it to the TUI. Run as `node bin/berth.js`, the TUI
// replaces this process (execve: same pid, no second process) by a Node started with it; a Node
// without process.execve (< 22.15) starts it as a child instead. `npm start` passes it directly.
// (A shebang with `env -S` breaks on BusyBox; the sh line does not.) Keep the lists equal.
const TUI_FLAGS = ['--max-semi-space-size=4'];

/** No command: berth opens the TUI (parsed as source/main.tsx parses it). */
async function opensTui() {
	const {GLOBAL_OPTIONS} = await import('../dist/global-options.js');
	const {values, positionals} = parseArgs({args, options: GLOBAL_OPTIONS, strict: false, allowPositionals: true});
	return positionals.length === 0 && !values.help && !values.version;
}

/** Runs berth under `node` with `flags` and exits with its status; signals sent to this process go on to it. */
async function runChild(node, flags) {
	// Loaded here, not at the top: node:child_process is not in Node's start-up snapshot, and only the
	// hand-over to another Node needs it.
	const {spawn} = await import('node:child_process');
	const child = spawn(node, [...flags, self, ...args], {stdio: 'inherit'});
	// Ctrl-C reaches the child from the terminal itself; this waiting parent must not die first.
	process.on('SIGINT', () => {});
	for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
	child.on('exit', (code, signal) => process.exit(code ?? 128 + ({SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15}[signal] ?? 0)));
}

const major = Number(process.versions.node.split('.')[0]);
const tui = await opensTui();
const tuiFlags = tui && !process.execArgv.some(flag => flag.startsWith('--max-semi-space-size')) ? TUI_FLAGS : [];
if (major < 22) {
	// `npm install` put a Node 24 into .tools/ on a machine whose Node is older: run berth under it.
	const local = fileURLToPath(new URL('../.tools/node24/node_modules/.bin/node', import.meta.url));
	if (!existsSync(local)) {
		process.stderr.write(
			`error: berth needs Node.js 22 or newer; this is Node.js ${process.versions.node}. Run "npm install" in the berth folder (it fetches Node 24 into .tools/), or install a newer Node.js.\n`,
		);
		process.exit(1);
	}
	await runChild(local, [...process.execArgv, ...tuiFlags]);
} else if (tuiFlags.length > 0) {
	const flags = [...tuiFlags, ...process.execArgv];
	if (typeof process.execve === 'function') process.execve(process.execPath, [process.execPath, ...flags, self, ...args], process.env);
	else await runChild(process.execPath, flags);
} else {
	// Every command, not only the TUI: from the second run on Node reads compiled code from its cache
	// (os.tmpdir()/node-compile-cache) instead of compiling berth's modules again.
	module.enableCompileCache?.();
	// berth runs from its bundles when they are there (scripts/bundle.mjs): the TUI from dist/tui/ (a few
	// files instead of ~300 modules), a command from dist/cmd/cli.cjs (one file instead of ~50 modules;
	// it requires the ES modules it leaves out, which needs a Node that can: 22.12 and later). Else from
	// tsc's output, which a command loads without Ink. A bundle older than that output (tsc run alone
	// since) is stale: not used.
	const built = statSync(new URL('../dist/cli.js', import.meta.url)).mtimeMs;
	const fresh = bundle => statSync(bundle, {throwIfNoEntry: false})?.mtimeMs >= built;
	const tuiBundle = new URL('../dist/tui/cli.js', import.meta.url);
	const commandBundle = new URL('../dist/cmd/cli.cjs', import.meta.url);
	if (tui) await import(fresh(tuiBundle) ? tuiBundle.href : '../dist/cli.js');
	else if (process.features.require_module && fresh(commandBundle)) module.createRequire(import.meta.url)(fileURLToPath(commandBundle));
	else await import('../dist/cli.js');
}
