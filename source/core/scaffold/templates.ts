import {readFile, readdir} from 'node:fs/promises';
import path from 'node:path';
import {Eta} from 'eta/core';
import {BerthError} from '../errors.ts';
import type {FileRule, Manifest} from '../plugins/manifest.ts';
import {FILES_DIR, PARTIALS_DIR, PluginError, slotEnvName} from '../plugins/plugin-error.ts';
import {SHARED_TEMPLATES_DIR} from '../plugins/locations.ts';
import type {Plugin} from '../plugins/registry.ts';
import {globToRegExp} from '../plugins/glob.ts';

/** Files a plugin may not ship: berth writes them itself. */
export const RESERVED_TARGETS = ['.env', '.env.example', '.berth.json'] as const;

/** Seed-style placeholder: `{{key}}` or `{{key|default}}`. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(?:\|([^}]*?))?\s*\}\}/g;

/** What a compiled template is called with. */
export type TemplateFunction = (data: object) => string;

/** The file rules that apply to one file, merged (later rules win). */
export interface ResolvedRule {
	backfill: boolean;
	when: string | null;
	mode: number | null;
	placeholders: boolean;
}

/** One file of a plugin's files/ tree, read and (for *.eta) compiled once per process. */
export interface SourceFile {
	/** Path in files/, POSIX separators, e.g. "backend/Dockerfile.eta". */
	source: string;
	/** The output path before placeholders in it are replaced: `source` without ".eta". */
	target: string;
	kind: 'template' | 'placeholders' | 'copy';
	bytes: Uint8Array;
	/** Compiled Eta template (kind "template"). */
	render: TemplateFunction | null;
	rule: ResolvedRule;
}

export interface CompiledPlugin {
	files: SourceFile[];
	/** Keys a seed-style placeholder may name. */
	placeholderKeys: Set<string>;
}

/** Default backfill set: the Docker files of a flavour. */
const DOCKER_FILES = ['Dockerfile*', '*.Dockerfile', '.dockerignore', 'docker-compose*.yml', 'docker-compose*.yaml', 'compose*.yml', 'compose*.yaml', 'nginx.conf', 'nginx/*.conf'].map(globToRegExp);

const BASE_OPTIONS = {autoEscape: false, autoTrim: false as const, useWith: false, cache: true, debug: true, rmWhitespace: false};

function posix(file: string): string {
	return file.split(path.sep).join('/');
}

/** Every file under `dir` (relative POSIX paths, sorted); symlinks are refused. */
export async function walkFiles(dir: string, label: string): Promise<string[]> {
	const found: string[] = [];
	async function walk(current: string): Promise<void> {
		const entries = await readdir(current, {withFileTypes: true});
		for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
			const full = path.join(current, entry.name);
			if (entry.isSymbolicLink()) {
				throw new PluginError(full, [{path: '', message: `symbolic links are not allowed in ${label} (copy the file instead)`}]);
			}
			if (entry.isDirectory()) await walk(full);
			else if (entry.isFile()) found.push(posix(path.relative(dir, full)));
		}
	}
	await walk(dir);
	return found;
}

function compileWith(eta: Eta, text: string, file: string): TemplateFunction {
	let compiled: ReturnType<Eta['compile']>;
	try {
		compiled = eta.compile(text);
	} catch (error) {
		throw new PluginError(file, [{path: '', message: `template does not compile: ${firstLine(error)}`}], error);
	}
	return (data: object) => {
		try {
			return eta.render(compiled, data);
		} catch (error) {
			throw new TemplateError(file, error);
		}
	};
}

function firstLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	// Eta's syntax errors: "Bad template syntax\n\n<JS error>\n=====\n<generated code>"
	const syntax = /^Bad template syntax\s+([^\n]+)/.exec(text);
	if (syntax) return `${syntax[1]} (check the <% %> tags)`;
	return text.split('\n').filter(line => line.trim()).slice(0, 3).join(' — ');
}

/** Eta's debug runtime errors: "line N\n<code excerpt>\n\n<message>" -> {line, message}. */
function runtimeDetail(error: unknown): {line: number | null; message: string} {
	const text = error instanceof Error ? error.message : String(error);
	const match = /^line (\d+)\n[\s\S]*?\n\n([\s\S]+)$/.exec(text);
	if (match) return {line: Number(match[1]), message: match[2]!.trim()};
	return {line: null, message: firstLine(error)};
}

/** A template failed while rendering (an undeclared variable, a missing partial, a thrown error). */
export class TemplateError extends BerthError {
	override name = 'TemplateError';
	readonly file: string;
	readonly line: number | null;
	readonly detail: string;
	/** `detail` replaces what is read from `cause` (an error rendered elsewhere, e.g. in lint's sandbox). */
	constructor(file: string, cause: unknown, detail?: {line: number | null; message: string}) {
		// A partial's TemplateError already names its own file: keep it as the detail.
		const {line, message} = detail ?? (cause instanceof TemplateError ? {line: null, message: cause.message} : runtimeDetail(cause));
		super(`${file}${line === null ? '' : `: line ${line}`}: ${message}`, {code: 'template', cause});
		this.file = file;
		this.line = line;
		this.detail = message;
	}
}

let sharedPartials: Promise<Map<string, string>> | undefined;

