import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import {COMPOSE_LIMITS, composeVariables, interpolate} from '../../../source/core/workspace/compose-ports.ts';
import {portMappings} from '../../../source/core/compose/model.ts';
import {loadModel} from '../../../source/core/compose/model-load.ts';
import {findCompose} from '../../../source/core/compose/detect.ts';
import {parseJson, runCli} from '../../helpers/cli.ts';
import {tempDir} from '../../helpers/temp.ts';

function services(count: number): string {
	let text = 'services:\n';
	for (let i = 0; i < count; i++) text += `  s${i}:\n    image: x\n    ports:\n      - "${1024 + (i % 60000)}:80"\n`;
	return text;
}

test('port entries as compose prints them, short and long syntax: mappings with address and protocol, or a reason', () => {
	const ports = (entry: unknown) => {
		const result = portMappings('web', entry);
		return typeof result === 'string' ? `bad: ${result}` : result.filter(p => p.hostPort !== null).map(p => `${p.hostIp ?? '*'}:${p.hostPort}/${p.protocol}`);
	};
	assert.deepEqual(ports('8080'), [], 'container port only: the engine picks the host port');
	assert.deepEqual(ports(80), []);
	assert.deepEqual(ports('5001:5000'), ['*:5001/tcp']);
	assert.deepEqual(ports('127.0.0.1:8080:80/udp'), ['127.0.0.1:8080/udp']);
	assert.deepEqual(ports('8000-8002:8000-8002'), ['*:8000/tcp', '*:8001/tcp', '*:8002/tcp']);
	assert.deepEqual(ports('[::1]:80:80'), ['::1:80/tcp']);
	assert.deepEqual(ports('127.0.0.1::80'), [], 'an address with no host port');
	assert.deepEqual(ports({published: 8080, target: 80, host_ip: '127.0.0.1', protocol: 'udp'}), ['127.0.0.1:8080/udp']);
	assert.deepEqual(ports({published: '9000-9001', target: '9000-9001'}), ['*:9000/tcp', '*:9001/tcp']);
	assert.deepEqual(ports({target: 80}), []);
	assert.match(String(ports('1-65535:1-65535')), /^bad: .*65535 ports, more than berth expands \(1000\)/);
	assert.match(String(ports('70000:80')), /^bad: .*host port "70000" is not a port/);
	assert.match(String(ports('8080:80/http')), /^bad: .*protocol "http" is not tcp, udp or sctp/);
	assert.match(String(ports('a:b:c:d')), /^bad: /);
	assert.match(String(ports({published: 80})), /^bad: .*has no target/);
	assert.match(String(ports(['8080:80'])), /^bad: .*is not a port entry/);
});

test("interpolation as compose does it, and an app's variables: the environment over .env", async () => {
	assert.equal(
		interpolate('$$HOME ${A:-x} ${B-y}', () => undefined),
		'$HOME x y',
	);
	assert.equal(
		interpolate('${A:?set A}', () => undefined),
		null,
	);
	assert.equal(
		interpolate('${PORT:-7000}:80', name => (name === 'HOME' ? '/root' : undefined)),
		'7000:80',
	);
	assert.equal(
		interpolate('${A:-x}', name => (name === 'A' ? '' : undefined)),
		'x',
	);
	assert.equal(
		interpolate('${A-x}', name => (name === 'A' ? '' : undefined)),
		'',
	);
	const dir = await tempDir();
	await writeFile(path.join(dir, '.env'), 'export A=1\nB="two"\n# C=3\nD = 4 \n');
	const variables = await composeVariables(dir, {B: 'env'});
	assert.deepEqual(['A', 'B', 'C', 'D'].map(variables), ['1', 'env', undefined, '4']);
});

// Found by the fuzz test below on CI (seed -330691639): a protocol that is an object whose toString is not
// a function made String() throw, a crash instead of a reason.
test('a long-syntax protocol that is not a string is a reason, never a crash', () => {
	assert.match(String(portMappings('web', {target: 80, protocol: {toString: []}})), /protocol \{"toString":\[\]\} is not tcp, udp or sctp/);
	assert.match(String(portMappings('web', {target: 80, protocol: 6})), /protocol 6 is not tcp, udp or sctp/);
	assert.equal((portMappings('web', {target: 80, protocol: 'UDP'}) as {protocol: string}[])[0]!.protocol, 'udp');
});

test('fuzz: every port entry gives mappings in 1..65535 or a reason, never a crash or a hang (bounded)', () => {
	const port = fc.integer({min: -5, max: 70000});
	const ip = fc.constantFrom('127.0.0.1', '0.0.0.0', '[::1]', '[::]', '10.0.0.1', '999.1.1.1', '[zz]', '');
	const proto = fc.constantFrom('', '/tcp', '/udp', '/sctp', '/http', '/', '/TCP');
	const range = fc.oneof(
		port.map(String),
		fc.tuple(port, port).map(([a, b]) => `${a}-${b}`),
		fc.constantFrom('', '${P}', '${P:-8080}', '$$', 'x'),
	);
	const short = fc
		.tuple(fc.option(ip, {nil: undefined}), fc.option(range, {nil: undefined}), range, proto)
		.map(([i, h, c, p]) => `${i === undefined ? '' : `${i}:`}${h === undefined ? '' : `${h}:`}${c}${p}`);
	const long = fc.record(
		{
			published: fc.oneof(port, range, fc.anything()),
			target: fc.oneof(port, fc.anything()),
			host_ip: fc.oneof(ip, fc.anything()),
			protocol: fc.oneof(
				proto.map(p => p.slice(1)),
				fc.anything(),
			),
		},
		{requiredKeys: []},
	);
	const entry = fc.oneof(short, long, fc.string(), fc.string({unit: 'binary', maxLength: 40}), fc.anything(), port);
	const started = performance.now();
	fc.assert(
		fc.property(entry, value => {
			const result = portMappings('web', value);
			if (typeof result === 'string') return result.length > 0 && result.length < 300;
			const inRange = (p: number | null) => p === null || (Number.isInteger(p) && p >= 1 && p <= 65535);
			return result.length <= 1000 && result.every(p => inRange(p.hostPort) && inRange(p.target) && ['tcp', 'udp', 'sctp'].includes(p.protocol));
		}),
		{numRuns: 20_000, interruptAfterTimeLimit: 1500},
	);
	assert.ok(performance.now() - started < 2000, 'bounded in time');
});

