import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execa} from 'execa';
import {mkdir, readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {runCli, parseJson} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';
import {runtimeCommand} from '../helpers/runtime.ts';

async function workspace() {
	const dir = await tempDir();
	const env = {XDG_CONFIG_HOME: path.join(dir, 'config'), BERTH_STORE: path.join(dir, 'ports.json'), BERTH_ROOT: path.join(dir, 'apps')};
	return {dir, env, root: path.join(dir, 'apps')};
}

/** Every entry under dir (files, folders, links), relative, sorted. */
async function everything(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => []);
	return entries.map(e => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

const ROUNDS = 40;

test(`berth new never writes outside the app folder while a folder inside it is swapped for a symlink (${ROUNDS} rounds)`, async () => {
	const {dir, env, root} = await workspace();
	const outside = path.join(dir, 'outside');
	await mkdir(outside);
	const modelDir = path.join(root, 'm');
	await mkdir(modelDir, {recursive: true});
	const [file, args] = runtimeCommand('test/fixtures/symlink-swapper.ts');
	const swapper = execa(file, [...args, modelDir, outside, 'backend'], {reject: false, buffer: false, stdin: 'ignore'});
	const outcomes = {ok: 0, refused: 0, undone: 0};
	try {
		await new Promise<void>((resolve, reject) => {
			swapper.stdout!.once('data', () => resolve());
			void swapper.then(result => reject(new Error(`the swapper ended before it started: ${String(result.stderr)}`)));
		});
		for (let n = 1; n <= ROUNDS; n++) {
			// The app folder exists (empty) before berth starts, so the swapper works inside it all along.
			const appDir = path.join(modelDir, `app${n}`);
			await mkdir(appDir);
			const result = await runCli(['new', `m/app${n}`, '--flavour', 'react-flask', '--json'], {env});
			assert.deepEqual(await everything(outside), [], `round ${n}: berth wrote outside the app folder (exit ${result.exitCode}: ${result.stderr})`);
			if (result.exitCode === 0) {
				outcomes.ok++;
				for (const name of ['docker-compose.yml', '.env', '.berth.json']) await readFile(path.join(appDir, name));
			} else {
				outcomes.refused++;
				assert.equal(result.exitCode, 1, `round ${n}: ${result.stderr}`);
				const {error} = parseJson<{error: {code: string; message: string}}>(result);
				assert.notEqual(error.code, 'internal', `round ${n}: ${error.message}`);
				assert.match(error.message, /app\d+\/backend/, `round ${n}: the error names the folder`);
				// Refused while writing (not at the plan): what was written is undone, and the error says so.
				if (/Nothing was left behind/.test(error.message)) outcomes.undone++;
			}
		}
	} finally {
		swapper.kill('SIGKILL');
		await swapper;
	}
	assert.deepEqual(await everything(outside), []);
	console.log(
		`# ${ROUNDS} rounds under the swapper: ${outcomes.ok} written inside, ${outcomes.refused} refused (${outcomes.undone} of them while writing, undone), 0 escapes`,
	);
});

const INJECTION = 's3cret-value\nBACKEND_PORT=80\nCOMPOSE_PROJECT_NAME=x';

test('a --set value with a newline or another control character: exit 2 naming the variable, a secret never echoed, nothing written', async () => {
	const {dir, env} = await workspace();
	const cases: [string, string][] = [
		['multi-db-seeder', `postgresPassword=${INJECTION}`],
		['multi-db-seeder', `dbName=app\rBACKEND_PORT=80`],
		['multi-db-seeder', `mongoPassword=abc\tdef`],
		['react-flask', `appTitle=Title\u001b]0;pwned\u0007`],
	];
	for (const [flavour, set] of cases) {
		const name = set.slice(0, set.indexOf('='));
		for (const json of [false, true]) {
			const result = await runCli(['new', 'm/app1', '--flavour', flavour, '--set', set, ...(json ? ['--json'] : [])], {env});
			assert.equal(result.exitCode, 2, `${set}: ${result.stderr}`);
			assert.match(result.stderr, new RegExp(`--set ${name}: .*control character`));
			for (const output of [result.stdout, result.stderr]) {
				assert.ok(
					!output.includes('BACKEND_PORT=80') && !output.includes('s3cret') && !output.includes('pwned') && !output.includes('abc'),
					`${set} echoed: ${output}`,
				);
			}
			if (json) assert.equal(parseJson<{error: {code: string}}>(result).error.code, 'bad-variable');
		}
	}
	assert.deepEqual(
		(await readdir(dir)).filter(name => name !== 'config'),
		[],
	);
});

test('a read-only folder met mid-scaffold (immutable, so it fails as root too): exit 1 naming path and reason, files and allocation undone', async t => {
	const {dir, env, root} = await workspace();
	const appDir = path.join(root, 'm', 'app1');
	const locked = path.join(appDir, 'frontend');
	await mkdir(locked, {recursive: true});
	const chattr = await execa('chattr', ['+i', locked], {reject: false});
	if (chattr.exitCode !== 0) return t.skip(`chattr +i is not available here: ${String(chattr.stderr)}`);
	try {
		for (const json of [false, true]) {
			const result = await runCli(['new', 'm/app1', '--flavour', 'react-flask', ...(json ? ['--json'] : [])], {env});
			assert.equal(result.exitCode, 1, result.stderr);
			assert.match(
				result.stderr,
				new RegExp(
					`could not write ${locked.replace(/\./g, '\\.')}/\\S+: operation not permitted .*\\(EPERM\\)\\. Nothing was left behind: the allocation of m/app1 was released\\.`,
				),
			);
			if (json) assert.equal(parseJson<{error: {code: string}}>(result).error.code, 'write-failed');
			assert.deepEqual(await everything(appDir), ['frontend'], 'files written before the failure were removed');
			const store = JSON.parse(await readFile(path.join(dir, 'ports.json'), 'utf8')) as {allocations: unknown[]};
			assert.deepEqual(store.allocations, []);
		}
	} finally {
		await execa('chattr', ['-i', locked], {reject: false});
	}
});

test('SIGTERM at any moment of berth new leaves all or nothing: every file and the allocation, or neither', async () => {
	const {dir, env, root} = await workspace();
	const [file, prefix] = runtimeCommand('source/cli.tsx');
	const seen = {complete: 0, nothing: 0};
	for (let n = 1; n <= 8; n++) {
		const child = execa(file, [...prefix, 'new', `m/app${n}`, '--flavour', 'react-flask'], {reject: false, stdin: 'ignore', env: {NO_COLOR: '1', ...env}});
		// Staggered over a run's whole life: start-up, planning, writing, exit.
		setTimeout(() => child.kill('SIGTERM'), 60 * n);
		const result = await child;
		const appDir = path.join(root, 'm', `app${n}`);
		const files = (await everything(appDir)).filter(f => !f.endsWith('/') && /\./.test(path.basename(f)));
		const store = await readFile(path.join(dir, 'ports.json'), 'utf8').then(
			text => JSON.parse(text) as {allocations: {app: number}[]},
			() => ({allocations: []}),
		);
		const allocated = store.allocations.some(a => a.app === n);
		// A signal after the command has finished may still end the process: judge by what is on disk.
		const complete = allocated && files.includes('.berth.json') && files.includes('.env') && files.includes('docker-compose.yml');
		const nothing = !allocated && files.length === 0;
		assert.ok(
			complete || nothing,
			`run ${n} (exit ${result.exitCode}, ${String(result.stderr)}): half-written: allocated ${allocated}, files ${files.join(', ')}`,
		);
		if (result.exitCode === 0) assert.ok(complete, `run ${n}: exit 0 but not complete`);
		if (result.exitCode === 1) assert.match(String(result.stderr), /interrupted/);
		seen[complete ? 'complete' : 'nothing']++;
	}
	console.log(`# SIGTERM during berth new: ${seen.complete} complete, ${seen.nothing} left nothing, 0 half-written`);
});