/** The shared partials of templates/ by name (`@shared/<path without .eta>`), read once per process. */
function loadSharedPartials(): Promise<Map<string, string>> {
	sharedPartials ??= (async () => {
		const partials = new Map<string, string>();
		let files: string[] = [];
		try {
			files = await walkFiles(SHARED_TEMPLATES_DIR, 'templates/');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
		for (const file of files.filter(f => f.endsWith('.eta'))) {
			partials.set(`@shared/${file.slice(0, -4)}`, await readFile(path.join(SHARED_TEMPLATES_DIR, file), 'utf8'));
		}
		return partials;
	})();
	return sharedPartials;
}

/** The merged rules for `target` (a path in files/ without ".eta"). */
export function resolveRule(rules: readonly FileRule[], target: string): ResolvedRule {
	const rule: ResolvedRule = {backfill: DOCKER_FILES.some(re => re.test(target)), when: null, mode: null, placeholders: false};
	for (const candidate of rules) {
		if (!globToRegExp(candidate.match).test(target)) continue;
		if (candidate.backfill !== undefined) rule.backfill = candidate.backfill;
		if (candidate.when !== undefined) rule.when = candidate.when;
		if (candidate.mode !== undefined) rule.mode = Number.parseInt(candidate.mode, 8);
		if (candidate.placeholders !== undefined) rule.placeholders = candidate.placeholders;
	}
	return rule;
}

/** Keys a seed-style placeholder may use: declared variables and berth's own values. */
export function placeholderKeys(manifest: Manifest): Set<string> {
	const keys = new Set<string>(['PROJECT_NAME', 'project_name', 'COMPOSE_PROJECT_NAME', 'model', 'app_number', 'app_id']);
	for (const variable of manifest.variables) if (!variable.secret) keys.add(variable.name);
	for (const slot of manifest.ports) {
		keys.add(`${slot.slot}_port`);
		keys.add(slotEnvName(slot));
	}
	return keys;
}

/**
 * Seed-style placeholders in an Eta template become Eta expressions (so a value can never inject Eta
 * code); the placeholder's default applies when the value is empty. Unknown keys are left as they are.
 */
export function placeholdersToEta(text: string, keys: ReadonlySet<string>): string {
	return text.replace(PLACEHOLDER, (whole, key: string, fallback: string | undefined) => {
		if (!keys.has(key)) return whole;
		const value = `it.seed[${JSON.stringify(key)}]`;
		return fallback === undefined ? `<%= ${value} %>` : `<%= ${value} === '' ? ${JSON.stringify(fallback)} : ${value} %>`;
	});
}

/** Replaces seed-style placeholders of known keys in plain text. */
export function replacePlaceholders(text: string, values: Readonly<Record<string, string>>): string {
	return text.replace(PLACEHOLDER, (whole, key: string, fallback: string | undefined) => {
		if (!Object.hasOwn(values, key)) return whole;
		const value = values[key]!;
		return value === '' && fallback !== undefined ? fallback : value;
	});
}

const compiledPlugins = new WeakMap<Plugin, Promise<CompiledPlugin>>();

/**
 * Reads a plugin's files/ tree and compiles its templates, once per plugin object. Throws PluginError
 * for symlinks, reserved names, and templates that do not compile.
 */
export function compilePlugin(plugin: Plugin): Promise<CompiledPlugin> {
	let compiled = compiledPlugins.get(plugin);
	if (!compiled) {
		compiled = doCompile(plugin);
		compiledPlugins.set(plugin, compiled);
		compiled.catch(() => compiledPlugins.delete(plugin));
	}
	return compiled;
}

async function doCompile(plugin: Plugin): Promise<CompiledPlugin> {
	const eta = new Eta(BASE_OPTIONS);
	const keys = placeholderKeys(plugin.manifest);
	for (const [name, text] of await loadSharedPartials()) {
		eta.loadTemplate(name, compileWith(eta, text, `templates/${name.slice('@shared/'.length)}.eta`) as never);
	}
	const partialsDir = path.join(plugin.dir, PARTIALS_DIR);
	let partialFiles: string[] = [];
	try {
		partialFiles = await walkFiles(partialsDir, 'partials/');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	for (const file of partialFiles.filter(f => f.endsWith('.eta'))) {
		const full = path.join(partialsDir, file);
		const text = placeholdersToEta(await readFile(full, 'utf8'), keys);
		eta.loadTemplate(`@local/${file.slice(0, -4)}`, compileWith(eta, text, full) as never);
	}
	const filesDir = path.join(plugin.dir, FILES_DIR);
	const files: SourceFile[] = [];
	for (const source of await walkFiles(filesDir, 'files/')) {
		const full = path.join(filesDir, source);
		const template = source.endsWith('.eta');
		const target = template ? source.slice(0, -4) : source;
		if ((RESERVED_TARGETS as readonly string[]).includes(target)) {
			throw new PluginError(full, [{path: '', message: `${target} is written by berth itself (from the manifest's ports and variables); remove it from files/`}]);
		}
		const rule = resolveRule(plugin.manifest.files, target);
		const bytes = new Uint8Array(await readFile(full));
		const kind = template ? 'template' : rule.placeholders ? 'placeholders' : 'copy';
		const render = template ? compileWith(eta, placeholdersToEta(new TextDecoder().decode(bytes), keys), full) : null;
		files.push({source, target, kind, bytes, render, rule});
	}
	return {files, placeholderKeys: keys};
}
