import path from 'node:path';
import type {AppRef} from '../ids.ts';
import {FILES_DIR} from '../plugins/plugin-error.ts';
import type {Answer} from '../plugins/manifest.ts';
import type {Plugin} from '../plugins/registry.ts';
import {buildContext} from './context.ts';
import {compilePlugin} from './templates.ts';

/** What a template's `it` is made from: plain data, so that it can be sent to another process. */
export interface RenderInput {
	app: AppRef;
	projectName: string;
	ports: Record<string, number>;
	answers: Record<string, Answer>;
}

/**
 * Renders some `*.eta` files of a plugin (paths in files/, e.g. "backend/Dockerfile.eta") and returns
 * each one's text by that path. Eta templates are JavaScript: rendering runs the plugin's code.
 */
export type TemplateRenderer = (plugin: Plugin, sources: readonly string[], input: RenderInput) => Promise<Map<string, string>>;

/** What lint's sandboxed renderer watches while it renders (render-worker.ts). */
export interface RenderHooks {
	/** Told each template's absolute path as its compilation, then its rendering, starts. */
	progress?: (file: string, step: 'compile' | 'render') => void;
	/** Runs once each file is rendered (to catch what a template started asynchronously). */
	after?: (source: string) => Promise<void>;
}

/** Renders `sources` one after the other. */
export async function renderSources(plugin: Plugin, sources: readonly string[], input: RenderInput, hooks: RenderHooks = {}): Promise<Map<string, string>> {
	const compiled = await compilePlugin(plugin, hooks.progress && (file => hooks.progress!(file, 'compile')));
	if (sources.length === 0) return new Map();
	const bySource = new Map(compiled.files.map(file => [file.source, file]));
	const context = buildContext({manifest: plugin.manifest, ...input});
	const rendered = new Map<string, string>();
	for (const source of sources) {
		const file = bySource.get(source);
		if (!file?.render) throw new Error(`files/${source} is not a template of ${plugin.dir}`);
		hooks.progress?.(path.join(plugin.dir, FILES_DIR, source), 'render');
		rendered.set(source, file.render(context));
		await hooks.after?.(source);
	}
	return rendered;
}

/**
 * Renders in this process, with all of its privileges: what `berth new` and `berth backfill` do (a
 * flavour is code the user chose to run). `berth plugins lint` renders in a sandbox instead.
 */
export const renderInProcess: TemplateRenderer = (plugin, sources, input) => renderSources(plugin, sources, input);