test('huge, hostile and malformed compose files are refused fast, by compose or by berth alone, naming the file', async () => {
	const dir = await tempDir();
	const cases: [string, string, RegExp][] = [
		['huge.yml', services(30_000), /is \d+\.\d MiB, more than berth reads \(1\.0 MiB\)/],
		['many.yml', services(COMPOSE_LIMITS.maxServices + 1), /has 1001 services, more than berth reads \(1000\)/],
		[
			'bomb.yml',
			`a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from(
				{length: 9},
				(_, i) =>
					`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
						.fill(`*${String.fromCharCode(97 + i)}`)
						.join(', ')}]`,
			).join('\n')}\nservices: {}\n`,
			/aliases expand beyond what berth follows/,
		],
		['deep.yml', `services: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, /nests too deeply|not a mapping/],
		['broken.yml', 'services:\n  web:\n    ports: [\n', /is not valid YAML/],
		['list.yml', '- a\n- b\n', /is not a compose file|must be a mapping|needs to be an object/],
		['services-list.yml', 'services: [a, b]\n', /"services" is not a mapping|services must be a mapping/],
	];
	const compose = await findCompose();
	for (const binary of [null, compose]) {
		for (const [name, text, reason] of cases) {
			const app = path.join(dir, `${binary ? 'compose' : 'reader'}-${name.replace('.yml', '')}`);
			const file = path.join(app, 'compose.yaml');
			await mkdir(app, {recursive: true});
			await writeFile(file, text);
			const started = performance.now();
			const {model} = await loadModel({id: `m/${name}`, projectName: 'hostile', path: app, ports: null}, {binary, cacheDir: null});
			const ms = performance.now() - started;
			assert.ok(model.error, `${name} gives an error (${binary ? 'compose' : "berth's reader"})`);
			assert.ok(model.error.startsWith(`${file}: `), model.error);
			assert.match(model.error, reason);
			assert.deepEqual(model.services, []);
			// Generous: a loaded 2-core machine; unbounded, 30,000 services took 57 s.
			assert.ok(ms < 10_000, `${name} took ${Math.round(ms)} ms`);
		}
	}
	// berth's reader (no compose) reads what it can and names each entry it cannot.
	const entries = path.join(dir, 'entries');
	await mkdir(entries);
	await writeFile(
		path.join(entries, 'compose.yaml'),
		'services:\n  web:\n    ports: ["127.0.0.1:8080:80", "8080:80/http", {published: 9000}]\n  db:\n    ports: "5432:5432"\n',
	);
	const {model: partial} = await loadModel({id: 'm/entries', projectName: 'entries', path: entries, ports: null}, {binary: null, cacheDir: null});
	assert.equal(partial.error, null);
	assert.deepEqual(
		partial.services.flatMap(s => s.ports.map(p => p.hostPort)),
		[8080],
	);
	assert.equal(partial.warnings.length, 3, partial.warnings.join('\n'));
	assert.match(partial.warnings[0]!, /: service web: port entry .*protocol "http" is not tcp, udp or sctp$/);
	assert.match(partial.warnings[1]!, /: service web: port entry .*has no target/);
	assert.match(partial.warnings[2]!, /: service db: "ports" is not a list$/);
	assert.ok(
		partial.warnings.every(w => w.startsWith(`${path.join(entries, 'compose.yaml')}: `)),
		'each names the file',
	);
});

test('ls and ports check name every compose file berth cannot read (text and --json)', async () => {
	const dir = await tempDir();
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const files = {
		huge: path.join(root, 'm', 'app1', 'docker-compose.yml'),
		broken: path.join(root, 'm', 'app2', 'compose.yaml'),
		fine: path.join(root, 'm', 'app3', 'compose.yaml'),
	};
	for (const file of Object.values(files)) await mkdir(path.dirname(file), {recursive: true});
	await writeFile(files.huge, services(30_000));
	await writeFile(files.broken, 'services:\n  web:\n    ports: [\n');
	await writeFile(files.fine, 'services:\n  web:\n    image: x\n    ports: ["127.0.0.1:18080:80"]\n');
	const env = {BERTH_ROOT: root, BERTH_STORE: store, DOCKER_HOST: 'unix:///tmp/berth-test-nosuch.sock'};
	for (const command of [['ls'], ['ports', 'check']]) {
		const human = await runCli(command, {env});
		assert.equal(human.exitCode, 0, `${command.join(' ')}: warnings do not fail it\n${human.stderr}`);
		assert.match(human.stderr, new RegExp(`warning: .*${files.huge}: it is \\d+\\.\\d MiB, more than berth reads`));
		assert.match(human.stderr, new RegExp(`warning: .*${files.broken}: it is not valid YAML`));
		assert.doesNotMatch(human.stderr, new RegExp(files.fine));
		const json = parseJson<{warnings: (string | {message: string; file?: string})[]}>(await runCli([...command, '--json'], {env}));
		const messages = json.warnings.map(w => (typeof w === 'string' ? w : w.message));
		assert.ok(messages.some(m => m.includes(files.huge)) && messages.some(m => m.includes(files.broken)), messages.join('\n'));
	}
});
