// berth's version, and `berth --version` answered before anything else is loaded. Imported first by
// source/cli.tsx and bin/berth.js: scripts and shells run `berth --version` to see that berth is there,
// and it should cost little more than starting the runtime. So this module imports nothing (Deno spends
// ~30 ms setting up its Node compatibility on the first use of `node:fs` or `process`): it reads with
// the runtime's own calls and, for `--version` / `-V` alone (or with `--json`), prints and exits while the
// rest of berth is still unevaluated. Any other use of --version goes through the parser in main.tsx.

declare const Deno: {args: string[]; readTextFileSync(path: URL): string; exit(code: number): never} | undefined;

/** berth's version, from its package.json. */
export function berthVersion(): string {
	const url = new URL('../package.json', import.meta.url);
	const text = typeof Deno !== 'undefined' ? Deno.readTextFileSync(url) : process.getBuiltinModule('node:fs').readFileSync(url, 'utf8');
	return (JSON.parse(text) as {version: string}).version;
}

/** What `berth --version` prints: `berth 1.2.3`, or `{"version":"1.2.3"}` under --json. */
export function versionLine(json: boolean): string {
	return json ? JSON.stringify({version: berthVersion()}) : `berth ${berthVersion()}`;
}

const args = typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2);
// (Before Node 22.3, which has no getBuiltinModule, bin/berth.js hands over to a newer Node that answers.)
const canRead = typeof Deno !== 'undefined' || typeof process.getBuiltinModule === 'function';
if (canRead && args.some(arg => arg === '--version' || arg === '-V') && args.every(arg => arg === '--version' || arg === '-V' || arg === '--json')) {
	// console.log writes synchronously to files, pipes and terminals on both runtimes, so exiting next loses nothing.
	console.log(versionLine(args.includes('--json')));
	if (typeof Deno !== 'undefined') Deno.exit(0);
	process.exit(0);
}
