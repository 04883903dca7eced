/**
 * The one rule for the line that explains a compose failure, picked from everything compose printed:
 * compose ends a failure with generic lines ("Encountered errors while bringing up the project.",
 * "Service 'web' failed to build : Build failed") that say nothing, while the reason ("Bind for
 * 127.0.0.1:5001 failed: port is already allocated", a registry's "no such host") sits a few lines
 * above. Pure and import-free: the CLI's error messages (errors.ts) and the TUI's kept failures
 * (failure-cause.ts) both use it; test/core/compose/failure-cause.test.ts runs it over real v1 and v2
 * outputs (test/fixtures/compose-failures/).
 */

/**
 * What explains a failure, most telling first: a line matching an earlier rule wins over any line
 * matching a later one, wherever it is in the output.
 */
const CAUSES: readonly RegExp[] = [
	// The Engine's port clash: keep the part from "Bind for" (the endpoint id before it is noise).
	/port is already allocated|address already in use/i,
	// Pulling: no registry, no such image, no access.
	/no such host|pull access denied|manifest unknown|manifest for .* not found|repository does not exist|unauthorized|toomanyrequests|i\/o timeout|connection refused|tls: /i,
	// A build step that failed (v1's legacy builder, v2's BuildKit).
	/returned a non-zero code|executor failed running|failed to solve|did not complete successfully/i,
	// A dependency that exited or turned unhealthy, a container that exited.
	/didn't complete successfully|dependency failed to start|is unhealthy|exited with code/i,
	// Compose refusing the files.
	/yaml:|invalid|unsupported|additional property|is not allowed|must be a|undefined (service|volume|network)|no such file/i,
];

/** Lines that look like errors but never explain one. */
export const GENERIC_FAILURE_LINE =
	/^(encountered errors while bringing up the project|service '.*' failed to build\b|error: for \S+\s*$|-+$|#\d+ (error|canceled)\s*$|.*\.\.\. error\s*$)/i;

/** Prefixes that add nothing to the line they start. */
const PREFIXES = [/^ERROR:\s*(for \S+\s+)?/i, /^Error response from daemon:\s*/i, /^\s*\S+ Error\s+/, /^Error:\s*/i, /^#\d+ (\d+\.\d+ )?/];

function clean(line: string): string {
	return line
		.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '')
		.replace(/\r/g, '')
		.trim();
}

/**
 * A line without its "ERROR: for web", "Error response from daemon:" prefixes; a port clash from "Bind
 * for"; a registry that does not resolve as "lookup <host>: no such host" (docker says it after ~120
 * characters of URL and resolver address, where a footer has cut it).
 */
export function tidyCause(line: string): string {
	let text = line;
	for (const prefix of PREFIXES) text = text.replace(prefix, '');
	const bind = /Bind for \S+ failed: port is already allocated/.exec(text);
	if (bind) return bind[0];
	const lookup = /\blookup (\S+)(?: on \S+)?: no such host$/.exec(text.trim());
	return lookup ? `lookup ${lookup[1]}: no such host` : text.trim();
}

/** The line of `output` that explains a failure, or `null` when no line reads like a reason. */
export function causeLine(output: readonly string[]): string | null {
	const lines = output.map(clean).filter(line => line.length > 0 && !GENERIC_FAILURE_LINE.test(line));
	for (const rule of CAUSES) {
		for (let i = lines.length - 1; i >= 0; i--) if (rule.test(lines[i]!)) return tidyCause(lines[i]!);
	}
	return null;
}
