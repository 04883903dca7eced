import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {isDeno, ROOT} from './runtime.ts';
import {tempDir} from './temp.ts';

// Which packages a berth command loads (issue 12: most of what a one-shot command costs is the modules it
// loads). Runs berth's source under Node with a load hook; the module graph is the same under Deno.

/** Runs `node <entry> <args>` with a load hook: its output and every URL it loaded, in order. */
async function withLoadHook(
	node: string,
	prefix: string[],
	args: string[],
	env: Record<string, string>,
): Promise<{exitCode: number; stdout: string; stderr: string; urls: string[]; dir: string}> {
	const dir = await tempDir('berth-trace-');
	const hook = path.join(dir, 'hook.mjs');
	const log = path.join(dir, 'loads.log');
	await writeFile(
		hook,
		`import {registerHooks} from 'node:module';
import {appendFileSync} from 'node:fs';
registerHooks({load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }});
`,
	);
	const result = await execa(node, [...prefix.flatMap(p => (p === '<hook>' ? [hook] : [p])), ...args], {
		reject: false,
		stdin: 'ignore',
		env: {NO_COLOR: '1', ...env},
	});
	const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n');
	return {exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr), urls, dir};
}

/** Runs `berth <args>` from source under Node, returning its output and the packages it loaded. */
export async function traced(
	args: string[],
	env: Record<string, string> = {},
): Promise<{exitCode: number; stdout: string; stderr: string; packages: Set<string>}> {
	const dir = await tempDir('berth-trace-');
	const run = await withLoadHook('node', ['--import', 'tsx', '--import', '<hook>', path.join(ROOT, 'source', 'cli.tsx')], args, {
		BERTH_ROOT: path.join(dir, 'apps'),
		BERTH_STORE: path.join(dir, 'ports.json'),
		...env,
	});
	// Loads made by tsx itself (its loader, esbuild) are not berth's.
	const packages = new Set(
		run.urls
			.filter(url => url.includes('/node_modules/') && !/\/node_modules\/(tsx|esbuild|get-tsconfig|resolve-pkg-maps)\//.test(url))
			.map(url => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)![1]!),
	);
	return {exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr, packages};
}

/** `bin/berth.js <args>` under Node with a load hook: its output, the files of berth it loaded and the built-in modules. */
export async function nodeTraced(
	args: string[],
	env: Record<string, string> = {},
): Promise<{exitCode: number; stdout: string; stderr: string; loaded: string[]; builtins: string[]}> {
	const run = await withLoadHook(isDeno ? 'node' : process.execPath, ['--import', '<hook>', path.join(ROOT, 'bin', 'berth.js')], args, env);
	const prefix = `file://${ROOT}/`;
	const loaded = run.urls.filter(url => url.startsWith(prefix)).map(url => url.slice(prefix.length));
	const builtins = run.urls.filter(url => url.startsWith('node:'));
	return {exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr, loaded, builtins};
}

/** The names among `names` that were loaded. */
export const absent = (packages: Set<string>, names: string[]) => names.filter(name => packages.has(name));
