import {randomBytes} from 'node:crypto';
import {UsageError} from '../errors.ts';
import {valueProblem, type Answer, type Manifest, type Variable} from '../plugins/manifest.ts';

/** The resolved variables of one scaffold: public answers (kept in .berth.json) and secrets (.env only). */
export interface ResolvedAnswers {
	answers: Record<string, Answer>;
	secrets: Record<string, string>;
}

/** Parses `--set key=value` arguments into a map (values stay strings until typed by the manifest). */
export function parseSetOptions(values: readonly string[] | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const item of values ?? []) {
		const eq = item.indexOf('=');
		// Only the text before "=" is ever echoed: what follows may be a secret.
		if (eq < 0) throw new UsageError(`invalid --set ${JSON.stringify(item)}: write it as --set key=value`, {code: 'bad-set'});
		if (eq === 0) throw new UsageError('invalid --set: the variable name before "=" is empty; write it as --set key=value', {code: 'bad-set'});
		result[item.slice(0, eq)] = item.slice(eq + 1);
	}
	return result;
}

function coerce(variable: Variable, raw: Answer): Answer {
	if (typeof raw !== 'string' || variable.type === 'string') return raw;
	if (variable.type === 'boolean') {
		if (/^(true|yes|on|1)$/i.test(raw)) return true;
		if (/^(false|no|off|0)$/i.test(raw)) return false;
		return raw;
	}
	const number = raw.trim() === '' ? Number.NaN : Number(raw);
	return Number.isFinite(number) ? number : raw;
}

/**
 * Line breaks, NUL and other control characters (C0, DEL, C1, U+2028/2029). Values reach .env and other
 * line-based files: a newline there adds a variable of its own (BACKEND_PORT=80 past the allocation).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** Why an answer is refused, never quoting a secret's value. */
function answerProblem(variable: Variable, value: Answer): string | null {
	if (typeof value === 'string' && CONTROL.test(value)) {
		const char = value.codePointAt(value.search(CONTROL))!;
		const named =
			char === 10
				? 'a line break (LF)'
				: char === 13
					? 'a line break (CR)'
					: char === 0
						? 'a NUL character'
						: `the control character U+${char.toString(16).toUpperCase().padStart(4, '0')}`;
		return `the value contains ${named}; control characters are not allowed (values are written to line-based files such as .env)`;
	}
	const problem = valueProblem(variable, value);
	if (!problem || !variable.secret) return problem;
	return problem.split(JSON.stringify(value)).join('the value (a secret, not shown)');
}

/** A random per-app secret: hex from crypto.randomBytes (safe in URLs, shells and YAML). */
export function generateSecret(length = 32): string {
	return randomBytes(Math.ceil(length / 2))
		.toString('hex')
		.slice(0, length);
}

/**
 * Resolves every declared variable: `given` (from --set or a wizard) over `previous` (the app's state)
 * over the manifest default. Undeclared keys, bad values and missing required values are UsageErrors
 * naming the variable, so nothing is written.
 */
export function resolveAnswers(manifest: Manifest, given: Readonly<Record<string, Answer>>, previous: Readonly<Record<string, Answer>> = {}): ResolvedAnswers {
	const declared = new Map(manifest.variables.map(v => [v.name, v]));
	for (const key of Object.keys(given)) {
		if (!declared.has(key)) {
			const names = manifest.variables.filter(v => !v.secret).map(v => v.name);
			throw new UsageError(`flavour ${manifest.id} has no variable ${JSON.stringify(key)}. Its variables: ${names.length > 0 ? names.join(', ') : '(none)'}.`, {
				code: 'unknown-variable',
			});
		}
	}
	const answers: Record<string, Answer> = {};
	const secrets: Record<string, string> = {};
	for (const variable of manifest.variables) {
		const raw = given[variable.name] ?? (variable.secret ? undefined : previous[variable.name]) ?? variable.default;
		// Where a bad value came from, for the message.
		const label =
			given[variable.name] !== undefined
				? `--set ${variable.name}`
				: !variable.secret && previous[variable.name] !== undefined
					? `${variable.name} (from .berth.json)`
					: `${variable.name} (the flavour's default)`;
		if (variable.secret) {
			if (raw !== undefined) {
				const problem = answerProblem(variable, coerce(variable, raw));
				if (problem) throw new UsageError(`${label}: ${problem}`, {code: 'bad-variable'});
			}
			secrets[variable.env!] = raw === undefined ? generateSecret(variable.length) : String(raw);
			continue;
		}
		if (raw === undefined) {
			throw new UsageError(
				`flavour ${manifest.id} needs a value for ${variable.name}${variable.description ? ` (${variable.description})` : ''}: pass --set ${variable.name}=...`,
				{code: 'missing-variable'},
			);
		}
		const value = coerce(variable, raw);
		const problem = answerProblem(variable, value);
		if (problem) throw new UsageError(`${label}: ${problem}`, {code: 'bad-variable'});
		answers[variable.name] = value;
	}
	return {answers, secrets};
}

/** Sample answers for linting: defaults, else the first choice, else a value of the right type. */
export function sampleAnswers(manifest: Manifest): Record<string, Answer> {
	const sample: Record<string, Answer> = {};
	for (const variable of manifest.variables) {
		if (variable.secret || variable.default !== undefined) continue;
		sample[variable.name] = variable.choices?.[0] ?? (variable.type === 'number' ? 1 : variable.type === 'boolean' ? false : 'sample');
	}
	return sample;
}

/** What a prompt for one variable needs (the TUI's new-app wizard): how to ask, what is accepted, a check per value. */
export interface VariablePrompt {
	key: string;
	description: string;
	/** The default as the prompt shows it ("true" / "false" for a boolean); `null` without one. */
	default: string | null;
	/** No default: a value must be given. */
	required: boolean;
	/** Typed text, a number, one of `choices`, or yes / no. */
	kind: 'text' | 'number' | 'choice' | 'boolean';
	/** The accepted values of a choice, as text. */
	choices: string[] | null;
	/** What is accepted, in words: "a number", "text matching [a-z]+", "one of small, large". */
	accepts: string;
	/** Why `raw` (as typed, or a choice's text) is refused, or `null`: the manifest's own rules, as `--set` checks them. */
	problem(raw: string): string | null;
}

/** The prompt of a (non-secret) variable. */
export function variablePrompt(variable: Variable): VariablePrompt {
	const choices = variable.choices?.map(String) ?? null;
	const kind = variable.type === 'boolean' ? 'boolean' : choices ? 'choice' : variable.type === 'number' ? 'number' : 'text';
	const required = variable.default === undefined;
	const accepts =
		kind === 'boolean'
			? 'yes or no'
			: choices
				? `one of ${choices.join(', ')}`
				: kind === 'number'
					? 'a number'
					: variable.pattern !== undefined
						? `text matching ${variable.pattern}`
						: required
							? 'any text, not empty'
							: 'any text';
	return {
		key: variable.name,
		description: variable.description ?? variable.name,
		default: variable.default === undefined ? null : String(variable.default),
		required,
		kind,
		choices,
		accepts,
		problem: raw => (required && raw.trim() === '' ? `${variable.name} needs a value: ${accepts}` : answerProblem(variable, coerce(variable, raw))),
	};
}
