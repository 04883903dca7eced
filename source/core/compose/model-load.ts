import {existsSync, readdirSync, statSync} from 'node:fs';
import {mkdir, readdir, rename, unlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {Document} from 'yaml';
import {errorMessage} from '../errors.ts';
import {runBounded} from '../pool.ts';
import {nodeCrypto} from '../node-crypto.ts';
import {readBounded, readBoundedSync} from '../read-bounded.ts';
import {COMPOSE_LIMITS, composeVariables, interpolate} from '../workspace/compose-ports.ts';
import {portEnv} from './args.ts';
import type {ComposeBinary} from './detect.ts';
import {composeFilesFrom, type FilesTarget} from './files.ts';
import {servicesOf, type AppModel} from './model.ts';

/**
 * Loading an app's effective model: compose's own `config` with the files berth passes to every other
 * call, cached per app in berth's data folder (never in the app folder) and keyed by everything that
 * fed it, so a listing asks compose only for apps whose files changed.
 */

export interface ModelTarget extends FilesTarget {
	id: string;
	projectName: string;
	/** Allocated ports: compose sees them as BERTH_PORT_<SLOT>, as in every other call. */
	ports: Record<string, number> | null;
}

export interface LoadOptions {
	/** The compose berth runs; `null`: none is installed, berth reads the files itself. */
	binary: ComposeBinary | null;
	env?: NodeJS.ProcessEnv;
	/** Where cached models live; `null`: no cache. */
	cacheDir: string | null;
	signal?: AbortSignal;
	/** How long compose may take for one app (default 10 s); then it is killed and the app gets a warning. */
	timeoutMs?: number;
	/** The entries of app folders as a scan made just now found them (by folder): not listed again. */
	listings?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface LoadedModel {
	model: AppModel;
	/** `true` when compose was asked (or the files read) now, `false` when the cache answered. */
	reread: boolean;
}

/** Anchors berth follows in a compose file: an alias bomb (each alias a copy of the last, nine times over) stops here. */
const MAX_ALIAS_EXPANSION = 10_000;
/** Most bytes of compose's output berth keeps (a resolved config of 1,000 services is well under this). */
const MAX_OUTPUT = 16 * 1024 * 1024;
// 5: entries the TUI's bundle wrote as "not valid YAML (yaml.parseDocument is not a function)" are read again.
// 6: one file for every app (models.json), files known by their status.
const CACHE_VERSION = 6;

/** Who reads an app's files: "compose v2 2.26.1", or "berth's reader" when no compose is installed. */
export function sourceOf(binary: ComposeBinary | null): string {
	return binary ? `compose ${binary.flavour}${binary.version ? ` ${binary.version}` : ''}` : "berth's reader";
}

interface YamlFile {
	text: string;
	doc: unknown;
	/** compose's merge tags by the key path they sit on ("services\nweb\nports" -> "!override"). */
	tags: Map<string, string>;
}

/** Where a file uses compose's `!override` / `!reset` (which a plain YAML read drops): berth's reader honours them. */
function mergeTags({isPair, isScalar, visit}: typeof import('yaml'), document: Document): Map<string, string> {
	const tags = new Map<string, string>();
	visit(document, {
		Node(_key, node, path) {
			const tag = (node as {tag?: string}).tag;
			if (tag !== '!override' && tag !== '!reset') return;
			const keys = path.filter(isPair).map(pair => (isScalar(pair.key) ? String(pair.key.value) : '?'));
			tags.set(keys.join('\n'), tag);
		},
	});
	return tags;
}

/** The YAML of one compose file, within COMPOSE_LIMITS and the alias budget: a reason string when it is refused. */
/**
 * The files' refusal by berth's own bounds (size, FIFOs, YAML, alias expansion, services), naming the
 * file, or `null` when compose may be asked: compose itself never returns on an alias bomb.
 */
export async function screenComposeFiles(files: readonly string[]): Promise<string | null> {
	for (const file of files) {
		const read = await readYaml(file);
		if (typeof read === 'string') return `${file}: ${read}`;
	}
	return null;
}

/**
 * The yaml package, loaded when first needed. Its CommonJS build reaches the TUI's bundle (esbuild,
 * scripts/bundle.mjs) with a default export only, no named ones: the API is that default wherever there
 * is one (Node and Deno give one too).
 */
async function loadYaml(): Promise<typeof import('yaml')> {
	const loaded = (await import('yaml')) as typeof import('yaml') & {default?: typeof import('yaml')};
	return loaded.default ?? loaded;
}

async function readYaml(file: string): Promise<YamlFile | string> {
	let text: string;
	try {
		text = await readBounded(file, COMPOSE_LIMITS.maxBytes);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : errorMessage(error);
	}
	// Loaded here, like execa below: `ls` answered by the model cache reads no YAML and runs nothing.
	const yaml = await loadYaml();
	try {
		// `silent`: a tag berth does not know (compose's !override, !reset) is not a warning on the terminal.
		const document = yaml.parseDocument(text, {uniqueKeys: false, prettyErrors: false, logLevel: 'silent', merge: true});
		if (document.errors.length > 0) {
			const message = document.errors[0]!.message.split('\n')[0]!.slice(0, 200);
			return /call stack/i.test(message) ? 'it nests too deeply' : `it is not valid YAML (${message})`;
		}
		const doc = document.toJS({maxAliasCount: MAX_ALIAS_EXPANSION});
		const services = doc && typeof doc === 'object' ? (doc as {services?: unknown}).services : undefined;
		if (services && typeof services === 'object' && Object.keys(services).length > COMPOSE_LIMITS.maxServices) {
			return `it has ${Object.keys(services).length} services, more than berth reads (${COMPOSE_LIMITS.maxServices})`;
		}
		return {text, doc, tags: /!(override|reset)\b/.test(text) ? mergeTags(yaml, document) : new Map()};
	} catch (error) {
		const message = errorMessage(error).split('\n')[0]!.slice(0, 200);
		if (/call stack/i.test(message)) return 'it nests too deeply';
		if (/alias/i.test(message)) return 'its aliases expand beyond what berth follows (a YAML alias bomb?)';
		return `it is not valid YAML (${message})`;
	}
}

const hash = (text: string) => nodeCrypto().createHash('sha256').update(text).digest('hex');

/** Variable names a compose text mentions ($NAME, ${NAME...}): their values in the environment feed the model. */
function mentionedVariables(text: string): string[] {
	const names = new Set<string>();
	for (const match of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!);
	return [...names];
}

/*
 * The model cache: one file beside the port store (compose-models/models.json), read once per listing,
 * with an entry per app folder: what fed its model and the model. What feeds a model: the compose
 * binary, the project name, the allocated ports, COMPOSE_PROFILES, the files berth passes, every YAML
 * and `.env*` file at the top of the app folder (files named by `extends` and `include` usually sit
 * there) and the environment variables those files mention. A file is known by its status (device,
 * inode, size, modification and change time) and its content's hash: while the status is the one
 * recorded, the content is too, and `ls` reads no file and hashes nothing. The change time moves on
 * every write and cannot be set back (utimes sets only the other two), so an edit that keeps the size
 * and the modification time is seen. A file whose change time was within RACY_MS of when berth looked at
 * it may have changed again within the same tick of the file system's clock (Deno reports whole
 * seconds): its content is hashed until it has been still for longer. A status that changed with a
 * content that did not (`touch`, a checkout) is only recorded anew: compose is not asked again.
 */

/** How long a file must have been left alone before its status alone vouches for its content. */
const RACY_MS = 3000;
const CACHE_FILE = 'models.json';

interface FileMark {
	file: string;
	/** The status when `seen`: `null` when it could not be read. */
	status: FileStatus | null;
	/** Epoch ms just before the status was taken. */
	seen: number;
	hash: string;
}

/** The parts of a file's status that change with its content, at the precision Node and Deno both give. */
interface FileStatus {
	dev: number;
	ino: number;
	size: number;
	/** Whole ms. */
	mtime: number;
	/** Whole seconds (Deno's precision). */
	ctime: number;
}

interface CacheEntry {
	version: number;
	/** Everything that feeds the model but the files' contents (sourceOf, project, ports, profiles, files). */
	head: string;
	/** Every file that feeds it, sorted by name. */
	marks: FileMark[];
	/** The variables those files mention, with their values then (`null`: unset). */
	variables: Record<string, string | null>;
	model: AppModel;
}

interface CacheIndex {
	version: number;
	/** By app folder. */
	apps: Record<string, CacheEntry>;
}

/** What berth sees of an app now: its files, and the ones that feed its model. */
interface Observed {
	files: string[];
	fed: string[];
	head: string;
}

function statusOf(file: string): FileStatus | null {
	try {
		const info = statSync(file, {throwIfNoEntry: false});
		return info ? {dev: info.dev, ino: info.ino, size: info.size, mtime: Math.floor(info.mtimeMs), ctime: Math.floor(info.ctimeMs / 1000)} : null;
	} catch {
		return null;
	}
}

const sameStatus = (a: FileStatus | null, b: FileStatus | null) =>
	a !== null && b !== null && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtime === b.mtime && a.ctime === b.ctime;

/** Synchronous on purpose: a listing checks every app in a row, and each thread-pool round trip costs more than the call. */
function observe(target: ModelTarget, binary: ComposeBinary | null, env: NodeJS.ProcessEnv, scanned?: ReadonlySet<string>): Observed {
	let entries: ReadonlySet<string>;
	try {
		entries = scanned ?? new Set(readdirSync(target.path));
	} catch {
		entries = new Set();
	}
	const files = composeFilesFrom(target, entries);
	const fed = new Set(files);
	for (const name of entries) if (/\.ya?ml$|^\.env/.test(name)) fed.add(path.join(target.path, name));
	const head = JSON.stringify([sourceOf(binary), target.projectName, target.ports ?? {}, env['COMPOSE_PROFILES'] ?? '', files]);
	return {files, fed: [...fed].sort(), head};
}

/** A mark's status stands for its content: the file had been left alone for RACY_MS when it was taken. */
const vouches = (mark: FileMark) => mark.status !== null && mark.seen - (mark.status.ctime + 1) * 1000 > RACY_MS;

function readForMark(file: string): string {
	try {
		return readBoundedSync(file, COMPOSE_LIMITS.maxBytes);
	} catch (error) {
		return `unreadable: ${errorMessage(error)}`;
	}
}

/** Reads the files that feed a model (status first, then content), before compose reads them. */
function markFiles(fed: readonly string[], env: NodeJS.ProcessEnv): Pick<CacheEntry, 'marks' | 'variables'> {
	const names = new Set<string>();
	const marks = fed.map((file): FileMark => {
		const seen = Date.now();
		const status = statusOf(file);
		const text = readForMark(file);
		for (const name of mentionedVariables(text)) names.add(name);
		return {file, status, seen, hash: hash(text)};
	});
	const variables: Record<string, string | null> = {};
	for (const name of [...names].sort()) variables[name] = env[name] ?? null;
	return {marks, variables};
}

/**
 * Whether `entry` still describes the app as observed: 'fresh', 'stale', or 'renewed' when a file's
 * status changed (or was too recent to vouch) but its content did not: its mark is then taken anew.
 */
function checkEntry(entry: CacheEntry | undefined, observed: Observed, env: NodeJS.ProcessEnv): 'fresh' | 'renewed' | 'stale' {
	if (!entry || entry.version !== CACHE_VERSION || entry.head !== observed.head || entry.marks.length !== observed.fed.length) return 'stale';
	for (const [name, value] of Object.entries(entry.variables)) if ((env[name] ?? null) !== value) return 'stale';
	let renewed = false;
	for (const [i, mark] of entry.marks.entries()) {
		if (mark.file !== observed.fed[i]) return 'stale';
		const seen = Date.now();
		const status = statusOf(mark.file);
		const same = sameStatus(status, mark.status);
		if (same && vouches(mark)) continue;
		if (hash(readForMark(mark.file)) !== mark.hash) return 'stale';
		// The status taken before this read: if the file changes after it, the status will differ. Written
		// back when it changed or vouches now, not on every look at a file that was just saved.
		const again = {...mark, status, seen};
		if (!same || vouches(again)) {
			entry.marks[i] = again;
			renewed = true;
		}
	}
	return renewed ? 'renewed' : 'fresh';
}

function indexFile(cacheDir: string): string {
	return path.join(cacheDir, CACHE_FILE);
}

function readIndex(cacheDir: string): CacheIndex {
	try {
		const index = JSON.parse(readBoundedSync(indexFile(cacheDir), 256 * 1024 * 1024)) as CacheIndex;
		if (index.version === CACHE_VERSION && index.apps && typeof index.apps === 'object') return index;
	} catch {
		// absent, or from another version: every app is read again
	}
	return {version: CACHE_VERSION, apps: {}};
}

/**
 * Adds `entries` to the index as it is on disk now (another berth may have written it meanwhile), drops
 * the apps whose folder is gone, and writes it to a unique temporary file, then renames it: a reader
 * never sees half a file. Two writers at once may lose each other's entries, which only costs time:
 * an entry is always checked against the files before it is used.
 */
async function writeIndex(cacheDir: string, entries: Map<string, CacheEntry>): Promise<void> {
	const file = indexFile(cacheDir);
	const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
	try {
		const index = readIndex(cacheDir);
		for (const [app, entry] of entries) index.apps[app] = entry;
		for (const app of Object.keys(index.apps)) if (!entries.has(app) && !existsSync(app)) delete index.apps[app];
		await mkdir(cacheDir, {recursive: true});
		await writeFile(temp, JSON.stringify(index), {mode: 0o600});
		await rename(temp, file);
		// Berth before this one kept a file per app here.
		for (const name of await readdir(cacheDir)) if (/^[0-9a-f]{32}\.json$/.test(name)) await unlink(path.join(cacheDir, name)).catch(() => {});
	} catch {
		// A cache that cannot be written only costs time next run.
		await unlink(temp).catch(() => {});
	}
}

/**
 * Compose's side remarks on stderr, as berth warnings naming the file: never raw runtime output. A
 * remark that names one of the files (an obsolete key in the override) keeps its own; any other is
 * about the app's compose file.
 */
function stderrWarnings(stderr: string, files: string[]): string[] {
	const names = files.flatMap(f => [f, path.basename(f)]);
	return stderr
		.split('\n')
		.map(line =>
			line
				.replace(/^time="[^"]*" level=\w+ msg="(.*)"$/, '$1')
				.replace(/\\"/g, '"')
				.replace(/^(WARN|WARNING)(\[\d+\])?:?\s*/i, '')
				.trim(),
		)
		.filter(line => line.length > 0)
		.slice(0, 20)
		.map(line => (names.some(name => line.includes(name)) ? `compose: ${line}` : `${files[0]}: compose: ${line}`));
}

/** The first line of compose's refusal that says something (not a usage banner). */
function refusal(stderr: string): string {
	const lines = stderr
		.split('\n')
		.map(l => l.trim())
		.filter(Boolean);
	const first = lines.findIndex(l => !/^(WARN|time=)/.test(l));
	if (first === -1) return (lines[0] ?? 'no message').slice(0, 300);
	// v1 says "The Compose file '...' is invalid because:" and the reason on the next line.
	const reason = lines[first]!.endsWith(':') && lines[first + 1] ? `${lines[first]} ${lines[first + 1]}` : lines[first]!;
	return reason.slice(0, 300);
}

/** Runs compose `config` for the app in its own process group, killed whole (the docker CLI and its plugin) past the timeout. */
/**
 * Runs compose `config` for an app with berth's arguments (`-p`, `--project-directory`, each file, then
 * `tail`, e.g. `['config', '--format', 'json']`) in its own process group, killed whole (the docker CLI
 * and its plugin) past the timeout or on abort. Check the files with `screenComposeFiles` first.
 */
export async function runComposeConfig(
	target: Pick<ModelTarget, 'path' | 'projectName' | 'ports'>,
	files: string[],
	binary: ComposeBinary,
	tail: string[],
	options: Pick<LoadOptions, 'env' | 'signal' | 'timeoutMs'>,
): Promise<{stdout: string; stderr: string; failure: string | null}> {
	const env = options.env ?? process.env;
	const [file, ...lead] = binary.command;
	const {execa} = await import('execa');
	const args = [...lead, '--ansi', 'never', '-p', target.projectName, '--project-directory', target.path, ...files.flatMap(f => ['-f', f]), ...tail];
	const child = execa(file, args, {
		cwd: target.path,
		env: {...env, ...portEnv(target.ports)},
		extendEnv: false,
		reject: false,
		detached: true,
		stdin: 'ignore',
		maxBuffer: MAX_OUTPUT,
		encoding: 'utf8',
	});
	const killGroup = () => {
		try {
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
		} catch {
			child.kill('SIGKILL');
		}
	};
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup();
	}, options.timeoutMs ?? 10_000);
	const onAbort = () => killGroup();
	options.signal?.addEventListener('abort', onAbort, {once: true});
	try {
		const result = await child;
		const stdout = String(result.stdout ?? '');
		const stderr = String(result.stderr ?? '');
		if (timedOut) return {stdout: '', stderr, failure: `compose did not answer within ${Math.round((options.timeoutMs ?? 10_000) / 1000)} s`};
		if (options.signal?.aborted) return {stdout: '', stderr, failure: 'interrupted'};
		if (result.isMaxBuffer) return {stdout: '', stderr, failure: `compose printed more than ${MAX_OUTPUT / 1024 / 1024} MiB for it`};
		if (result.exitCode !== 0) return {stdout, stderr, failure: `compose refused it: ${refusal(stderr)}`};
		return {stdout, stderr, failure: null};
	} finally {
		clearTimeout(timer);
		options.signal?.removeEventListener('abort', onAbort);
	}
}

function refused(files: string[], source: string, error: string, warnings: string[] = []): AppModel {
	return {files, source, services: [], config: null, error, warnings, declaredName: null};
}

/**
 * The project name the user's own files set (a top-level `name:`; a later file's wins, as in compose),
 * interpolated like compose does. Read from the files, not from compose's output: that prints the
 * name berth passes with `-p`. berth's override is berth's, not the user's: it is skipped.
 */
async function declaredNameOf(target: ModelTarget, files: string[], docs: unknown[], env: NodeJS.ProcessEnv): Promise<string | null> {
	let name: string | null = null;
	for (const [i, doc] of docs.entries()) {
		if (files[i] === target.berthOverride) continue;
		const value = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as {name?: unknown}).name : undefined;
		if (typeof value === 'string' || typeof value === 'number') name = String(value);
	}
	if (name === null || !name.includes('$')) return name;
	const variables = await composeVariables(target.path, {...env, ...portEnv(target.ports)});
	return interpolate(name, variables) || null;
}

