/**
 * The `?` overlay's layout as a pure function: the keymap's sections packed into columns of the
 * height the terminal gives, a section kept in one column where it fits, and as many columns side by
 * side as the width allows. What does not fit goes onto further pages (←/→ in the overlay), so no
 * key is ever cut off or drawn over another.
 */
import {helpSections, KEYMAP, keyLabel, type Keymap, type Scope} from './keymap.ts';

export const HELP_TITLES: Record<Scope, string> = {
	global: 'Everywhere',
	list: 'Lists and logs',
	models: 'Models pane',
	apps: 'Apps pane',
	status: 'Status pane',
	logs: 'Logs pane',
	output: 'Action output',
	prompt: 'Palette and filter',
	ports: 'Ports view',
	adopt: 'Adoption preview',
	confirm: 'Questions',
	help: 'This help',
};

export interface HelpLine {
	kind: 'title' | 'key';
	text: string;
}

export interface HelpLayout {
	/** The columns of this page, left to right. */
	columns: HelpLine[][];
	columnWidth: number;
	page: number;
	pages: number;
}

/** A binding's keys as the help shows them, e.g. `↑/k`. */
export const helpKeys = (keys: readonly string[]) => keys.map(keyLabel).join('/');

function helpLines(keymap: Keymap): HelpLine[][] {
	const sections = helpSections(keymap).filter(section => section.bindings.length > 0);
	const keysWidth = Math.max(...sections.flatMap(section => section.bindings.map(b => helpKeys(b.keys).length))) + 1;
	return sections.map(section => [
		{kind: 'title', text: HELP_TITLES[section.scope]},
		...section.bindings.map(b => ({kind: 'key' as const, text: `  ${helpKeys(b.keys).padEnd(keysWidth)}${b.description}`})),
	]);
}

/** Packs sections into columns at most `height` lines tall; a section that fits in a column is never split. */
export function packColumns(sections: HelpLine[][], height: number): HelpLine[][] {
	const columns: HelpLine[][] = [];
	let current: HelpLine[] = [];
	for (const section of sections) {
		if (current.length > 0 && current.length + section.length > height && section.length <= height) {
			columns.push(current);
			current = [];
		}
		for (const line of section) {
			if (current.length >= height) {
				columns.push(current);
				current = [];
			}
			current.push(line);
		}
	}
	if (current.length > 0) columns.push(current);
	return columns;
}

/**
 * The help for an area `width` x `height` (inside the overlay's border and title line), showing page
 * `page` (clamped to the pages there are).
 */
export function helpLayout(width: number, height: number, page: number, keymap: Keymap = KEYMAP): HelpLayout {
	const sections = helpLines(keymap);
	const all = packColumns(sections, Math.max(1, height));
	const widest = Math.max(...sections.flat().map(line => line.text.length));
	const columnWidth = Math.max(1, Math.min(widest + 2, width));
	const perPage = Math.max(1, Math.floor(width / columnWidth));
	const pages = Math.ceil(all.length / perPage);
	const shown = Math.min(Math.max(0, page), pages - 1);
	return {columns: all.slice(shown * perPage, (shown + 1) * perPage), columnWidth, page: shown, pages};
}
