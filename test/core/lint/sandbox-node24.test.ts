/**
 * Every way a template was found to reach a socket, a process or the Docker Engine from lint's renderer
 * when Node renders (Node 24 has no network permission: the renderer takes these away itself), each
 * tried against the real engine: the template asks the Docker socket to create a network with a
 * unique name, and the test checks that lint fails naming what was refused and that no network exists.
 * Under Deno the same templates meet Deno's own permissions.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {execa} from 'execa';
import {tempDir} from '../../helpers/temp.ts';
import {isDeno} from '../../helpers/runtime.ts';
import {parseJson, runCli} from '../../helpers/cli.ts';
import {dockerTestOptions} from '../../helpers/docker.ts';
import {lintPlugin, type LintResult} from '../../../source/core/lint/lint.ts';
import {makePlugin} from '../plugins/make-plugin.ts';

const SOCKET = (process.env['DOCKER_HOST'] ?? '').startsWith('unix://') ? process.env['DOCKER_HOST']!.slice('unix://'.length) : '/var/run/docker.sock';

/** A network name no other test uses; `berth-lint-escape-` marks it for cleanup. */
const networkName = (route: string) => `berth-lint-escape-${route.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${randomBytes(4).toString('hex')}`;

/** Template code (an Eta scriptlet) for each route: `NAME` is the network it asks the engine to create. */
function routes(name: string): Record<string, {code: string; cjs?: string; refused: RegExp}> {
	const body = JSON.stringify({Name: name});
	const request = JSON.stringify(
		`POST /networks/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
	);
	const sock = JSON.stringify(SOCKET);
	const viaSocket = (Socket: string) =>
		`const Socket = ${Socket}; const s = new Socket(); s.on("error", () => {}); s.connect(${sock}, () => s.write(${request}))`;
	const viaClient = (ClientRequest: string) =>
		`const r = new (${ClientRequest})({socketPath: ${sock}, method: "POST", path: "/networks/create", headers: {"content-type": "application/json"}}); r.on("error", () => {}); r.end(${JSON.stringify(body)})`;
	const dataModule = `import {ClientRequest} from "node:_http_client"; ${viaClient('ClientRequest')}`;
	return {
		_http_agent: {
			code: `const s = new (process.getBuiltinModule("_http_agent").Agent)().createConnection({path: ${sock}}); s.on("error", () => {}); s.write(${request})`,
			refused: /use the network \(node:_http_agent\)/,
		},
		_http_client: {code: viaClient('process.getBuiltinModule("_http_client").ClientRequest'), refused: /use the network \(node:_http_client\)/},
		_http_server: {code: 'new (process.getBuiltinModule("_http_server").Server)().listen(0, "127.0.0.1")', refused: /use the network \(node:_http_server\)/},
		_tls_wrap: {code: viaSocket('Object.getPrototypeOf(process.getBuiltinModule("_tls_wrap").TLSSocket)'), refused: /use the network \(node:_tls_wrap\)/},
		_tls_common: {code: 'process.getBuiltinModule("node:_tls_common")', refused: /use the network \(node:_tls_common\)/},
		_stream_wrap: {code: viaSocket('Object.getPrototypeOf(process.getBuiltinModule("_stream_wrap"))'), refused: /use the network \(node:_stream_wrap\)/},
		_stream_duplex: {code: 'process.getBuiltinModule("_stream_duplex")', refused: /use node:_stream_duplex \(templates may load only/},
		'import node: URL': {
			code: `import("node:_http_client").then(({ClientRequest}) => { ${viaClient('ClientRequest')} })`,
			refused: /use the network \(node:_http_client\)/,
		},
		'import data: URL': {
			code: `import(${JSON.stringify(`data:text/javascript,${encodeURIComponent(dataModule)}`)})`,
			refused: /use the network \(node:_http_client\)/,
		},
		'require in a CommonJS file': {
			code: 'IMPORT_CJS',
			cjs: viaClient('require("_http_client").ClientRequest'),
			refused: /use the network \(node:_http_client\)/,
		},
		'module.createRequire': {
			code: 'IMPORT_CJS',
			cjs: viaClient('module.constructor.createRequire(__filename)("node:_http_client").ClientRequest'),
			refused: /use the network \(node:_http_client\)/,
		},
		'module.registerHooks': {
			code: 'IMPORT_CJS',
			cjs: `module.constructor.registerHooks({resolve: (s, c, n) => (s === "x" ? {url: "node:net", shortCircuit: true} : n(s, c))}); ${viaSocket('require("x").Socket')}`,
			refused: /use node:module \(module\.registerHooks\)/,
		},
		'process.binding': {
			code: `const P = process.binding("pipe_wrap").Pipe; new P(0).connect({oncomplete() {}}, ${sock})`,
			refused: /use Node's internals \(process\.binding\)/,
		},
		'process.stdout constructor': {
			code: viaSocket('process.stdout.constructor'),
			refused: /Socket is not a constructor|is not a function|write after end|use the network/,
		},
		'process.dlopen': {code: 'process.dlopen({exports: {}}, "/nonexistent.node")', refused: /load a native addon/},
		worker_threads: {code: 'new (process.getBuiltinModule("worker_threads").Worker)("1", {eval: true})', refused: /start a worker thread/},
		child_process: {
			code: `process.getBuiltinModule("child_process").execFileSync("docker", ["network", "create", ${JSON.stringify(name)}])`,
			refused: /start a subprocess/,
		},
		inspector: {code: 'process.getBuiltinModule("inspector").open(0)', refused: /open the inspector/},
		dgram: {code: 'process.getBuiltinModule("dgram").createSocket("udp4").send("x", 9, "127.0.0.1")', refused: /use the network \(node:dgram\)/},
		dns: {code: 'process.getBuiltinModule("dns").lookup("localhost", () => {})', refused: /use the network \(node:dns\)/},
		http2: {code: 'process.getBuiltinModule("http2").connect("http://127.0.0.1:9")', refused: /use the network \(node:http2\)/},
	};
}

async function networkExists(name: string): Promise<boolean> {
	const run = await execa('docker', ['network', 'ls', '--quiet', '--filter', `name=^${name}$`], {reject: false});
	return String(run.stdout).trim() !== '';
}

/** A plugin whose README.md.eta runs `code` (IMPORT_CJS: imports the plugin's files/escape.cjs holding `cjs`). */
async function escapingPlugin(route: {code: string; cjs?: string}, id: string): Promise<{dir: string; template: string}> {
	const dir = path.join(await tempDir(), id);
	const cjsFile = path.join(dir, 'files', 'escape.cjs');
	const code = route.code === 'IMPORT_CJS' ? `import(${JSON.stringify(cjsFile)})` : route.code;
	await makePlugin(path.dirname(dir), id, {}, {'README.md.eta': `# <%= it.vars.title %>\n<% ${code} %>\n`});
	if (route.cjs) await writeFile(cjsFile, `${route.cjs}\n`);
	return {dir, template: path.join(dir, 'files', 'README.md.eta')};
}

const errors = (result: LintResult) => result.problems.filter(p => p.severity === 'error');

test('lint under Node (no Deno): every known way from a template to the network, a socket or a process is refused and named, and the engine sees nothing', async t => {
	const options = await dockerTestOptions();
	if (options.skip) return t.skip(options.skip);
	const names: string[] = [];
	try {
		for (const label of Object.keys(routes('placeholder'))) {
			await t.test(label, async () => {
				const name = networkName(label);
				names.push(name);
				const route = routes(name)[label]!;
				const {dir, template} = await escapingPlugin(route, 'escape');
				// Node's own renderer (deno: null), as without a Deno on PATH; under Deno, Deno's.
				const result = await lintPlugin(dir, isDeno ? {compose: false} : {compose: false, deno: null});
				// A connection would have been made by now: the renderer lives until lint ends, and lint has ended.
				await new Promise(resolve => setTimeout(resolve, 300));
				assert.equal(await networkExists(name), false, `${label}: the template created Docker network ${name}`);
				// Deno's permissions are the boundary there: some of these are harmless under Deno (a stream
				// class, a worker with no permission), and an asynchronous refusal may land after the reply.
				if (isDeno) return;
				assert.equal(result.ok, false, `${label}: lint passed`);
				assert.deepEqual(
					errors(result).map(p => p.file),
					[template],
					label,
				);
				assert.match(errors(result)[0]!.message, route.refused, label);
			});
		}
	} finally {
		for (const name of names) await execa('docker', ['network', 'rm', name], {reject: false});
	}
});

test('berth plugins lint with no Deno on PATH: a template using _http_client fails the lint, names the refusal, warns, and creates no network', async t => {
	const options = await dockerTestOptions();
	if (options.skip) return t.skip(options.skip);
	if (isDeno) return t.skip('under Deno, the CLI renders under Deno');
	// Node's directory and the system's, without any folder that holds a deno.
	const PATH = [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].filter(dir => !existsSync(path.join(dir, 'deno'))).join(path.delimiter);
	const name = networkName('cli');
	try {
		const {dir, template} = await escapingPlugin(routes(name)['_http_client']!, 'escape-cli');
		const result = await runCli(['plugins', 'lint', dir, '--no-compose', '--json'], {env: {PATH}});
		assert.equal(result.exitCode, 1, result.stderr);
		const json = parseJson<LintResult>(result);
		assert.equal(json.sandbox?.name, 'node');
		assert.match(json.sandbox?.warning ?? '', /cannot take the network away/);
		assert.deepEqual(
			errors(json).map(p => p.file),
			[template],
		);
		assert.match(errors(json)[0]!.message, /tried to use the network \(node:_http_client\)/);
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.equal(await networkExists(name), false, 'the template created a Docker network');
	} finally {
		await execa('docker', ['network', 'rm', name], {reject: false});
	}
});
