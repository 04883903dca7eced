import path from 'node:path';
import {errorMessage} from './errors.ts';
import {readBounded, readBoundedSync} from './read-bounded.ts';

/** The app state file scaffolding writes into each app folder. */
export const APP_STATE_FILE = '.berth.json';

/**
 * What berth knows about a scaffolded app. Never holds a secret: generated secrets live only in `.env`.
 */
export interface AppState {
	schema: 1;
	flavour: {id: string; version: string};
	/** Variable answers, secrets left out. */
	answers: Record<string, string | number | boolean>;
	ports: Record<string, number>;
	projectName: string;
	/** sha256 of every file scaffolding wrote, by path relative to the app folder (POSIX separators). */
	files: Record<string, string>;
	createdAt: string;
	updatedAt: string;
}

/**
 * The app's state file, or `null` when there is none or it cannot be used. `onProblem` hears why a file
 * that is there could not be used (unreadable, too large, not JSON, not a berth state file), so a caller
 * that lists apps can say so instead of passing over it in silence.
 */
export async function readAppState(appDir: string, onProblem?: (problem: string) => void): Promise<AppState | null> {
	const file = path.join(appDir, APP_STATE_FILE);
	let text: string;
	try {
		text = await readBounded(file, MAX_STATE_BYTES);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem?.(`cannot read ${file}: ${errorMessage(error)}`);
		return null;
	}
	return parseAppState(file, text, onProblem);
}

/** `readAppState` without the thread pool, for a listing that reads the state of every app in a row. */
export function readAppStateSync(appDir: string, onProblem?: (problem: string) => void): AppState | null {
	const file = path.join(appDir, APP_STATE_FILE);
	let text: string;
	try {
		text = readBoundedSync(file, MAX_STATE_BYTES);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem?.(`cannot read ${file}: ${errorMessage(error)}`);
		return null;
	}
	return parseAppState(file, text, onProblem);
}

const MAX_STATE_BYTES = 4 * 1024 * 1024;

function parseAppState(file: string, text: string, onProblem?: (problem: string) => void): AppState | null {
	let state: AppState;
	try {
		state = JSON.parse(text) as AppState;
	} catch (error) {
		onProblem?.(`${file} is not JSON (${errorMessage(error)}); berth ignores it`);
		return null;
	}
	if (state && typeof state === 'object' && state.flavour && typeof state.flavour.id === 'string') return state;
	onProblem?.(`${file} is not a berth app state file (no flavour id); berth ignores it`);
	return null;
}

/** Compose file names compose itself looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;

/**
 * The user's override file names compose reads next to the compose file when given no `-f`, in compose
 * v2's order. Either naming goes with either base name (compose 2.26.1 and docker-compose 1.29.2 both
 * read a `compose.override.yaml` next to a `docker-compose.yml`).
 */
export const COMPOSE_OVERRIDE_FILE_NAMES = [
	'compose.override.yml',
	'compose.override.yaml',
	'docker-compose.override.yml',
	'docker-compose.override.yaml',
] as const;
