import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {BerthError, errorMessage} from '../errors.ts';
import type {PortProbe} from '../ports/probes.ts';
import {commitPlan} from '../scaffold/commit.ts';
import {planScaffold} from '../scaffold/plan.ts';
import {sampleAnswers} from '../scaffold/answers.ts';
import {PLACEHOLDER, TemplateError} from '../scaffold/templates.ts';
import {MANIFEST_MAX_BYTES, readCapped} from '../plugins/limits.ts';
import {composeConfig, type ComposeConfigResult} from './compose-check.ts';
import {MANIFEST_FILE, PluginError, parseManifest, type Answer} from '../plugins/manifest.ts';
import {readPlugin} from '../plugins/registry.ts';
import {LintInterruptedError, openRenderSandbox, refuseSymlinks, type SandboxRuntime} from './render-sandbox.ts';

/** One problem found by lint: the file, the field or line when known, and what to do. */
export interface LintProblem {
	severity: 'error' | 'warning';
	/** Path of the file at fault (plugin file or rendered file). */
	file: string;
	/** Manifest field path ("ports[0].container") or "line N", when known. */
	where: string | null;
	message: string;
}

export interface LintResult {
	dir: string;
	id: string | null;
	ok: boolean;
	problems: LintProblem[];
	/** The variants rendered (sample answers), their compose files, and compose's verdict on each (none with `compose: false`). */
	checked: {answers: Record<string, Answer>; files: string[]; compose: ComposeConfigResult[]}[];
	/** What rendered the templates (null when lint stopped before rendering), and a warning when it could not keep them off the network. */
	sandbox: (Pick<SandboxRuntime, 'name' | 'version' | 'networkRefused'> & {warning: string | null}) | null;
}

/** The warning lint gives when templates ran in a runtime that cannot refuse them the network. */
export function networkWarning(runtime: Pick<SandboxRuntime, 'name' | 'version' | 'networkRefused'>): string | null {
	if (runtime.networkRefused) return null;
	return `templates were rendered by Node ${runtime.version}, which cannot take the network away from them (Deno or Node >= 25 can): lint only plugins you trust`;
}

/** A probe that finds every port free: lint renders into a temp folder and must not depend on the host. */
const FREE: PortProbe = {isBound: async () => false, publishedPorts: async () => new Map()};

const COMPOSE_FILE = /^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/;

/**
 * Lints a plugin folder without trusting it: validates the manifest (naming each bad field), compiles
 * the templates, renders the plugin with sample values into a temporary folder (with every boolean
 * variable at its default and flipped), looks for anything left unrendered, then asks real compose to
 * validate every rendered compose file. Templates are code (Eta is JavaScript): they are rendered in
 * a sandboxed child process (render-sandbox.ts: Deno when available) that may read the plugin and
 * berth's templates; a template that tries to write or start a process — or, on Deno and Node >= 25,
 * to use the network — is an error. On Node 24 without Deno, `sandbox.warning` says the network is not
 * refused. A plugin holding a symbolic link is refused before anything is read.
 */
