import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, rm, symlink, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:net';
import path from 'node:path';
import {tempDir} from '../../helpers/temp.ts';
import {isDeno} from '../../helpers/runtime.ts';
import {lintPlugin, type LintResult} from '../../../source/core/lint/lint.ts';
import {findDeno, replyReader, RenderSandboxError, sandboxRuntime} from '../../../source/core/lint/render-sandbox.ts';
import type {WorkerResponse} from '../../../source/core/lint/render-protocol.ts';
import {makePlugin} from '../plugins/make-plugin.ts';

/** Under Node: the sandbox lint picks (Deno when found) and the Node one (deno: null); under Deno: Deno. */
const MODES: {label: string; deno?: null}[] = isDeno ? [{label: 'deno'}] : [{label: 'auto'}, {label: 'node', deno: null}];
const nodeRefusesNetwork = !isDeno && process.allowedNodeEnvironmentFlags.has('--allow-net');

async function lintEvil(code: string, deno?: null, parent?: string): Promise<{result: LintResult; template: string}> {
	const dir = parent ?? (await tempDir());
	const pluginDir = await makePlugin(dir, 'evil', {}, {'README.md.eta': `# <%= it.vars.title %>\n<% ${code} %>\n`});
	return {
		result: await lintPlugin(pluginDir, deno === null ? {compose: false, deno: null} : {compose: false}),
		template: path.join(pluginDir, 'files', 'README.md.eta'),
	};
}

const errors = (result: LintResult) => result.problems.filter(p => p.severity === 'error');

async function listen(server: Server, ...args: unknown[]): Promise<void> {
	await new Promise<void>(resolve => (server.listen as (...a: unknown[]) => void)(...args, () => resolve()));
}

test('lint renders under Deno when Node runs it and a Deno is found; else it says Node cannot refuse the network', async () => {
	if (isDeno) {
		assert.equal(sandboxRuntime().name, 'deno');
		return;
	}
	const dir = await tempDir();
	const pluginDir = await makePlugin(dir, 'plain');
	const found = findDeno();
	const auto = await lintPlugin(pluginDir, {compose: false});
	assert.equal(auto.ok, true, JSON.stringify(auto.problems));
	if (found) assert.deepEqual(auto.sandbox, {name: 'deno', version: found.version, networkRefused: true, warning: null});
	const node = await lintPlugin(pluginDir, {compose: false, deno: null});
	assert.equal(node.ok, true);
	assert.equal(node.sandbox?.name, 'node');
	assert.equal(node.sandbox?.networkRefused, nodeRefusesNetwork);
	if (nodeRefusesNetwork) assert.equal(node.sandbox?.warning, null);
	else
		assert.equal(
			node.sandbox?.warning,
			`templates were rendered by Node ${process.versions.node}, which cannot take the network away from them (Deno or Node >= 25 can): lint only plugins you trust`,
		);
	// A PATH without Deno finds none (unless berth's .tools/ holds one).
	assert.equal(findDeno({PATH: path.dirname(process.execPath)})?.command ?? null, findDeno({PATH: ''})?.command ?? null);
});

test("lint: a template cannot reach a socket through the renderer's own stdio streams", async () => {
	let connections = 0;
	const onConnection = (socket: {destroy(): void}) => {
		connections++;
		socket.destroy();
	};
	const tcp = createServer(onConnection);
	const unix = createServer(onConnection);
	const socketFile = path.join(await tempDir(), 's.sock');
	await listen(tcp, 0, '127.0.0.1');
	await listen(unix, socketFile);
	const {port} = tcp.address() as {port: number};
	try {
		for (const mode of MODES) {
			for (const code of [
				`const s = new (process.stdout.constructor)(); s.on("error", () => {}); s.connect(${port}, "127.0.0.1")`,
				`const s = new (process.stdin.constructor)(); s.on("error", () => {}); s.connect(${JSON.stringify(socketFile)})`,
				`const s = new (process.stderr.constructor)(); s.on("error", () => {}); s.connect(${JSON.stringify(socketFile)})`,
				`const H = process.stdout._handle.constructor; const h = new H(0); h.connect({oncomplete() {}}, ${JSON.stringify(socketFile)})`,
				`const S = Object.getPrototypeOf(process.getBuiltinModule("tty").WriteStream); new S().connect(${port}, "127.0.0.1")`,
				`const [h] = process._getActiveHandles().filter(h => h.constructor.name === "Socket"); new h.constructor().connect(${port}, "127.0.0.1")`,
			]) {
				const {result} = await lintEvil(code, mode.deno);
				assert.equal(result.ok, false, `${mode.label}: ${code}`);
				await new Promise(resolve => setTimeout(resolve, 100));
				assert.equal(connections, 0, `${mode.label}: a template connected during lint: ${code}`);
			}
		}
	} finally {
		tcp.close();
		unix.close();
	}
});

