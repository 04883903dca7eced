import path from 'node:path';
import {readBounded} from '../read-bounded.ts';

/**
 * Bounds on reading a user's compose file (the model loader, compose/model-load.ts, applies them before
 * compose or berth's own reader sees the file). A compose file is written by hand or generated; the
 * largest real ones hold a few hundred services in well under 100 kB. Past these bounds berth reads
 * nothing and says so, naming the file: a 1 MiB file parses in about 0.5 s here (yaml is linear with
 * `uniqueKeys: false`; with its default duplicate-key check, 30,000 services took 17 s).
 */
export const COMPOSE_LIMITS = {maxBytes: 1024 * 1024, maxServices: 1000} as const;

/**
 * What berth's own reader (used when no compose is installed) shares with the model loader: compose's
 * variable interpolation and the variables of an app. Everything else about ports is compose's model
 * (compose/model.ts): one rule in one place.
 */

export type Protocol = 'tcp' | 'udp' | 'sctp';

/** Variables for `${NAME}`: a value, or `undefined` when unset. */
export type Variables = (name: string) => string | undefined;

/** Compose's interpolation: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?err}, ${NAME?err}. `null` when a variable is unset. */
export function interpolate(text: string, variables: Variables): string | null {
	const pattern = /\$(?:\$|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\})/g;
	// A "$" that is none of these is a syntax compose refuses: not a value berth can know.
	if (text.replace(pattern, '').includes('$')) return null;
	let unresolved = false;
	const result = text.replace(pattern, (match, bare?: string, name?: string, op?: string, arg?: string) => {
		if (match === '$$') return '$';
		const value = variables((bare ?? name)!);
		if (op === ':-' && !value) return arg ?? '';
		if (op === '-' && value === undefined) return arg ?? '';
		if (value === undefined) unresolved = true;
		return value ?? '';
	});
	return unresolved ? null : result;
}

/** The variables compose interpolates for an app: the process environment over the app's `.env`. */
export async function composeVariables(appDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Variables> {
	const file: Record<string, string> = {};
	let text = '';
	try {
		text = await readBounded(path.join(appDir, '.env'), COMPOSE_LIMITS.maxBytes);
	} catch {
		// No .env (or an unreadable one): compose then only has the environment.
	}
	for (const line of text.split(/\r?\n/)) {
		const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
		if (match) file[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
	}
	return name => env[name] ?? file[name];
}
