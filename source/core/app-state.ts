import path from 'node:path';
import {readBounded} from './read-bounded.ts';

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

/** The app's state file, or `null` when there is none or it cannot be parsed. */
export async function readAppState(appDir: string): Promise<AppState | null> {
	let text: string;
	try {
		text = await readBounded(path.join(appDir, APP_STATE_FILE), 4 * 1024 * 1024);
	} catch {
		return null;
	}
	try {
		const state = JSON.parse(text) as AppState;
		return state && typeof state === 'object' && state.flavour && typeof state.flavour.id === 'string' ? state : null;
	} catch {
		return null;
	}
}

/** Compose file names compose itself looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