test('lint refuses a plugin holding a symbolic link, naming it, before any template or file is read', async () => {
	const dir = await tempDir();
	const secret = path.join(dir, 'secret.txt');
	await writeFile(secret, 'TOP-SECRET-CONTENT');
	for (const [where, link] of [
		['root', 'link'],
		['partials', 'partials/leak.eta'],
		['manifest', null],
	] as const) {
		const parent = path.join(dir, where);
		const pluginDir = await makePlugin(
			parent,
			'links',
			{},
			{'README.md.eta': `<%= process.getBuiltinModule("fs").readFileSync(${JSON.stringify(path.join(parent, 'links', 'link'))}, "utf8") %>\n`},
		);
		const linkPath = link ? path.join(pluginDir, link) : path.join(pluginDir, 'berth-plugin.json');
		await mkdir(path.dirname(linkPath), {recursive: true});
		if (!link) {
			await writeFile(secret, 'TOP-SECRET-CONTENT not json');
			await rm(linkPath);
		}
		await symlink(secret, linkPath);
		for (const mode of MODES) {
			const result = await lintPlugin(pluginDir, mode.deno === null ? {compose: false, deno: null} : {compose: false});
			assert.equal(result.ok, false, `${where} ${mode.label}`);
			assert.deepEqual(
				errors(result).map(p => p.file),
				[linkPath],
			);
			assert.match(errors(result)[0]!.message, /is a symbolic link \(to .*secret\.txt\): a plugin may hold no symbolic links/);
			assert.ok(!JSON.stringify(result).includes('TOP-SECRET'), `${where} ${mode.label}: the linked file leaked`);
		}
	}
});

test("lint: template output without a newline, or a template that tampers with stdout or JSON, does not hang or break the renderer's replies", async () => {
	for (const mode of MODES) {
		for (const code of [
			'process.getBuiltinModule("fs").writeSync(1, "x")',
			'process.getBuiltinModule("fs").writeSync(1, "x".repeat(100000))',
			'JSON.stringify = () => "{bad"',
			'JSON.parse = () => ({})',
		]) {
			const started = Date.now();
			const {result} = await lintEvil(code, mode.deno);
			assert.deepEqual(errors(result), [], `${mode.label}: ${code}`);
			assert.ok(Date.now() - started < 15_000);
			assert.ok(result.checked[0]!.files.includes('docker-compose.yml'));
		}
		// Node's worker has no stdout stream (templates get one leading nowhere); Deno's replies do not go through it.
		const tampered = await lintEvil(
			'process.stdout._write = (c, e, done) => done(); process.stdout.write = () => true; JSON.stringify = () => "{bad"',
			mode.deno,
		);
		assert.deepEqual(errors(tampered.result), [], mode.label);
	}
});

test('the reply reader finds the nonce anywhere, skips other output, and reports a bad reply instead of throwing', () => {
	const nonce = 'n0nce';
	const replies: WorkerResponse[] = [];
	const broken: RenderSandboxError[] = [];
	const read = replyReader(
		nonce,
		r => void replies.push(r),
		e => void broken.push(e),
	);
	read('noise without newline');
	read(`xx${nonce} {"id": 1, "ok": true, "files": {}}\nmore noise\n`);
	read(`${'y'.repeat(1000)}`);
	read(`\n${nonce} {"id": 2, "ok": true, "fi`);
	read('les": {}}\n');
	assert.deepEqual(
		replies.map(r => r.id),
		[1, 2],
	);
	assert.equal(broken.length, 0);
	read(`${nonce} {not json\n`);
	assert.equal(broken.length, 1);
	assert.ok(broken[0] instanceof RenderSandboxError);
	assert.match(broken[0]!.message, /lint's template renderer sent an unreadable reply/);
	read(`${nonce} {"id": 3, "ok": true, "files": {}}\n`);
	assert.equal(replies.length, 2, 'nothing is read after a bad reply');
});

test("lint refuses a plugin whose path holds a comma (Deno's --allow-read is comma-separated)", async () => {
	for (const mode of MODES) {
		const {result} = await lintEvil('', mode.deno, path.join(await tempDir(), 'a,b'));
		assert.equal(result.ok, false, mode.label);
		assert.match(errors(result)[0]!.message, /a,b\/evil: lint's sandbox cannot render a plugin whose path holds a comma/);
	}
});
