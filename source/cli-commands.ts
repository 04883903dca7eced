// The entry point of Node's one-shot commands when berth is built: scripts/bundle.mjs bundles it, with
// everything a command loads at start-up, into one CommonJS file (dist/cmd/cli.cjs) that bin/berth.js
// requires. Node resolves, compiles and links each ES module on its own (~0.5 ms each, and ~2 ms for
// each built-in module imported as one): ~50 of them before `berth stop` can start compose, ~25 ms of
// a ~65 ms command. One file of ordinary code costs a fraction of that. The terminal UI has its own
// bundle (dist/tui/); Deno runs source/cli.tsx. bin/berth.js has answered `--version` already.
import {runCli} from './main.tsx';

void runCli(process.argv.slice(2)).then(code => {
	process.exitCode = code;
});
