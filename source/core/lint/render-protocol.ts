import type {RenderInput} from '../scaffold/render.ts';
import type {Plugin} from '../plugins/registry.ts';

/** One render request to lint's sandboxed renderer (render-worker.ts), as one line of JSON. */
export interface WorkerRequest {
	id: number;
	plugin: Plugin;
	/** Paths in files/ of the templates to render; none: compile every template, render nothing. */
	sources: string[];
	input: RenderInput;
}

/** Why a render failed: `denied` when a template tried something the sandbox refuses (`message` is the action). */
export interface RenderFailure {
	kind: 'denied' | 'template' | 'plugin' | 'other';
	/** The template (or plugin file) at fault, absolute. */
	file: string;
	line: number | null;
	message: string;
	problems?: {path: string; message: string}[];
}

/**
 * The worker's answer to a request, or (`working`) word that it starts compiling or rendering one
 * template (its absolute path): the parent's time limit then applies to that template, and names it.
 */
export type WorkerResponse =
	| {id: number; ok: true; files: Record<string, string>}
	| {id: number; ok: false; failure: RenderFailure}
	| {id: number; working: {file: string; step: 'compile' | 'render'}};
