import {Text, useInput, usePaste} from 'ink';
import {useRef} from 'react';
import {editText, keyPresses, pasteText} from '../input-routing.ts';

/**
 * A one-line text field: typing edits, enter submits, escape cancels. Several keys in one read are
 * each applied in order, a paste goes in whole as one line, and each edit starts from the value the
 * one before produced (not the last one drawn): fast typing loses nothing.
 */
export function TextPrompt({
	label,
	value,
	onChange,
	onSubmit,
	onCancel,
	isActive = true,
}: {
	label: string;
	value: string;
	onChange: (value: string) => void;
	onSubmit: (value: string) => void;
	onCancel: () => void;
	isActive?: boolean;
}) {
	// The value as edited so far; a new value from the parent (drawn) takes over.
	const edited = useRef({drawn: value, value});
	if (edited.current.drawn !== value) edited.current = {drawn: value, value};
	const change = (next: string) => {
		edited.current.value = next;
		onChange(next);
	};
	useInput(
		(input, key) => {
			for (const press of keyPresses(input, key)) {
				if (press.name === 'enter') return onSubmit(edited.current.value);
				if (press.name === 'escape') return onCancel();
				const next = key.meta ? null : editText(edited.current.value, press.input, press.name, press.ctrl);
				if (next !== null) change(next);
			}
		},
		{isActive},
	);
	usePaste(
		text => {
			const line = pasteText(text);
			if (line) change(edited.current.value + line);
		},
		{isActive},
	);
	return <Text wrap="truncate">{`${label}${value}▏`}</Text>;
}
