/** Input that never drops: pastes and keys arriving together, typing faster than the screen, Ctrl-C anywhere. */
import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import assert from 'node:assert/strict';
import {adoptable, fakeServices, fakeWorkspace, fixedPort} from '../fake-services.ts';
import {KEYS, renderApp, tick} from '../render-app.tsx';
import {remapKeys} from '../../../source/core/keys-file.ts';
import {KEYMAP, scopeChain, type Scope} from '../../../source/ui/keymap.ts';

afterEach(cleanup);

/** A bracketed paste, as a terminal sends it once berth asked for bracketed paste mode. */
const paste = (text: string) => `\u001B[200~${text}\u001B[201~`;

test('a chunk of several characters typed into : lands whole and runs (goto)', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(3, 3)));
	await app.waitFor('model-001');
	await app.press(':', 'goto model-003/app2');
	assert.match(app.frame(), /:goto model-003\/app2▏/);
	await app.press(KEYS.enter);
	assert.match(app.frame(), /Status · model-003\/app2/);
	app.unmount();
});

test('a bracketed paste into / filters; its newline is a space, never enter', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(3, 3)));
	await app.waitFor('model-001');
	await app.press('/', paste('model-00\n2'));
	assert.match(app.frame(), /\/model-00 2▏/);
	await app.press(KEYS.backspace, KEYS.backspace, '2', KEYS.enter);
	assert.match(app.frame(), /Models 1\/3/);
	app.unmount();
});

test('a bracketed paste into : lands on the app; pasted outside a text field it does nothing', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(3, 3)));
	await app.waitFor('model-001');
	await app.press(paste('q'));
	assert.match(app.frame(), /model-001/, 'a pasted q does not quit');
	await app.press(':', paste('goto model-002/app3'), KEYS.enter);
	assert.match(app.frame(), /Status · model-002\/app3/);
	app.unmount();
});

test('jj in one read moves down twice', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(4, 3)));
	await app.waitFor('model-001');
	await app.press('jj');
	assert.match(app.frame(), />model-003/);
	app.unmount();
});

test('esc and a key in one read: esc acts, then the key (the filter closes, j moves down)', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(4, 3)));
	await app.waitFor('model-001');
	await app.press('/', 'mo');
	assert.match(app.frame(), /\/mo▏/);
	await app.press('\u001Bj');
	assert.doesNotMatch(app.frame(), /▏/, 'the filter is closed');
	assert.match(app.frame(), />model-002/);
	// Two escapes in one read: the palette closes, then the marks go.
	await app.press(KEYS.enter, ' ', ' ');
	assert.match(app.frame(), /\(2 marked\)/);
	await app.press(':', 'go', '\u001B\u001B');
	assert.doesNotMatch(app.frame(), /▏|marked/);
	app.unmount();
});

test('esc goes back one step from the panes: status -> apps, logs -> apps (full-screen logs -> the panes first)', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(1, 2)));
	await app.waitFor('model-001');
	const focused = () => /┃(Models|Apps|Status|Logs)\b/.exec(app.frame())?.[1];
	await app.press(KEYS.enter, KEYS.enter);
	assert.equal(focused(), 'Status');
	await app.press(KEYS.escape);
	assert.equal(focused(), 'Apps', 'esc in the status pane: back to the apps');
	await app.press('l', KEYS.right, KEYS.right);
	assert.equal(focused(), 'Logs');
	await app.press('f');
	assert.doesNotMatch(app.frame(), /Models 1/, 'full-screen logs');
	await app.press(KEYS.escape);
	assert.match(app.frame(), /Models 1/);
	assert.equal(focused(), 'Logs', 'the first esc leaves full screen only');
	await app.press(KEYS.escape);
	assert.equal(focused(), 'Apps', 'esc in the logs pane: back to the apps');
	app.unmount();
});