/** berth's own reading when no compose is installed: each file's services merged in order, variables from `.env` and the environment. */
async function readerModel(
	target: ModelTarget,
	files: string[],
	docs: unknown[],
	tags: Map<string, string>[],
	env: NodeJS.ProcessEnv,
	declaredName: string | null,
): Promise<AppModel> {
	// What compose itself refuses, the reader refuses too: never a silent empty model.
	for (const [i, doc] of docs.entries()) {
		if (doc === null || doc === undefined) continue;
		if (typeof doc !== 'object' || Array.isArray(doc)) return refused(files, sourceOf(null), `${files[i]}: it is not a compose file (not a mapping)`);
		const list = (doc as {services?: unknown}).services;
		if (list !== undefined && list !== null && (typeof list !== 'object' || Array.isArray(list))) {
			return refused(files, sourceOf(null), `${files[i]}: "services" is not a mapping`);
		}
	}
	const variables = await composeVariables(target.path, {...env, ...portEnv(target.ports)});
	const services: Record<string, Record<string, unknown>> = {};
	const problems: string[] = [];
	docs.forEach((doc, i) => {
		const list = doc && typeof doc === 'object' ? (doc as {services?: unknown}).services : undefined;
		if (!list || typeof list !== 'object' || Array.isArray(list)) return;
		for (const [name, value] of Object.entries(list as Record<string, unknown>)) {
			if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
			const merged = {...services[name], ...(value as Record<string, unknown>)};
			const before = services[name]?.['ports'];
			const added = (value as Record<string, unknown>)['ports'];
			// compose appends an override's ports to the file's own, unless the override says !override or !reset
			const tag = tags[i]?.get(['services', name, 'ports'].join('\n'));
			if (tag === '!reset') delete merged['ports'];
			else if (tag !== '!override' && Array.isArray(before) && Array.isArray(added)) merged['ports'] = [...before, ...added];
			const resolve = (entry: unknown): unknown => {
				if (typeof entry === 'string') return entry.includes('$') ? interpolate(entry, variables) : entry;
				if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
					return Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, typeof v === 'string' && v.includes('$') ? interpolate(v, variables) : v]));
				}
				return entry;
			};
			if (Array.isArray(merged['ports'])) {
				merged['ports'] = merged['ports'].map(resolve).filter(entry => {
					if (entry === null) problems.push(`${files[i]}: service ${name}: a port entry uses a variable that is not set`);
					return entry !== null;
				});
			}
			services[name] = merged;
		}
	});
	const config = {services};
	const list = servicesOf(config, env, files[0]!, problems);
	return {files, source: sourceOf(null), services: list, config: null, error: null, warnings: problems, declaredName};
}

