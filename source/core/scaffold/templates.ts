import {readFile, readdir} from 'node:fs/promises';
import path from 'node:path';
import {BerthError} from '../errors.ts';
import type {FileRule, Manifest} from '../plugins/manifest.ts';
import {FILES_DIR, PARTIALS_DIR, PluginError, slotEnvName} from '../plugins/plugin-error.ts';
import {SHARED_TEMPLATES_DIR} from '../plugins/locations.ts';
import type {Plugin} from '../plugins/registry.ts';
import {globMatcher} from '../plugins/glob.ts';
import {readCapped, TEMPLATE_MAX_BYTES} from '../plugins/limits.ts';
import {LinearEta} from './linear-eta.ts';

/** Files a plugin may not ship: berth writes them itself. */
export const RESERVED_TARGETS = ['.env', '.env.example', '.berth.json'] as const;

/**
 * Seed-style placeholder: `{{key}}` or `{{key|default}}` (the default holds no brace; trailing
 * whitespace is not part of it: see placeholderDefault). Written so that a failed match gives up in
 * time linear in the text: no two adjacent quantifiers can trade characters (a 32 kB run of "{{a|"
 * took 0.6 s to scan, growing with the square of its length, with the previous pattern).
 */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(?:\|([^{}]*))?\}\}/g;

/** The default of a PLACEHOLDER match (its second group), without trailing whitespace; undefined when none. */
function placeholderDefault(group: string | undefined): string | undefined {
	return group?.trimEnd();
}

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
const DOCKER_FILES = [
	'Dockerfile*',
	'*.Dockerfile',
	'.dockerignore',
	'docker-compose*.yml',
	'docker-compose*.yaml',
	'compose*.yml',
	'compose*.yaml',
	'nginx.conf',
	'nginx/*.conf',
].map(globMatcher);

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

function compileWith(eta: LinearEta, text: string, file: string): TemplateFunction {
	let compiled: ReturnType<LinearEta['compile']>;
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
	return text
		.split('\n')
		.filter(line => line.trim())
		.slice(0, 3)
		.join(' — ');
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
		if (!globMatcher(candidate.match).test(target)) continue;
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
	return text.replace(PLACEHOLDER, (whole, key: string, group: string | undefined) => {
		if (!keys.has(key)) return whole;
		const fallback = placeholderDefault(group);
		const value = `it.seed[${JSON.stringify(key)}]`;
		return fallback === undefined ? `<%= ${value} %>` : `<%= ${value} === '' ? ${JSON.stringify(fallback)} : ${value} %>`;
	});
}

/** Replaces seed-style placeholders of known keys in plain text. */
export function replacePlaceholders(text: string, values: Readonly<Record<string, string>>): string {
	return text.replace(PLACEHOLDER, (whole, key: string, group: string | undefined) => {
		if (!Object.hasOwn(values, key)) return whole;
		const fallback = placeholderDefault(group);
		const value = values[key]!;
		return value === '' && fallback !== undefined ? fallback : value;
	});
}

/** A plugin's files/ tree, read but not compiled (no template code is turned into a function). */
export interface PluginFiles {
	/** Every file; `render` is null here. */
	files: SourceFile[];
	placeholderKeys: Set<string>;
}

const readPlugins = new WeakMap<Plugin, Promise<PluginFiles>>();
const compiledPlugins = new WeakMap<Plugin, Promise<CompiledPlugin>>();

/** `promise`, kept per plugin object in `cache` unless it fails. */
function cached<T>(cache: WeakMap<Plugin, Promise<T>>, plugin: Plugin, make: () => Promise<T>): Promise<T> {
	let promise = cache.get(plugin);
	if (!promise) {
		promise = make();
		cache.set(plugin, promise);
		promise.catch(() => cache.delete(plugin));
	}
	return promise;
}

/**
 * Reads a plugin's files/ tree, once per plugin object, without compiling anything: what a plan needs
 * (paths, rules, bytes). Throws PluginError for symlinks, reserved names, and a template or placeholder
 * file over TEMPLATE_MAX_BYTES (they are parsed; copied files are not, and have no cap).
 */
export function readPluginFiles(plugin: Plugin): Promise<PluginFiles> {
	return cached(readPlugins, plugin, async () => {
		const filesDir = path.join(plugin.dir, FILES_DIR);
		const files: SourceFile[] = [];
		for (const source of await walkFiles(filesDir, 'files/')) {
			const full = path.join(filesDir, source);
			const template = source.endsWith('.eta');
			const target = template ? source.slice(0, -4) : source;
			if ((RESERVED_TARGETS as readonly string[]).includes(target)) {
				throw new PluginError(full, [
					{path: '', message: `${target} is written by berth itself (from the manifest's ports and variables); remove it from files/`},
				]);
			}
			const rule = resolveRule(plugin.manifest.files, target);
			const kind = template ? 'template' : rule.placeholders ? 'placeholders' : 'copy';
			const bytes =
				kind === 'copy'
					? new Uint8Array(await readFile(full))
					: await readCapped(full, TEMPLATE_MAX_BYTES, kind === 'template' ? 'a template' : 'a file with placeholders');
			files.push({source, target, kind, bytes, render: null, rule});
		}
		return {files, placeholderKeys: placeholderKeys(plugin.manifest)};
	});
}

/** Told the absolute path of each template just before it is compiled (lint's sandbox names it when time runs out). */
export type CompileProgress = (file: string) => void;

/**
 * Reads a plugin's files/ tree and compiles its templates, once per plugin object. Throws PluginError
 * as readPluginFiles does, and for templates that do not compile.
 */
export function compilePlugin(plugin: Plugin, progress?: CompileProgress): Promise<CompiledPlugin> {
	return cached(compiledPlugins, plugin, () => doCompile(plugin, progress));
}

async function doCompile(plugin: Plugin, progress: CompileProgress = () => {}): Promise<CompiledPlugin> {
	const {files, placeholderKeys: keys} = await readPluginFiles(plugin);
	const eta = new LinearEta(BASE_OPTIONS);
	for (const [name, text] of await loadSharedPartials()) {
		const file = `templates/${name.slice('@shared/'.length)}.eta`;
		progress(path.join(SHARED_TEMPLATES_DIR, file.slice('templates/'.length)));
		eta.loadTemplate(name, compileWith(eta, text, file) as never);
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
		const text = placeholdersToEta(new TextDecoder().decode(await readCapped(full, TEMPLATE_MAX_BYTES, 'a template')), keys);
		progress(full);
		eta.loadTemplate(`@local/${file.slice(0, -4)}`, compileWith(eta, text, full) as never);
	}
	const compiled = files.map(file => {
		if (file.kind !== 'template') return file;
		const full = path.join(plugin.dir, FILES_DIR, file.source);
		progress(full);
		return {...file, render: compileWith(eta, placeholdersToEta(new TextDecoder().decode(file.bytes), keys), full)};
	});
	return {files: compiled, placeholderKeys: keys};
}