test('keys written faster than the screen redraws all land, in order', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(3, 3)));
	await app.waitFor('model-001');
	// No tick between the writes: every key arrives before berth draws again.
	for (const key of [':', ...'goto model-003/app1', KEYS.enter, 'j']) app.stdin.write(key);
	await tick(100);
	assert.match(app.frame(), /Status · model-003\/app2/);
	app.unmount();
});

test('Ctrl-C quits from the palette, the filter, the help, a question and the ports view', async () => {
	const opens: Record<string, string[]> = {palette: [':', 'go'], filter: ['/', 'mo'], help: ['?'], ports: ['p'], confirm: [KEYS.enter, 'd']};
	for (const [where, keys] of Object.entries(opens)) {
		const app = renderApp(fakeServices(fakeWorkspace(2, 2)));
		await app.waitFor('model-001');
		await app.press(...keys);
		assert.match(app.frame(), where === 'help' ? /Keys/ : where === 'ports' ? /Ports ·/ : where === 'confirm' ? /Down model-001\/app1\?/ : /▏/, where);
		await app.press('\u0003');
		await tick(50);
		assert.equal(app.frame(), '', `Ctrl-C quits from ${where}: Ink clears the screen on exit`);
		app.unmount();
	}
});

test('Ctrl-C quits from the overlays that read their own keys: the wizard, the action output (and its search), the adoption preview', async () => {
	const opens: Record<string, {keys: string[]; shows: RegExp}> = {
		'wizard (model list)': {keys: ['n'], shows: /New app/},
		'wizard (flavour list)': {keys: ['n', KEYS.enter], shows: /Flavour:/},
		'wizard (a new model typed)': {keys: ['n', 'k', KEYS.enter, 'my-mo'], shows: /my-mo▏/},
		'action output': {keys: ['l', 'u', 'a'], shows: /Output · start model-001\/app1/},
		'action output search': {keys: ['l', 'u', 'a', '/', 'sta'], shows: /\/sta▏/},
		'adoption preview': {keys: ['l', 'j', 'A'], shows: /Adopt model-001\/app2/},
	};
	for (const [where, {keys, shows}] of Object.entries(opens)) {
		const services = fakeServices(fakeWorkspace(1, 2));
		adoptable(services, 'model-001/app2', [fixedPort('web', 8080)]);
		const app = renderApp(services);
		await app.waitFor('model-001');
		for (const key of keys) {
			await app.press(key);
			// The output opens once the action has ended.
			if (key === 'u') await app.waitFor('model-001/app1 started');
		}
		await app.waitFor(shows);
		await app.press('\u0003');
		await tick(50);
		assert.equal(app.frame(), '', `Ctrl-C quits from the ${where}: Ink clears the screen on exit`);
		app.unmount();
	}
});

test('while an action runs the first Ctrl-C only warns; another key cancels that, a second Ctrl-C quits', async () => {
	const services = fakeServices(fakeWorkspace(1, 2));
	services.actionMs = 60_000;
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press(KEYS.enter, 'u');
	await app.waitFor('model-001/app1');
	await app.press('\u0003');
	await app.waitFor('1 action running: press q or Ctrl-C again to quit (they finish on their own)');
	await app.press('j', '\u0003');
	assert.notEqual(app.frame(), '', 'a key in between: the next Ctrl-C warns again');
	await app.press('\u0003');
	await tick(50);
	assert.equal(app.frame(), '');
	app.unmount();
});

test(': tab completes the command and the app; ↑ recalls the last command', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(3, 3)));
	await app.waitFor('model-001');
	await app.press(':', 'go', KEYS.tab);
	assert.match(app.frame(), /\n:goto ▏\n/);
	await app.press('model-002', KEYS.tab, KEYS.tab);
	assert.match(app.frame(), /\n:goto model-002\/app▏\n/);
	await app.press(KEYS.tab, KEYS.tab);
	assert.match(app.frame(), /\n:goto model-002\/app2▏\n/);
	await app.press(KEYS.enter);
	assert.match(app.frame(), /Status · model-002\/app2/);
	await app.press(':', KEYS.up);
	assert.match(app.frame(), /\n:goto model-002\/app2▏\n/);
	await app.press(KEYS.down);
	assert.match(app.frame(), /\n:▏\n/);
	app.unmount();
});