export async function lintPlugin(
	dir: string,
	options: {compose?: boolean; env?: NodeJS.ProcessEnv; deno?: string | null; signal?: AbortSignal; timeoutMs?: number} = {},
): Promise<LintResult> {
	const {signal} = options;
	const absolute = path.resolve(dir);
	const problems: LintProblem[] = [];
	const checked: LintResult['checked'] = [];
	let sandboxInfo: LintResult['sandbox'] = null;
	const result = (id: string | null): LintResult => ({
		dir: absolute,
		id,
		ok: !problems.some(p => p.severity === 'error'),
		problems,
		checked,
		sandbox: sandboxInfo,
	});
	const manifestFile = path.join(absolute, MANIFEST_FILE);
	try {
		// Before anything is read: a link (even the manifest) could show another file's content in an error.
		await refuseSymlinks(absolute);
	} catch (error) {
		if (error instanceof PluginError) {
			problems.push(toProblem(error, absolute));
			return result(null);
		}
		// An unreadable folder is reported by reading the manifest.
	}
	let text: string;
	try {
		text = new TextDecoder().decode(await readCapped(manifestFile, MANIFEST_MAX_BYTES, 'a manifest'));
	} catch (error) {
		if (error instanceof PluginError) problems.push(toProblem(error, absolute));
		else problems.push({severity: 'error', file: manifestFile, where: null, message: `cannot read the manifest: ${errorMessage(error)}`});
		return result(null);
	}
	try {
		parseManifest(text, manifestFile);
	} catch (error) {
		if (!(error instanceof PluginError)) throw error;
		for (const problem of error.problems) problems.push({severity: 'error', file: manifestFile, where: problem.path || null, message: problem.message});
		return result(null);
	}
	const info = await readPlugin(absolute, 'flag');
	if (!info.plugin) {
		problems.push({severity: 'error', file: manifestFile, where: null, message: info.error ?? 'unusable plugin'});
		return result(info.id);
	}
	const plugin = info.plugin;
	const manifest = plugin.manifest;
	if (!JSON.parse(text).$schema) {
		problems.push({
			severity: 'warning',
			file: manifestFile,
			where: '$schema',
			message: 'add "$schema" (path to plugin.schema.json) so editors check the manifest as you type',
		});
	}

	const base = sampleAnswers(manifest);
	const variants: Record<string, Answer>[] = [base];
	const booleans = manifest.variables.filter(v => v.type === 'boolean' && !v.secret);
	if (booleans.length > 0) variants.push({...base, ...Object.fromEntries(booleans.map(v => [v.name, !(v.default ?? false)]))});

	let sandbox;
	try {
		sandbox = openRenderSandbox(absolute, {
			...(options.deno === undefined ? {} : {deno: options.deno}),
			...(signal ? {signal} : {}),
			...(options.timeoutMs ? {timeoutMs: options.timeoutMs} : {}),
		});
	} catch (error) {
		problems.push(toProblem(error, absolute));
		return result(plugin.id);
	}
	const {name, version, networkRefused} = sandbox.runtime;
	sandboxInfo = {name, version, networkRefused, warning: networkWarning(sandbox.runtime)};
	const temp = await mkdtemp(path.join(os.tmpdir(), 'berth-lint-'));
	try {
		try {
			// Every template compiled in the sandbox first (Eta turns it into a function there, without calling
			// it), within the time limit: compiling is work that grows with what the plugin holds.
			await sandbox.check(plugin);
		} catch (error) {
			problems.push(toProblem(error, absolute));
			return result(plugin.id);
		}
		for (const [index, answers] of variants.entries()) {
			const root = path.join(temp, `variant${index + 1}`);
			let plan;
			try {
				plan = await planScaffold({
					root,
					storeFile: path.join(temp, `ports${index + 1}.json`),
					app: {model: 'lint-sample', number: 1},
					plugin,
					answers,
					probe: FREE,
					renderer: sandbox.render,
				});
				plan = (await commitPlan(plan, {probe: FREE})).plan;
			} catch (error) {
				problems.push(toProblem(error, absolute));
				continue;
			}
			const composeFiles: string[] = [];
			const composeResults: ComposeConfigResult[] = [];
			for (const file of plan.files) {
				const content = new TextDecoder().decode(file.content);
				const where = `${file.from}${file.from === 'berth' ? '' : ` (rendered ${file.path})`}`;
				if (file.from.endsWith('.eta')) {
					const lineOf = (index: number) => `line ${content.slice(0, index).split('\n').length}`;
					const tag = content.search(/<%|%>/);
					if (tag !== -1)
						problems.push({
							severity: 'error',
							file: path.join(absolute, file.from),
							where: lineOf(tag),
							message: `an Eta tag is left in the output of ${file.path}`,
						});
					const undef = content.search(/\bundefined\b/);
					if (undef !== -1)
						problems.push({
							severity: 'warning',
							file: path.join(absolute, file.from),
							where: lineOf(undef),
							message: `"undefined" in the output of ${file.path}: a value a template used is missing`,
						});
				}
				for (const match of content.matchAll(PLACEHOLDER)) {
					problems.push({
						severity: 'warning',
						file: path.join(absolute, file.from),
						where: null,
						message: `placeholder ${match[0]} in ${where} names no declared variable: it is left as is`,
					});
				}
				if (!COMPOSE_FILE.test(file.path)) continue;
				composeFiles.push(file.path);
				if (options.compose !== false) {
					const full = path.join(plan.appDir, file.path);
					const outcomes = await composeConfig(full, {...(options.env ? {env: options.env} : {}), ...(signal ? {signal} : {})});
					if (signal?.aborted) throw new LintInterruptedError();
					if (outcomes.length === 0 && !problems.some(p => p.message.startsWith('no compose found'))) {
						problems.push({
							severity: 'warning',
							file: path.join(absolute, file.from),
							where: null,
							message: 'no compose found (neither "docker compose" nor "docker-compose"): the rendered compose files were not validated',
						});
					}
					for (const outcome of outcomes) {
						composeResults.push(outcome);
						if (!outcome.ok) {
							problems.push({
								severity: 'error',
								file: path.join(absolute, file.from),
								where: outcome.line === null ? null : `line ${outcome.line} of rendered ${file.path}`,
								message: `${outcome.compose} config failed (answers ${JSON.stringify(answers)}): ${outcome.message}`,
							});
						}
					}
				}
			}
			if (composeFiles.length === 0)
				problems.push({
					severity: 'warning',
					file: path.join(absolute, 'files'),
					where: null,
					message: 'no compose file (docker-compose.yml or compose.yaml) in files/: berth cannot start this flavour',
				});
			checked.push({answers, files: composeFiles, compose: composeResults});
		}
	} finally {
		await sandbox.close();
		await rm(temp, {recursive: true, force: true});
	}
	if (signal?.aborted) throw new LintInterruptedError();
	return result(plugin.id);
}

function toProblem(error: unknown, dir: string): LintProblem {
	// Not a finding: the user stopped lint.
	if (error instanceof LintInterruptedError) throw error;
	if (error instanceof PluginError)
		return {severity: 'error', file: error.file, where: error.problems[0]?.path || null, message: error.problems.map(p => p.message).join('; ')};
	if (error instanceof TemplateError)
		return {severity: 'error', file: error.file, where: error.line === null ? null : `line ${error.line}`, message: error.detail};
	if (error instanceof BerthError) return {severity: 'error', file: dir, where: null, message: errorMessage(error)};
	throw error;
}
