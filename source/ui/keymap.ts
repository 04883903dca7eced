/**
 * The one keymap table. Input handlers, the footer hints and the `?` help overlay are all generated
 * from it; test/ui/keymap.test.ts fails when two commands share a key in one scope.
 */
import type {Key} from 'ink';

/** Where a binding applies. Pane scopes also see `list` and `global`; overlays see only their own. */
export type Scope = 'global' | 'list' | 'models' | 'apps' | 'status' | 'logs' | 'output' | 'prompt' | 'ports' | 'adopt' | 'confirm' | 'help';

export type PaneScope = 'models' | 'apps' | 'status' | 'logs';

export type Command =
	| 'quit'
	| 'help'
	| 'next-pane'
	| 'prev-pane'
	| 'filter'
	| 'new-app'
	| 'ports-view'
	| 'palette'
	| 'up'
	| 'down'
	| 'page-up'
	| 'page-down'
	| 'top'
	| 'bottom'
	| 'pane-left'
	| 'pane-right'
	| 'focus'
	| 'start'
	| 'stop'
	| 'restart'
	| 'compose-down'
	| 'rebuild'
	| 'follow-logs'
	| 'mark'
	| 'open'
	| 'adopt'
	| 'clear-marks'
	| 'clear-logs'
	| 'release'
	| 'close'
	| 'confirm'
	| 'cancel'
	| 'reload'
	| 'show-output'
	| 'service-start'
	| 'service-stop'
	| 'service-restart'
	| 'service-logs'
	| 'shell'
	| 'toggle-wrap'
	| 'toggle-fullscreen'
	| 'toggle-timestamps'
	| 'search'
	| 'next-match'
	| 'prev-match'
	| 'complete'
	| 'history-prev'
	| 'history-next';

export interface KeyBinding {
	command: Command;
	/** Normalised key names: a character, or up/down/left/right/enter/escape/tab/shift+tab/space/pageup/pagedown/home/end/ctrl+<c>. */
	keys: readonly string[];
	scope: Scope;
	description: string;
	/** Shown in the footer of the scope (short label); omitted bindings only appear in `?`. */
	hint?: string;
}

/** A keymap: the defaults (`KEYMAP`), or the user's (keys file, core/keys-file.ts) handed down by KeymapContext. */
export type Keymap = readonly KeyBinding[];