test('remapped keys (a keys file): the footer and the help show them, and berth obeys them', async () => {
	const {bindings} = remapKeys(KEYMAP, 'stop = x\nhelp = H\n', 'keys.conf', scope => scopeChain(scope as Scope));
	const services = fakeServices(fakeWorkspace(1, 2));
	const app = renderApp(services, {}, {keymap: bindings, problem: null});
	await app.waitFor('model-001');
	assert.equal(app.frame().split('\n').at(-1), '⏎ apps  q quit  H help  / filter  n new  p ports');
	await app.press(KEYS.enter);
	assert.equal(app.frame().split('\n').at(-1), 'u up  x stop  r restart  d down  b build  l logs  space mark  o open  a output  A adopt  q quit  H …');
	await app.press('s');
	assert.deepEqual(services.calls, [], 's is not stop any more');
	await app.press('x');
	await app.waitFor('model-001/app1 stopped');
	assert.deepEqual(services.calls, [{action: 'stop', app: 'model-001/app1'}]);
	await app.press('?');
	assert.doesNotMatch(app.frame(), /Keys \(esc closes\)/, '? is not help any more');
	await app.press('H');
	assert.match(app.frame(), /Keys \(esc closes\)/);
	await app.press(KEYS.right);
	assert.match(app.frame(), / {2}x {2,}stop the app or the marked apps/);
	await app.press(KEYS.left);
	assert.match(app.frame(), / {2}H {2,}show every key/);
	app.unmount();
});

test('a keys file berth refused: its problem is in the footer at start, and the default keys work', async () => {
	const problem = 'keys.conf:2: unknown command "frob": the commands are listed in docs/tui.md (berth\'s keys); berth uses its default keys';
	const app = renderApp(fakeServices(fakeWorkspace(1, 2)), {size: {columns: 160, rows: 24}}, {keymap: KEYMAP, problem});
	await app.waitFor('model-001');
	assert.equal(app.frame().split('\n').at(-2), problem);
	await app.press('?');
	assert.match(app.frame(), /Keys \(esc closes\)/);
	app.unmount();
});

test('the ports view (its own keys): jj in one read moves down twice', async () => {
	const services = fakeServices(fakeWorkspace(1, 3));
	const allocation = (app: number) => ({
		model: 'model-001',
		app,
		ports: {backend: 5000 + app},
		projectName: `model-001-app${app}`,
		appPath: `/apps/model-001/app${app}`,
		createdAt: '2026-01-01T00:00:00.000Z',
		engine: 'default',
	});
	services.allocations = [allocation(1), allocation(2), allocation(3)];
	const app = renderApp(services);
	await app.waitFor('model-001');
	await app.press('p');
	await app.waitFor('3 allocations');
	await app.press('jj');
	assert.match(app.frame(), /┃>model-001\/app3 /);
	app.unmount();
});

test('the adoption preview (its own keys): jj in one read scrolls two lines', async () => {
	const services = fakeServices(fakeWorkspace(1, 2));
	const hazard = 'service "web": PUBLIC_URL=http://localhost:8080/ mentions published port 8080: once berth remaps the port, the app may still call 8080.';
	adoptable(services, 'model-001/app2', [fixedPort('web', 8080), fixedPort('db', 5432)], {hazards: [hazard, hazard]});
	const app = renderApp(services, {size: {columns: 60, rows: 15}});
	await app.waitFor('Models 1');
	await app.press(KEYS.enter);
	await app.waitFor(/app2 +not-created/);
	await app.press('j', 'A');
	await app.waitFor(/lines 1-8 of \d+ \(↑↓\)/);
	await app.press('jj');
	assert.match(app.frame(), /lines 3-10 of \d+ \(↑↓\)/);
	app.unmount();
});

