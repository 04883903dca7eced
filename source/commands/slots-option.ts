import {UsageError} from '../core/errors.ts';
import {DEFAULT_SLOTS, slotsProblem, type PortSlot} from '../core/ports/allocator.ts';

/** Parses repeated `--slot NAME=BASE[:STEP]` options; none given means the default slots. */
export function parseSlotsOption(values: string[] | undefined): readonly PortSlot[] {
	if (!values || values.length === 0) return DEFAULT_SLOTS;
	const slots = values.map(text => {
		const match = /^([a-z][a-z0-9_-]*)=(\d+)(?::(\d+))?$/.exec(text);
		if (!match) throw new UsageError(`invalid --slot ${JSON.stringify(text)}: write NAME=BASE or NAME=BASE:STEP, e.g. backend=5001:2`);
		return {name: match[1]!, base: Number(match[2]), step: Number(match[3] ?? 2)};
	});
	const problem = slotsProblem(slots);
	if (problem) throw new UsageError(`invalid --slot: ${problem}`);
	return slots;
}
