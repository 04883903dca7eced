import {test} from 'node:test';
import assert from 'node:assert/strict';
import {selectCompose, type ComposeDetection} from '../../../source/core/compose/detect.ts';

const v1 = {flavour: 'v1' as const, version: '1.29.2', command: ['docker-compose'] as [string]};
const v2 = {flavour: 'v2' as const, version: '2.29.1', command: ['docker', 'compose'] as [string, string]};

test('v2 is preferred, v1 is the fallback, BERTH_COMPOSE forces one', () => {
	const both: ComposeDetection = {v1, v2, selected: v2};
	assert.equal(selectCompose(both, {}), v2);
	assert.equal(selectCompose(both, {BERTH_COMPOSE: 'v1'}), v1);
	assert.equal(selectCompose({v1, v2: null, selected: v1}, {}), v1);
	assert.equal(selectCompose({v1, v2: null, selected: v1}, {BERTH_COMPOSE: 'v2'}), null, 'forcing a missing binary finds none');
	assert.equal(selectCompose({v1: null, v2: null, selected: null}, {}), null);
});

test('findCompose: v1 is found on PATH without running it; BERTH_COMPOSE=v2 without the plugin finds none', async () => {
	const {mkdtemp, writeFile, chmod, rm} = await import('node:fs/promises');
	const os = await import('node:os');
	const path = await import('node:path');
	const {findCompose} = await import('../../../source/core/compose/detect.ts');
	const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-find-'));
	try {
		// A `docker-compose` that would fail if run, and a `docker` without the compose plugin.
		await writeFile(path.join(dir, 'docker-compose'), '#!/bin/sh\nexit 42\n');
		await writeFile(path.join(dir, 'docker'), '#!/bin/sh\necho "docker: \'compose\' is not a docker command." >&2\nexit 1\n');
		await chmod(path.join(dir, 'docker-compose'), 0o755);
		await chmod(path.join(dir, 'docker'), 0o755);
		assert.deepEqual(await findCompose({PATH: dir}), {flavour: 'v1', version: '', command: ['docker-compose']});
		assert.equal(await findCompose({PATH: dir, BERTH_COMPOSE: 'v2'}), null);
		// A docker with the plugin wins.
		await writeFile(path.join(dir, 'docker'), '#!/bin/sh\n[ "$1 $2 $3" = "compose version --short" ] && echo v2.29.1 && exit 0\nexit 1\n');
		assert.deepEqual(await findCompose({PATH: dir}), {flavour: 'v2', version: '2.29.1', command: ['docker', 'compose']});
		assert.deepEqual(await findCompose({PATH: dir, BERTH_COMPOSE: 'v1'}), {flavour: 'v1', version: '', command: ['docker-compose']});
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('the compose client asks v1 for its version only when v1 is the one in use', async () => {
	const {mkdtemp, writeFile, chmod, rm, access} = await import('node:fs/promises');
	const os = await import('node:os');
	const path = await import('node:path');
	const {createComposeClient} = await import('../../../source/core/compose/client.ts');
	const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-inuse-'));
	const ran = path.join(dir, 'v1-ran');
	const wasRun = () =>
		access(ran).then(
			() => true,
			() => false,
		);
	try {
		// A `docker-compose` that leaves a mark when run (v1 is a Python program: most of a second per run).
		await writeFile(path.join(dir, 'docker-compose'), `#!/bin/sh\n: > '${ran}'\n[ "$1 $2" = "version --short" ] && echo 1.29.2 && exit 0\nexit 1\n`);
		await writeFile(path.join(dir, 'docker'), '#!/bin/sh\n[ "$1 $2 $3" = "compose version --short" ] && echo v2.29.1 && exit 0\nexit 1\n');
		await chmod(path.join(dir, 'docker-compose'), 0o755);
		await chmod(path.join(dir, 'docker'), 0o755);
		assert.deepEqual((await createComposeClient({env: {PATH: dir}})).binary, {flavour: 'v2', version: '2.29.1', command: ['docker', 'compose']});
		assert.equal(await wasRun(), false, 'v1 was run although v2 is the one in use');
		// Forced, or the only one: v1 is in use, and its version is known (the TUI header shows it).
		assert.deepEqual((await createComposeClient({env: {PATH: dir, BERTH_COMPOSE: 'v1'}})).binary, {
			flavour: 'v1',
			version: '1.29.2',
			command: ['docker-compose'],
		});
		await writeFile(path.join(dir, 'docker'), '#!/bin/sh\necho "docker: \'compose\' is not a docker command." >&2\nexit 1\n');
		assert.deepEqual((await createComposeClient({env: {PATH: dir}})).binary, {flavour: 'v1', version: '1.29.2', command: ['docker-compose']});
		assert.equal(await wasRun(), true);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('findComposeRemembered: v2 is asked for its version again only when the docker CLI or its compose plugin changed', async () => {
	const {mkdtemp, writeFile, chmod, rm, readFile, mkdir} = await import('node:fs/promises');
	const os = await import('node:os');
	const path = await import('node:path');
	const {findComposeRemembered} = await import('../../../source/core/compose/detect.ts');
	const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-remember-'));
	const runs = path.join(dir, 'runs');
	const cache = path.join(dir, 'store', 'compose-version.json');
	const plugin = path.join(dir, 'config', 'cli-plugins', 'docker-compose');
	const env = {PATH: path.join(dir, 'bin'), DOCKER_CONFIG: path.join(dir, 'config')};
	const ran = async () => (await readFile(runs, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
	try {
		await mkdir(path.dirname(plugin), {recursive: true});
		await mkdir(env.PATH);
		await writeFile(plugin, 'plugin 2.29.1');
		// A docker that counts its runs and answers as compose 2.29.1 does.
		await writeFile(
			path.join(env.PATH, 'docker'),
			`#!/bin/sh\necho run >> '${runs}'\n[ "$1 $2 $3" = "compose version --short" ] && echo v2.29.1 && exit 0\nexit 1\n`,
		);
		await chmod(path.join(env.PATH, 'docker'), 0o755);
		const v2 = {flavour: 'v2', version: '2.29.1', command: ['docker', 'compose']};
		assert.deepEqual(await findComposeRemembered(env, cache), v2);
		assert.equal(await ran(), 1);
		assert.deepEqual(await findComposeRemembered(env, cache), v2);
		assert.deepEqual(await findComposeRemembered(env, cache), v2);
		assert.equal(await ran(), 1, 'the version was remembered');
		// The plugin upgraded: asked again.
		await writeFile(plugin, 'plugin 2.30.0, a longer file');
		await writeFile(
			path.join(env.PATH, 'docker'),
			`#!/bin/sh\necho run >> '${runs}'\n[ "$1 $2 $3" = "compose version --short" ] && echo v2.30.0 && exit 0\nexit 1\n`,
		);
		assert.deepEqual(await findComposeRemembered(env, cache), {...v2, version: '2.30.0'});
		assert.equal(await ran(), 2);
		// Plugin folders of the user's own: only docker knows which plugin it runs, so it is asked each time.
		await writeFile(path.join(env.DOCKER_CONFIG, 'config.json'), JSON.stringify({cliPluginsExtraDirs: ['/opt/plugins']}));
		await findComposeRemembered(env, cache);
		await findComposeRemembered(env, cache);
		assert.equal(await ran(), 4);
		await rm(path.join(env.DOCKER_CONFIG, 'config.json'));
		// A docker that has lost compose (replaced): asked, and v1 is the fallback.
		await writeFile(path.join(env.PATH, 'docker'), `#!/bin/sh\necho run >> '${runs}'\necho "docker: 'compose' is not a docker command." >&2\nexit 1\n`);
		await writeFile(path.join(env.PATH, 'docker-compose'), '#!/bin/sh\nexit 42\n');
		await chmod(path.join(env.PATH, 'docker-compose'), 0o755);
		assert.deepEqual(await findComposeRemembered(env, cache), {flavour: 'v1', version: '', command: ['docker-compose']});
		assert.equal(await ran(), 5);
		assert.deepEqual(await findComposeRemembered({...env, BERTH_COMPOSE: 'v1'}, cache), {flavour: 'v1', version: '', command: ['docker-compose']});
		assert.equal(await ran(), 5, 'BERTH_COMPOSE=v1 runs no docker');
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('the compose client with a store (the TUI) names compose v2 without running docker again; v1 in use still gets its version', async () => {
	const {mkdtemp, writeFile, chmod, rm, readFile, mkdir} = await import('node:fs/promises');
	const os = await import('node:os');
	const path = await import('node:path');
	const {createComposeClient} = await import('../../../source/core/compose/client.ts');
	const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-inuse-remember-'));
	const runs = path.join(dir, 'runs');
	const storeFile = path.join(dir, 'store', 'ports.json');
	const env = {PATH: path.join(dir, 'bin'), DOCKER_CONFIG: path.join(dir, 'config')};
	const ran = async () => (await readFile(runs, 'utf8').catch(() => '')).split('\n').filter(Boolean);
	try {
		await mkdir(path.join(env.DOCKER_CONFIG, 'cli-plugins'), {recursive: true});
		await mkdir(env.PATH);
		await writeFile(path.join(env.DOCKER_CONFIG, 'cli-plugins', 'docker-compose'), 'plugin 2.29.1');
		await writeFile(
			path.join(env.PATH, 'docker'),
			`#!/bin/sh\necho docker >> '${runs}'\n[ "$1 $2 $3" = "compose version --short" ] && echo v2.29.1 && exit 0\nexit 1\n`,
		);
		await writeFile(
			path.join(env.PATH, 'docker-compose'),
			`#!/bin/sh\necho v1 >> '${runs}'\n[ "$1 $2" = "version --short" ] && echo 1.29.2 && exit 0\nexit 1\n`,
		);
		await chmod(path.join(env.PATH, 'docker'), 0o755);
		await chmod(path.join(env.PATH, 'docker-compose'), 0o755);
		const v2 = {flavour: 'v2', version: '2.29.1', command: ['docker', 'compose']};
		assert.deepEqual((await createComposeClient({env, storeFile})).binary, v2);
		assert.deepEqual((await createComposeClient({env, storeFile})).binary, v2);
		assert.deepEqual(await ran(), ['docker'], 'the second launch ran no docker: the version was remembered');
		assert.deepEqual((await createComposeClient({env: {...env, BERTH_COMPOSE: 'v1'}, storeFile})).binary, {
			flavour: 'v1',
			version: '1.29.2',
			command: ['docker-compose'],
		});
		assert.deepEqual(await ran(), ['docker', 'v1']);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});
