import type {RenderInput} from '../scaffold/render.ts';
import type {Plugin} from './registry.ts';

/** One render request to lint's sandboxed renderer (render-worker.ts), as one line of JSON. */
export interface WorkerRequest {
	id: number;
	plugin: Plugin;
	/** Paths in files/ of the templates to render. */
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

export type WorkerResponse = {id: number; ok: true; files: Record<string, string>} | {id: number; ok: false; failure: RenderFailure};
