/**
 * Real-terminal end-to-end test: berth runs in tmux (a real pty) under the runtime running the tests
 * (Node: dist/, Deno: source/), against the real Docker Engine, driven with send-keys and read with
 * capture-pane.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {execa} from 'execa';
import {runCli} from '../helpers/cli.ts';
import {dockerTestOptions} from '../helpers/docker.ts';
import {ROOT, runtimeCommand, runtimeName} from '../helpers/runtime.ts';
import {tempDir} from '../helpers/temp.ts';

const FIXTURE = path.join(ROOT, 'test/fixtures/plugins/busybox-test');

async function tmuxMissing(): Promise<string | null> {
	const result = await execa('tmux', ['-V'], {reject: false});
	return result.failed ? 'tmux is not installed' : null;
}

const options = await dockerTestOptions();
const noTmux = await tmuxMissing();

/**
 * A tmux server of its own (`-L`), read with capture-pane and driven with send-keys. Its shells run
 * with CI=true, as under CI: Ink would then only print a last frame on exit unless berth insists on
 * interactive mode (a blank screen is what the user saw).
 */
function terminal(socket: string) {
	const tmux = (...args: string[]) => execa('tmux', ['-L', socket, ...args], {reject: false});
	const pane = async () => String((await tmux('capture-pane', '-p', '-t', 'e2e')).stdout);
	const waitFor = async (pattern: RegExp, ms: number, what: string) => {
		const until = Date.now() + ms;
		let text = '';
		while (Date.now() < until) {
			text = await pane();
			if (pattern.test(text)) return text;
			await new Promise(resolve => setTimeout(resolve, 200));
		}
		throw new Error(`${what}: the terminal never showed ${pattern} within ${ms} ms; it shows:\n${text}`);
	};
	const keys = async (...names: string[]) => {
		for (const name of names) {
			await tmux('send-keys', '-t', 'e2e', name);
			await new Promise(resolve => setTimeout(resolve, 150));
		}
	};
	return {tmux, pane, waitFor, keys};
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

test(`berth in a real terminal (${runtimeName}): start, healthy, logs, stop, quit restores the terminal`, {
	...options,
	skip: options.skip ?? noTmux ?? undefined,
	timeout: 180_000,
}, async () => {
	const dir = await tempDir('berth-e2e-');
	const root = path.join(dir, 'apps');
	const store = path.join(dir, 'ports.json');
	const model = `e2e-${runtimeName}-${process.pid}`;
	const global = ['--root', root, '--store', store, '--plugin', FIXTURE];
	const created = await runCli(['new', `${model}/app1`, '--flavour', 'busybox-test', ...global]);
	assert.equal(created.exitCode, 0, created.stderr);

	const {tmux, waitFor, keys} = terminal(`berth-test-${process.pid}`);
	after(async () => {
		await tmux('kill-server');
		// By compose label, not "berth down": the temp app folder may already be gone.
		const label = `label=com.docker.compose.project=${model}-app1`;
		const containers = String((await execa('docker', ['ps', '-aq', '--filter', label], {reject: false})).stdout)
			.split('\n')
			.filter(Boolean);
		if (containers.length > 0) await execa('docker', ['rm', '-f', ...containers], {reject: false});
		const networks = String((await execa('docker', ['network', 'ls', '-q', '--filter', label], {reject: false})).stdout)
			.split('\n')
			.filter(Boolean);
		if (networks.length > 0) await execa('docker', ['network', 'rm', ...networks], {reject: false});
	});

	const started = await tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '35', 'env', 'PS1=$ ', 'CI=true', 'bash', '--norc', '--noprofile');
	assert.equal(started.exitCode, 0, String(started.stderr));
	const [file, prefix] = runtimeCommand('source/cli.tsx');
	const command = [file, ...prefix, ...global].map(quote).join(' ');
	await tmux('send-keys', '-t', 'e2e', '-l', `cd ${quote(ROOT)} && ${command}; echo "berth exited $?"`);
	await keys('Enter');

	let screen = await waitFor(/Models 1/, 30_000, 'first frame');
	screen = await waitFor(/engine ok {2}compose \d/, 20_000, 'engine and compose in the header');
	// `unknown` until the live state's first answer, then core's word for an app without containers.
	screen = await waitFor(/app1 +not-created/, 20_000, 'first state');

	await keys('l', 'u');
	screen = await waitFor(/app1 +healthy/, 90_000, 'start');
	assert.match(screen, /web +healthy +\d+->8080/);
	assert.match(screen, /running 1 {2}unhealthy 0/);

	await keys('l');
	screen = await waitFor(/worker \| worker line \d+/, 20_000, 'logs');
	assert.match(screen, /Logs · [^ ]+\/app1 \(following\)/);

	await keys('h', 's');
	screen = await waitFor(/app1 +stopped/, 60_000, 'stop');
	assert.match(screen, /running 0 {2}unhealthy 0/);

	await keys('q');
	// The prompt on the line after the exit status, and nothing below it. (Not "a line starting with $": the
	// typed command line does too, and under a long checkout path it wraps so that its "$" is mid-line.)
	screen = await waitFor(/berth exited 0\n\$[ \t]*\n*$/, 10_000, 'quit: the shell prompt is back');
	assert.doesNotMatch(screen, /Models 1|Apps · /, 'the UI is gone: the alternate screen was left');
});

test(`berth in a real terminal (${runtimeName}): follows a resize, and SIGTERM restores the terminal`, {
	skip: noTmux ?? undefined,
	timeout: 60_000,
}, async () => {
	const dir = await tempDir('berth-e2e-');
	const {tmux, waitFor} = terminal(`berth-test-${process.pid}-sig`);
	after(() => tmux('kill-server'));
	await tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '35', 'env', 'PS1=$ ', 'CI=true', 'bash', '--norc', '--noprofile');
	const [file, prefix] = runtimeCommand('source/cli.tsx');
	const command = [file, ...prefix, '--root', path.join(dir, 'apps'), '--store', path.join(dir, 'ports.json')].map(quote).join(' ');
	await tmux('send-keys', '-t', 'e2e', '-l', `cd ${quote(ROOT)} && ${command}; echo "berth exited $?"`);
	await tmux('send-keys', '-t', 'e2e', 'Enter');
	await waitFor(/Models 0/, 30_000, 'first frame');
	let screen = await waitFor(/the apps root .* does not exist yet/, 10_000, 'the workspace warning');
	assert.equal(screen.split('\n')[1]!.length, 120);

	await tmux('resize-window', '-t', 'e2e', '-x', '90', '-y', '30');
	screen = await waitFor(/^┏━+┓┌─+┐┌─+┐$/m, 10_000, 'resize');
	screen = await waitFor(/^[┏┓━┌┐─]{90}$/m, 10_000, 'resize');
	assert.equal(screen.split('\n')[1]!.length, 90, 'the frame is redrawn 90 columns wide');

	const shell = String((await tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}')).stdout).trim();
	const children = await execa('pgrep', ['-P', shell], {reject: false});
	const pid = String(children.stdout).split('\n').filter(Boolean)[0];
	assert.ok(pid, 'berth runs as a child of the shell');
	process.kill(Number(pid), 'SIGTERM');
	screen = await waitFor(/berth exited 143/, 10_000, 'SIGTERM');
	assert.doesNotMatch(screen, /Models 0/, 'the alternate screen was left');
});