export const KEYMAP: Keymap = [
	{command: 'quit', keys: ['q', 'ctrl+c'], scope: 'global', description: 'quit berth', hint: 'quit'},
	{command: 'help', keys: ['?'], scope: 'global', description: 'show every key', hint: 'help'},
	{command: 'next-pane', keys: ['tab'], scope: 'global', description: 'next pane'},
	{command: 'prev-pane', keys: ['shift+tab'], scope: 'global', description: 'previous pane'},
	{command: 'filter', keys: ['/'], scope: 'global', description: 'filter the focused list or the log pane', hint: 'filter'},
	{command: 'new-app', keys: ['n'], scope: 'global', description: 'new app (wizard)', hint: 'new'},
	{command: 'ports-view', keys: ['p'], scope: 'global', description: 'ports view: allocations and conflicts', hint: 'ports'},
	{command: 'palette', keys: [':'], scope: 'global', description: 'command palette (tab completes, ↑ ↓ history)'},
	{command: 'reload', keys: ['R'], scope: 'global', description: 'reload: scan the apps root and the store again'},

	{command: 'up', keys: ['up', 'k'], scope: 'list', description: 'move up'},
	{command: 'down', keys: ['down', 'j'], scope: 'list', description: 'move down'},
	{command: 'page-up', keys: ['pageup', 'ctrl+u'], scope: 'list', description: 'page up'},
	{command: 'page-down', keys: ['pagedown', 'ctrl+d'], scope: 'list', description: 'page down'},
	{command: 'top', keys: ['home', 'g'], scope: 'list', description: 'first row'},
	{command: 'bottom', keys: ['end', 'G'], scope: 'list', description: 'last row (logs: follow again)'},

	{command: 'pane-right', keys: ['l', 'right'], scope: 'models', description: 'to the apps pane'},
	{command: 'focus', keys: ['enter'], scope: 'models', description: 'open the model: focus its apps', hint: 'apps'},

	{command: 'pane-left', keys: ['h', 'left'], scope: 'apps', description: 'to the models pane'},
	{command: 'focus', keys: ['enter', 'right'], scope: 'apps', description: 'focus the status pane of the app'},
	{command: 'start', keys: ['u'], scope: 'apps', description: 'start (up -d) the app or the marked apps', hint: 'up'},
	{command: 'stop', keys: ['s'], scope: 'apps', description: 'stop the app or the marked apps', hint: 'stop'},
	{command: 'restart', keys: ['r'], scope: 'apps', description: 'restart the app or the marked apps', hint: 'restart'},
	{
		command: 'compose-down',
		keys: ['d'],
		scope: 'apps',
		description: 'down the app or the marked apps: containers removed (asks first)',
		hint: 'down',
	},
	{command: 'rebuild', keys: ['b'], scope: 'apps', description: 'rebuild the images of the app or the marked apps and start again', hint: 'build'},
	{command: 'follow-logs', keys: ['l'], scope: 'apps', description: 'follow the logs of the app', hint: 'logs'},
	{command: 'mark', keys: ['space'], scope: 'apps', description: 'mark / unmark for a bulk action (u s r d b A)', hint: 'mark'},
	{command: 'clear-marks', keys: ['escape'], scope: 'apps', description: 'clear the marks'},
	{command: 'open', keys: ['o'], scope: 'apps', description: 'open a published HTTP port: the frontend slot, else the first', hint: 'open'},
	{command: 'show-output', keys: ['a'], scope: 'apps', description: "the app's action output: scroll and search it (why did it fail?)", hint: 'output'},
	{
		command: 'adopt',
		keys: ['A'],
		scope: 'apps',
		description: 'adopt the app or the marked apps: remap their fixed host ports (preview first)',
		hint: 'adopt',
	},

	{command: 'pane-left', keys: ['h', 'left', 'escape'], scope: 'status', description: 'back to the apps pane'},
	{command: 'pane-right', keys: ['right'], scope: 'status', description: 'to the logs pane'},
	{command: 'service-start', keys: ['u'], scope: 'status', description: 'start the selected service alone', hint: 'up'},
	{command: 'service-stop', keys: ['s'], scope: 'status', description: 'stop the selected service alone', hint: 'stop'},
	{command: 'service-restart', keys: ['r'], scope: 'status', description: 'restart the selected service alone', hint: 'restart'},
	{command: 'service-logs', keys: ['l', 'enter'], scope: 'status', description: "follow the selected service's logs alone", hint: 'logs'},
	{command: 'shell', keys: ['e'], scope: 'status', description: 'open a shell in the selected service (docker exec -it; exit returns)', hint: 'shell'},
	{command: 'show-output', keys: ['a'], scope: 'status', description: "the app's action output: scroll and search it", hint: 'output'},

	{command: 'pane-left', keys: ['h', 'left'], scope: 'logs', description: 'back to the apps pane', hint: 'apps'},
	{command: 'clear-logs', keys: ['c'], scope: 'logs', description: 'clear the log pane', hint: 'clear'},
	{command: 'toggle-wrap', keys: ['w'], scope: 'logs', description: 'wrap long lines on / off', hint: 'wrap'},
	{command: 'toggle-fullscreen', keys: ['f'], scope: 'logs', description: 'full-screen logs on / off', hint: 'full'},
	{command: 'toggle-timestamps', keys: ['t'], scope: 'logs', description: 'timestamps on / off', hint: 'time'},
	{command: 'close', keys: ['escape'], scope: 'logs', description: 'leave full-screen logs, else back to the apps pane'},

	{command: 'up', keys: ['up', 'k'], scope: 'output', description: 'scroll up'},
	{command: 'down', keys: ['down', 'j'], scope: 'output', description: 'scroll down'},
	{command: 'page-up', keys: ['pageup', 'ctrl+u'], scope: 'output', description: 'page up'},
	{command: 'page-down', keys: ['pagedown', 'ctrl+d', 'space'], scope: 'output', description: 'page down'},
	{command: 'top', keys: ['home', 'g'], scope: 'output', description: 'first line'},
	{command: 'bottom', keys: ['end', 'G'], scope: 'output', description: 'last line'},
	{command: 'search', keys: ['/'], scope: 'output', description: 'search the output', hint: 'search'},
	{command: 'next-match', keys: ['n'], scope: 'output', description: 'next match', hint: 'next'},
	{command: 'prev-match', keys: ['N'], scope: 'output', description: 'previous match'},
	{command: 'toggle-wrap', keys: ['w'], scope: 'output', description: 'wrap long lines on / off', hint: 'wrap'},
	{command: 'close', keys: ['escape', 'q', 'a'], scope: 'output', description: 'close the output', hint: 'close'},

	{command: 'confirm', keys: ['enter'], scope: 'prompt', description: 'run the command / keep the filter', hint: 'ok'},
	{command: 'cancel', keys: ['escape'], scope: 'prompt', description: 'cancel (a filter is cleared)', hint: 'cancel'},
	{command: 'complete', keys: ['tab'], scope: 'prompt', description: 'complete a command name or app reference', hint: 'complete'},
	{command: 'history-prev', keys: ['up'], scope: 'prompt', description: 'previous command from the history'},
	{command: 'history-next', keys: ['down'], scope: 'prompt', description: 'next command from the history'},

	{command: 'up', keys: ['up', 'k'], scope: 'ports', description: 'move up'},
	{command: 'down', keys: ['down', 'j'], scope: 'ports', description: 'move down'},
	{command: 'release', keys: ['x', 'd'], scope: 'ports', description: 'release the allocation (asks first)', hint: 'release'},
	{command: 'close', keys: ['escape', 'p', 'q'], scope: 'ports', description: 'close the ports view', hint: 'close'},

	{command: 'confirm', keys: ['y', 'enter'], scope: 'adopt', description: 'adopt as previewed', hint: 'adopt'},
	{command: 'cancel', keys: ['n', 'escape', 'q'], scope: 'adopt', description: 'cancel: nothing is changed', hint: 'cancel'},
	{command: 'up', keys: ['up', 'k'], scope: 'adopt', description: 'scroll the preview up'},
	{command: 'down', keys: ['down', 'j'], scope: 'adopt', description: 'scroll the preview down'},
	{command: 'page-up', keys: ['pageup', 'ctrl+u'], scope: 'adopt', description: 'page up'},
	{command: 'page-down', keys: ['pagedown', 'ctrl+d', 'space'], scope: 'adopt', description: 'page down'},

	{command: 'confirm', keys: ['y', 'enter'], scope: 'confirm', description: 'yes', hint: 'yes'},
	{command: 'cancel', keys: ['n', 'escape', 'q'], scope: 'confirm', description: 'no', hint: 'no'},

	{command: 'close', keys: ['escape', '?', 'q'], scope: 'help', description: 'close the help', hint: 'close'},
	{command: 'page-down', keys: ['right', 'l', 'space'], scope: 'help', description: 'next page of keys (small terminals)'},
	{command: 'page-up', keys: ['left', 'h'], scope: 'help', description: 'previous page of keys'},
];