/**
 * The app's effective model and whether it was re-read. Never throws for a file problem: compose's or
 * the reader's refusal is `model.error`, naming the file and the reason; a hostile file (too large, an
 * alias bomb, compose hanging) is refused within bounded time and memory.
 */
export async function loadModel(target: ModelTarget, options: LoadOptions): Promise<LoadedModel> {
	const [result] = await loadAll([target], options);
	if (result!.status === 'rejected') throw result!.reason;
	return result!.value;
}

const answer = (value: LoadedModel): PromiseSettledResult<LoadedModel> => ({status: 'fulfilled', value});

/**
 * Each target's model: the cache answers every app it can first, one after the other (one read of the
 * cache, a listing and a status per file each), then compose is asked for the others, 8 at a time, and
 * the cache is written once. With `stopOn` aborted no further compose run starts (a hole in the results).
 */
async function loadAll(
	targets: readonly ModelTarget[],
	options: LoadOptions,
	stopOn?: AbortSignal,
): Promise<(PromiseSettledResult<LoadedModel> | undefined)[]> {
	const env = options.env ?? process.env;
	// Nothing to look up (a root without compose files): the cache is not read.
	const index = options.cacheDir && targets.length > 0 ? readIndex(options.cacheDir) : null;
	const results: (PromiseSettledResult<LoadedModel> | undefined)[] = new Array(targets.length);
	const written = new Map<string, CacheEntry>();
	const misses: {i: number; target: ModelTarget; observed: Observed}[] = [];
	targets.forEach((target, i) => {
		try {
			const observed = observe(target, options.binary, env, options.listings?.get(target.path));
			if (observed.files.length === 0) {
				results[i] = answer({model: refused([], sourceOf(options.binary), `${target.id} has no compose file in ${target.path}`), reread: false});
				return;
			}
			const entry = index?.apps[target.path];
			const check = checkEntry(entry, observed, env);
			if (check === 'stale') misses.push({i, target, observed});
			else {
				if (check === 'renewed') written.set(target.path, entry!);
				results[i] = answer({model: entry!.model, reread: false});
			}
		} catch (error) {
			results[i] = {status: 'rejected', reason: error};
		}
	});
	const fresh = await runBounded(
		misses,
		8,
		async ({target, observed}): Promise<LoadedModel> => {
			// What fed the model, taken before compose reads the files: a later edit differs from it.
			const marked = index ? markFiles(observed.fed, env) : null;
			const model = await freshModel(target, observed.files, options, env);
			// An interrupted or timed-out read is not an answer to remember.
			if (marked && !/interrupted|did not answer within/.test(model.error ?? '')) {
				written.set(target.path, {version: CACHE_VERSION, head: observed.head, ...marked, model});
			}
			return {model, reread: true};
		},
		stopOn,
	);
	fresh.forEach((result, j) => {
		results[misses[j]!.i] = result;
	});
	if (options.cacheDir && written.size > 0) await writeIndex(options.cacheDir, written);
	return results;
}

