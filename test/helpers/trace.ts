import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {isDeno, ROOT} from './runtime.ts';
import {tempDir} from './temp.ts';

/** `bin/berth.js <args>` under Node with a load hook: its output, the files of berth it loaded and the built-in modules. */
export async function nodeTraced(
	args: string[],
	env: Record<string, string> = {},
): Promise<{exitCode: number; stdout: string; stderr: string; loaded: string[]; builtins: string[]}> {
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
	const node = isDeno ? 'node' : process.execPath;
	const result = await execa(node, ['--import', hook, path.join(ROOT, 'bin', 'berth.js'), ...args], {
		reject: false,
		stdin: 'ignore',
		env: {NO_COLOR: '1', ...env},
	});
	const prefix = `file://${ROOT}/`;
	const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n');
	const loaded = urls.filter(url => url.startsWith(prefix)).map(url => url.slice(prefix.length));
	const builtins = urls.filter(url => url.startsWith('node:'));
	return {exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr), loaded, builtins};
}
