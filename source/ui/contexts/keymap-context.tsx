import {createContext, useContext, type ReactNode} from 'react';
import {KEYMAP, type Keymap} from '../keymap.ts';

/** The keys berth obeys and shows: the user's keys file applied (run-tui.ts loads it), and why it was not. */
export interface UserKeys {
	keymap: Keymap;
	/** The keys file's first problem ("keys.conf:3: …"), when it was refused and the defaults apply. */
	problem: string | null;
}

const KeymapContext = createContext<UserKeys>({keymap: KEYMAP, problem: null});

export function KeymapProvider({keys, children}: {keys: UserKeys; children: ReactNode}) {
	return <KeymapContext.Provider value={keys}>{children}</KeymapContext.Provider>;
}

/** The keymap every input handler, hint line and the help use. */
export function useKeymap(): Keymap {
	return useContext(KeymapContext).keymap;
}

export function useKeysProblem(): string | null {
	return useContext(KeymapContext).problem;
}