/** The scopes a pane or overlay listens to, most specific first. */
export function scopeChain(scope: Scope): Scope[] {
	switch (scope) {
		case 'models':
		case 'apps':
		case 'status':
		case 'logs':
			return [scope, 'list', 'global'];
		default:
			return [scope];
	}
}

/** The normalised name of a key press as Ink reports it (see `KeyBinding.keys`). */
export function keyName(input: string, key: Key): string {
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'enter';
	if (key.escape) return 'escape';
	if (key.tab) return key.shift ? 'shift+tab' : 'tab';
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
	if (input === ' ') return 'space';
	return input;
}

/** The command a key triggers in `scope`, or `null`. */
export function commandFor(scope: Scope, name: string, keymap: Keymap = KEYMAP): Command | null {
	for (const s of scopeChain(scope)) {
		const binding = keymap.find(b => b.scope === s && b.keys.includes(name));
		if (binding) return binding.command;
	}
	return null;
}

const KEY_LABELS: Record<string, string> = {
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	enter: '⏎',
	escape: 'esc',
	space: 'space',
	pageup: 'pgup',
	pagedown: 'pgdn',
};

export function keyLabel(name: string): string {
	return KEY_LABELS[name] ?? name;
}

/** Footer hints for a scope: its own bindings with a hint, then the global ones. */
export function hintsFor(scope: Scope, keymap: Keymap = KEYMAP): {keys: string; label: string}[] {
	return scopeChain(scope)
		.flatMap(s => keymap.filter(b => b.scope === s && b.hint))
		.map(b => ({keys: keyLabel(b.keys[0]!), label: b.hint!}));
}

