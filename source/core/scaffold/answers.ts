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
		if (eq <= 0) throw new UsageError(`invalid --set ${JSON.stringify(item)}: write it as --set key=value`, {code: 'bad-set'});
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

/** A random per-app secret: hex from crypto.randomBytes (safe in URLs, shells and YAML). */
export function generateSecret(length = 32): string {
	return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
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
			throw new UsageError(
				`flavour ${manifest.id} has no variable ${JSON.stringify(key)}. Its variables: ${names.length > 0 ? names.join(', ') : '(none)'}.`,
				{code: 'unknown-variable'},
			);
		}
	}
	const answers: Record<string, Answer> = {};
	const secrets: Record<string, string> = {};
	for (const variable of manifest.variables) {
		const raw = given[variable.name] ?? (variable.secret ? undefined : previous[variable.name]) ?? variable.default;
		if (variable.secret) {
			if (raw !== undefined) {
				const problem = valueProblem(variable, coerce(variable, raw));
				if (problem) throw new UsageError(`--set ${variable.name}: ${problem}`, {code: 'bad-variable'});
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
		const problem = valueProblem(variable, value);
		if (problem) throw new UsageError(`--set ${variable.name}: ${problem}`, {code: 'bad-variable'});
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