async function freshModel(target: ModelTarget, files: string[], options: LoadOptions, env: NodeJS.ProcessEnv): Promise<AppModel> {
	const source = sourceOf(options.binary);
	// Every file is read first within berth's bounds: compose itself hangs on an alias bomb.
	const docs: unknown[] = [];
	const tags: Map<string, string>[] = [];
	for (const file of files) {
		const read = await readYaml(file);
		if (typeof read === 'string') return refused(files, source, `${file}: ${read}`);
		docs.push(read.doc);
		tags.push(read.tags);
	}
	const dotenv = path.join(target.path, '.env');
	try {
		await readBounded(dotenv, COMPOSE_LIMITS.maxBytes);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return refused(files, source, `${dotenv}: ${errorMessage(error)}`);
	}
	const declaredName = await declaredNameOf(target, files, docs, env);
	if (!options.binary) return readerModel(target, files, docs, tags, env, declaredName);
	// Every profile: the model knows each service, and marks which ones a plain `up` starts.
	const tail = options.binary.flavour === 'v2' ? ['--profile', '*', 'config', '--format', 'json'] : ['config'];
	const run = await runComposeConfig(target, files, options.binary, tail, options);
	const warnings = stderrWarnings(run.failure ? '' : run.stderr, files);
	if (run.failure) return refused(files, source, `${files[0]}${files.length > 1 ? ` (with ${files.slice(1).join(', ')})` : ''}: ${run.failure}`);
	let config: Record<string, unknown>;
	try {
		const parsed: unknown =
			options.binary.flavour === 'v2'
				? JSON.parse(run.stdout)
				: (await loadYaml()).parseDocument(run.stdout, {logLevel: 'silent'}).toJS({maxAliasCount: MAX_ALIAS_EXPANSION});
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a mapping');
		config = parsed as Record<string, unknown>;
	} catch (error) {
		return refused(files, source, `${files[0]}: compose's config output is not readable (${errorMessage(error).slice(0, 200)})`, warnings);
	}
	const services = servicesOf(config, env, files[0]!, warnings);
	return {files, source, services, config, error: null, warnings, declaredName};
}

/** Models of many apps, 8 compose runs at a time, and how many were re-read (not answered by the cache). */
export async function loadModels(targets: readonly ModelTarget[], options: LoadOptions): Promise<{models: Map<string, AppModel>; reread: number}> {
	const results = await loadAll(targets, options, options.signal);
	const models = new Map<string, AppModel>();
	let reread = 0;
	results.forEach((result, i) => {
		const target = targets[i]!;
		if (!result) return; // interrupted before it started
		if (result.status === 'fulfilled') {
			models.set(target.id, result.value.model);
			if (result.value.reread) reread++;
		} else {
			models.set(target.id, refused([], sourceOf(options.binary), `${target.id}: ${errorMessage(result.reason)}`));
		}
	});
	return {models, reread};
}

/** Where berth caches compose models: beside the port store, never in an app folder. */
export function modelCacheDir(storeFile: string): string {
	return path.join(path.dirname(storeFile), 'compose-models');
}
