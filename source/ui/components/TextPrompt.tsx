import {Text, useInput} from 'ink';
import {keyName} from '../keymap.ts';

/** A one-line text field: typing edits, enter submits, escape cancels. */
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
	useInput(
		(input, key) => {
			const name = keyName(input, key);
			if (name === 'enter') onSubmit(value);
			else if (name === 'escape') onCancel();
			else if (name === 'backspace') onChange(value.slice(0, -1));
			else if (!key.ctrl && !key.meta && input && !/[\u0000-\u001F]/.test(input)) onChange(value + input);
		},
		{isActive},
	);
	return <Text wrap="truncate">{`${label}${value}▏`}</Text>;
}