/** Every binding grouped by scope, for the help overlay and docs/tui.md. */
export function helpSections(keymap: Keymap = KEYMAP): {scope: Scope; bindings: KeyBinding[]}[] {
	const order: Scope[] = ['global', 'list', 'models', 'apps', 'status', 'logs', 'output', 'prompt', 'ports', 'adopt', 'confirm', 'help'];
	return order.map(scope => ({scope, bindings: keymap.filter(b => b.scope === scope)}));
}

/**
 * The label of the key that runs `command` in `scope` (or its chain), for lines that name a key ("press
 * u", "G follows"): its first one-character key, else its first key.
 */
export function keyFor(scope: Scope, command: Command, keymap: Keymap = KEYMAP): string {
	const binding = scopeChain(scope)
		.flatMap(s => keymap.filter(b => b.scope === s && b.command === command))
		.at(0);
	return binding ? keyLabel(binding.keys.find(k => Array.from(k).length === 1) ?? binding.keys[0]!) : command;
}

/** A question's answer keys as the user's keymap has them: "[y]es [n]o" by default, "[j] yes [N] no" remapped. */
export function yesNo(keymap: Keymap = KEYMAP, scope: Scope = 'confirm'): string {
	const answer = (key: string, word: string) => (word.startsWith(key) ? `[${key}]${word.slice(key.length)}` : `[${key}] ${word}`);
	return `${answer(keyFor(scope, 'confirm', keymap), 'yes')} ${answer(keyFor(scope, 'cancel', keymap), 'no')}`;
}

/** The keys of a command in a scope's chain ("tab" for next-pane), for the lines that name them. */
export function keysOf(command: Command, keymap: Keymap = KEYMAP): string[] {
	return keymap.filter(b => b.command === command).flatMap(b => b.keys);
}

export const SCOPE_TITLES: Record<Scope, string> = {
	global: 'everywhere',
	list: 'lists and logs',
	models: 'models pane',
	apps: 'apps pane',
	status: 'status pane',
	logs: 'logs pane',
	output: 'action output',
	prompt: 'palette and filter',
	ports: 'ports view',
	adopt: 'adoption preview',
	confirm: 'questions',
	help: 'help',
};

/** The keymap as a Markdown table: docs/tui.md holds exactly this (a test compares them). */
export function keymapMarkdown(): string {
	const rows = helpSections().flatMap(section =>
		section.bindings.map(b => `| ${SCOPE_TITLES[section.scope]} | ${b.keys.map(k => `\`${k}\``).join(' ')} | ${b.description} |`),
	);
	return ['| where | keys | does |', '|---|---|---|', ...rows].join('\n');
}
