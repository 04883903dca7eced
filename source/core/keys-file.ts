/**
 * The user's keys file (`keys.conf` in berth's config dir): remaps the terminal UI's keys. One binding a
 * line, `#` starts a comment:
 *
 *     stop = x ctrl+s          # the command's keys in every scope that has it
 *     apps.stop = x            # only in one scope (the `where` column of docs/tui.md's table)
 *
 * The listed keys replace the command's default keys there. The file is checked whole against the
 * keymap it remaps (given by the caller: the UI's table): an unknown scope, command or key name, or a key
 * two commands would share where both are heard, is an error naming the file and line, and then none of
 * the file applies (berth runs with its defaults and says why).
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {readBounded} from './read-bounded.ts';

/** A binding as the remapped table holds it. */
export interface Rebindable {
	command: string;
	scope: string;
	keys: readonly string[];
}

/** The named keys; besides them, any single character but space, `#` and `=`, and ctrl+<letter>. */
export const NAMED_KEYS = ['up', 'down', 'left', 'right', 'enter', 'escape', 'tab', 'shift+tab', 'space', 'backspace', 'pageup', 'pagedown', 'home', 'end'];

export const KEYS_FILE = 'keys.conf';

/** A keys file larger than this is not a keys file. */
const MAX_BYTES = 64 * 1024;

export function isKeyName(name: string): boolean {
	if (NAMED_KEYS.includes(name)) return true;
	if (/^ctrl\+[a-z]$/.test(name)) return true;
	const chars = Array.from(name);
	return chars.length === 1 && !/[\s#=\u0000-\u001F\u007F]/u.test(name);
}

export interface Remapped<B extends Rebindable> {
	bindings: B[];
	/** "keys.conf:3: unknown command …", in line order; when any, `bindings` are the defaults. */
	errors: string[];
}

/**
 * Applies a keys file's text to `defaults`. `heard(scope)` lists the scopes whose keys a scope also
 * hears (itself first): a clash is a key two commands would share in one of those chains.
 */
export function remapKeys<B extends Rebindable>(
	defaults: readonly B[],
	text: string,
	file: string,
	heard: (scope: string) => readonly string[],
	titles: Readonly<Record<string, string>> = {},
): Remapped<B> {
	const errors: string[] = [];
	const bindings = defaults.map(b => ({...b}));
	/** The line that set each binding's keys, for a clash's message. */
	const lineOf = new Map<B, number>();
	const scopes = [...new Set(defaults.map(b => b.scope))];
	const commands = new Set(defaults.map(b => b.command));
	const name = path.basename(file);
	const lines = text.split(/\r?\n/);
	for (const [index, raw] of lines.entries()) {
		const problem = applyLine(index + 1, raw);
		if (problem) errors.push(problem);
	}
	function applyLine(line: number, raw: string): string | undefined {
		const at = `${name}:${line}: `;
		const content = raw.replace(/#.*$/, '').trim();
		if (!content) return undefined;
		const match = /^([A-Za-z-]+)(?:\.([A-Za-z-]+))?\s*=\s*(.*)$/.exec(content);
		if (!match) return `${at}expected "<command> = <keys>" or "<scope>.<command> = <keys>", got "${content}"`;
		const [, first = '', second, rest = ''] = match;
		const [scope, command] = second === undefined ? [undefined, first] : [first, second];
		if (scope !== undefined && !scopes.includes(scope)) return `${at}unknown scope "${scope}": one of ${scopes.join(', ')}`;
		if (!commands.has(command)) return `${at}unknown command "${command}": the commands are listed in docs/tui.md (berth's keys)`;
		const targets = bindings.filter(b => b.command === command && (scope === undefined || b.scope === scope));
		if (targets.length === 0) {
			const where = [...new Set(bindings.filter(b => b.command === command).map(b => b.scope))].join(', ');
			return `${at}"${command}" has no keys in scope "${scope}": it is bound in ${where}`;
		}
		const keys = rest.split(/\s+/).filter(Boolean);
		if (keys.length === 0) return `${at}no keys for "${first}${second === undefined ? '' : `.${second}`}": give one or more, e.g. "${command} = x"`;
		const unknown = keys.find(k => !isKeyName(k));
		if (unknown !== undefined) return `${at}unknown key "${unknown}": a single character, ${NAMED_KEYS.join(', ')}, or ctrl+<letter>`;
		for (const target of targets) {
			target.keys = [...new Set(keys)];
			lineOf.set(target, line);
		}
		return undefined;
	}
	if (errors.length === 0) errors.push(...clashes(bindings, lineOf, name, heard, titles));
	return errors.length > 0 ? {bindings: defaults.map(b => ({...b})), errors} : {bindings, errors};
}

/** Keys two commands share where one scope hears both: blamed on the file's line that made it so. */
function clashes<B extends Rebindable>(
	bindings: readonly B[],
	lineOf: ReadonlyMap<B, number>,
	name: string,
	heard: (scope: string) => readonly string[],
	titles: Readonly<Record<string, string>>,
): string[] {
	const found = new Map<number, string>();
	for (const scope of new Set(bindings.map(b => b.scope))) {
		const chain = heard(scope);
		const owner = new Map<string, B>();
		for (const s of chain) {
			for (const binding of bindings.filter(b => b.scope === s)) {
				for (const key of binding.keys) {
					const other = owner.get(key);
					if (!other) {
						owner.set(key, binding);
						continue;
					}
					if (other.command === binding.command) continue;
					// The later of the lines that set them (a default never clashes with another).
					const line = Math.max(lineOf.get(binding) ?? 0, lineOf.get(other) ?? 0);
					if (line === 0 || found.has(line)) continue;
					const title = (b: B) => titles[b.scope] ?? b.scope;
					found.set(line, `${name}:${line}: "${key}" would be both "${other.command}" (${title(other)}) and "${binding.command}" (${title(binding)})`);
				}
			}
		}
	}
	return [...found.entries()].sort(([a], [b]) => a - b).map(([, message]) => message);
}

/** Reads the keys file of `configDir` (none = the defaults), and remaps `defaults` with it. */
export async function loadKeysFile<B extends Rebindable>(
	configDir: string,
	defaults: readonly B[],
	heard: (scope: string) => readonly string[],
	titles?: Readonly<Record<string, string>>,
): Promise<Remapped<B> & {file: string}> {
	const file = path.join(configDir, KEYS_FILE);
	if (!existsSync(file)) return {bindings: [...defaults], errors: [], file};
	let text: string;
	try {
		text = await readBounded(file, MAX_BYTES);
	} catch (error) {
		return {bindings: [...defaults], errors: [`${file}: cannot be read (${(error as Error).message})`], file};
	}
	return {...remapKeys(defaults, text, file, heard, titles), file};
}