test('the action output (its own keys): kk in one read scrolls two lines; a paste and a chunk go into its search', async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	services.runAction = async (_action, _app, {onLine}) => {
		for (let i = 1; i <= 40; i++) onLine(`#${i} step ${i}${i % 10 === 0 ? ' cache miss' : ''}`);
		throw new Error('exit code: 2');
	};
	const app = renderApp(services, {size: {columns: 80, rows: 16}});
	await app.waitFor('model-001');
	await app.press('l', 'b');
	await app.waitFor('1 of 1 failed');
	await app.press('a');
	await app.waitFor(/lines 33-41 of 41/);
	await app.press('kk');
	assert.match(app.frame(), /lines 31-39 of 41/);
	await app.press('/', paste('cache\nmi'));
	assert.match(app.frame(), /┃\/cache mi▏ +┃/);
	await app.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, ' miss');
	assert.match(app.frame(), /┃\/cache miss▏ +┃/);
	await app.press(KEYS.enter);
	assert.match(app.frame(), /┃\/cache miss: match 4 of 4 \(n \/ N\) +┃/);
	// `/`, the search, enter and n typed at once: each key builds on the one before. The view shows
	// lines 33-41: enter finds "#33 step 33", the 5th of 11 matches (#3, #30-#39); n the 6th, #34.
	await app.press(`/step 3${KEYS.enter}n`);
	assert.match(app.frame(), /┃\/step 3: match 6 of 11 \(n \/ N\) +┃/);
	assert.match(app.frame(), /lines 30-38 of 41/);
	app.unmount();
});

test("remapped keys: the lines that name a key name the user's key (status pane, log pane, the down question)", async () => {
	const {bindings} = remapKeys(KEYMAP, 'start = U\nfollow-logs = L\nconfirm.confirm = j\nconfirm.cancel = N\n', 'keys.conf', scope =>
		scopeChain(scope as Scope),
	);
	const services = fakeServices(fakeWorkspace(1, 2));
	const app = renderApp(services, {}, {keymap: bindings, problem: null});
	await app.waitFor('model-001');
	await app.press(KEYS.enter);
	await app.waitFor('not started (press U)');
	assert.match(app.frame(), /select an app and press L to follow/);
	await app.press('d');
	assert.match(app.frame(), /Down model-001\/app1\? .* \[j\] yes \[N\] no/);
	await app.press('N');
	assert.deepEqual(services.calls, []);
	// The footer's answers: what to press next is the user's key.
	await app.press('o');
	await app.waitFor('model-001/app1 publishes no port (start it with U)');
	await app.press('a');
	await app.waitFor('has no action output yet (U s r d b run one)');
	await app.press(KEYS.enter, 'e');
	await app.waitFor('has no containers yet: start it with U');
	app.unmount();
});

test("remapped keys: the activity pane, a failure's last line and a still log view name the user's keys", async () => {
	const {bindings} = remapKeys(KEYMAP, 'show-output = O\nbottom = F\n', 'keys.conf', scope => scopeChain(scope as Scope));
	const services = fakeServices(fakeWorkspace(1, 2));
	services.failing.add('model-001/app1');
	services.actionOutput = Array.from({length: 6}, (_, i) => `Error response from daemon: a long cause that wraps over several rows of the status pane ${i}`);
	const app = renderApp(services, {size: {columns: 100, rows: 30}}, {keymap: bindings, problem: null});
	await app.waitFor('model-001');
	await app.press('l', 'u');
	await app.waitFor('1 of 1 failed');
	const frame = await app.waitFor('Activity · O: whole output');
	assert.doesNotMatch(frame, /a: /);
	app.unmount();
});

test('the palette shows its own keys in the footer while it is open, the pane keys again once closed', async () => {
	const app = renderApp(fakeServices(fakeWorkspace(1, 2)));
	await app.waitFor('model-001');
	await app.press(':');
	assert.equal(app.frame().split('\n').at(-1), '⏎ ok  esc cancel  tab complete');
	await app.press(KEYS.escape);
	assert.equal(app.frame().split('\n').at(-1), '⏎ apps  q quit  ? help  / filter  n new  p ports');
	app.unmount();
});
