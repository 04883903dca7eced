/**
 * Why a compose action failed, in one line, as the TUI keeps it as the app's last failure: the rule for
 * picking the line is cause-line.ts (shared with the CLI's messages); this adds berth's own pre-flight.
 */
import {errorMessage, PortConflictError} from '../errors.ts';
import {causeLine, GENERIC_FAILURE_LINE, tidyCause} from './cause-line.ts';

export {causeLine};
import {ComposeError, explainingLine} from './errors.ts';

/**
 * Why an action failed, in one line: berth's pre-flight names each port and its holder; otherwise the
 * telling line of what compose printed (`output`, else the stderr the error kept); otherwise the
 * error's own message.
 */
export function failureCause(error: unknown, output: readonly string[] = []): string {
	if (error instanceof PortConflictError && error.conflicts.length > 0) {
		const holders = error.conflicts.map(c => `port ${c.port} is in use by ${c.holder}`);
		return holders.join('; ');
	}
	const fromOutput = causeLine(output);
	if (fromOutput) return fromOutput;
	if (error instanceof ComposeError) {
		const line = explainingLine(error.cause.stderr);
		if (line && !GENERIC_FAILURE_LINE.test(line)) return tidyCause(line);
	}
	return errorMessage(error);
}
