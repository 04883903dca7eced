import {useInput} from 'ink';
import {keyPresses, type KeyPress} from '../input-routing.ts';

/**
 * `useInput` for a component that reads its own keys (an overlay): each key of a read is handed over
 * on its own, in order ("jj" in one read is two moves). The handler should update state with functions
 * of the previous state (`setX(x => …)`): the keys of one read come before the next redraw.
 */
export function useKeys(handler: (press: KeyPress) => void, options: {isActive?: boolean} = {}): void {
	useInput((input, key) => {
		for (const press of keyPresses(input, key)) handler(press);
	}, options);
}
