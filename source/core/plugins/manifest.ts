import {z} from 'zod';
import {PluginError, slotEnvName} from './plugin-error.ts';
import {compilePattern, MAX_PATTERN_VALUE, PatternRefused} from './pattern.ts';

export {FILES_DIR, MANIFEST_FILE, PARTIALS_DIR, PluginError, slotEnvName} from './plugin-error.ts';

export const MANIFEST_SCHEMA_VERSION = 1;

const SLOT_NAME = /^[a-z][a-z0-9_-]*$/;
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const COMPARATOR = /^(?:\^|~|>=|<=|>|<|=)?\d+(?:\.\d+){0,2}$/;

/** The environment variables berth writes itself; a plugin may not declare them. */
export const RESERVED_ENV = ['COMPOSE_PROJECT_NAME', 'PROJECT_NAME'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const PortSlotSchema = z
	.strictObject({
		slot: z
			.string()
			.regex(SLOT_NAME, 'must match [a-z][a-z0-9_-]* (e.g. "backend")')
			.describe('Slot name; the allocation and templates use it (it.ports.<slot>).'),
		base: z.int().min(1024).max(65_535).describe('First host port of the slot; app k gets base + k*step.'),
		step: z.int().min(1).max(1000).default(2).describe('Distance between the ports of consecutive allocations.'),
		container: z.int().min(1).max(65_535).describe('The container port the slot publishes.'),
		env: z
			.string()
			.regex(ENV_NAME, 'must be an upper-case environment variable name')
			.optional()
			.describe('Name of the .env variable holding the host port (default: <SLOT>_PORT).'),
		description: z.string().optional(),
	})
	.describe('A named host port slot, allocated per app by berth and bound to 127.0.0.1.');

export const VariableSchema = z
	.strictObject({
		name: z
			.string()
			.regex(VARIABLE_NAME, 'must be letters, digits and "_", starting with a letter')
			.describe('Used as it.vars.<name> in templates and as --set <name>=value.'),
		type: z.enum(['string', 'number', 'boolean']).default('string'),
		description: z.string().optional(),
		default: scalar.optional().describe('Value when --set does not give one; a variable without default (and not secret) is required.'),
		pattern: z
			.string()
			.optional()
			.describe('Regular expression a string value must match (whole value); matched in linear time, so no backreferences, lookahead or lookbehind.'),
		choices: z.array(scalar).min(1).optional().describe('The accepted values.'),
		secret: z
			.boolean()
			.optional()
			.describe('Generated randomly per app, written only to .env under `env`, never to .berth.json, never printed, never passed to templates.'),
		length: z.int().min(8).max(128).optional().describe('Length of a generated secret (default 32 hex characters).'),
		env: z
			.string()
			.regex(ENV_NAME, 'must be an upper-case environment variable name')
			.optional()
			.describe('Also write the value to .env / .env.example under this name (required for secrets).'),
	})
	.describe('A typed variable of the plugin.');

export const FileRuleSchema = z
	.strictObject({
		match: z.string().min(1).describe('Glob over paths in files/ (".eta" dropped): "*" within a segment, "**" across segments, "?" one character.'),
		backfill: z
			.boolean()
			.optional()
			.describe(
				'Part of the Docker files that "berth backfill" adds to existing apps (default: Dockerfile*, .dockerignore, compose/docker-compose files, nginx.conf).',
			),
		when: z.string().regex(VARIABLE_NAME).optional().describe('Name of a boolean variable: the file is written only when it is true.'),
		mode: z
			.string()
			.regex(/^0?[0-7]{3}$/, 'must be an octal mode such as "0755"')
			.optional()
			.describe('File mode of the written file, e.g. "0755" for scripts.'),
		placeholders: z
			.boolean()
			.optional()
			.describe('Replace seed-style {{key|default}} placeholders in this non-.eta file (it is otherwise copied byte for byte).'),
	})
	.describe('A rule applied to the files it matches; later rules override earlier ones.');

export const ManifestSchema = z
	.strictObject({
		$schema: z.string().optional().describe('Path or URL of plugin.schema.json, for editors.'),
		schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION).describe('Version of the manifest format: 1.'),
		id: z
			.string()
			.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-" (e.g. "react-flask")')
			.max(64)
			.describe('The flavour id used with --flavour.'),
		name: z.string().min(1).max(80),
		description: z.string().min(1).max(500),
		version: z.string().regex(SEMVER, 'must be a semantic version such as "1.0.0"'),
		berth: z
			.string()
			.refine(
				range =>
					range
						.trim()
						.split(/\s+/)
						.every(part => COMPARATOR.test(part)),
				'must be a version range such as ">=0.1.0 <2" or "^0.1.0"',
			)
			.describe('The berth versions this plugin supports: space-separated comparators (>=, >, <, <=, =, ^, ~).'),
		ports: z.array(PortSlotSchema).default([]),
		variables: z.array(VariableSchema).default([]),
		files: z.array(FileRuleSchema).default([]),
	})
	.superRefine((manifest, ctx) => {
		const envs = new Map<string, string>();
		const claimEnv = (name: string, owner: string, path: (string | number)[]) => {
			if ((RESERVED_ENV as readonly string[]).includes(name))
				ctx.addIssue({code: 'custom', path, message: `${name} is written by berth itself; choose another name`});
			else if (envs.has(name)) ctx.addIssue({code: 'custom', path, message: `${name} is already used by ${envs.get(name)}`});
			else envs.set(name, owner);
		};
		const slots = new Set<string>();
		manifest.ports.forEach((slot, i) => {
			if (slots.has(slot.slot)) ctx.addIssue({code: 'custom', path: ['ports', i, 'slot'], message: `slot "${slot.slot}" is declared twice`});
			slots.add(slot.slot);
			claimEnv(slotEnvName(slot), `port slot "${slot.slot}"`, ['ports', i, slot.env ? 'env' : 'slot']);
		});
		const names = new Map<string, Variable>();
		manifest.variables.forEach((variable, i) => {
			const at = (field: string) => ['variables', i, field];
			if (names.has(variable.name)) ctx.addIssue({code: 'custom', path: at('name'), message: `variable "${variable.name}" is declared twice`});
			names.set(variable.name, variable);
			if (variable.env) claimEnv(variable.env, `variable "${variable.name}"`, at('env'));
			if (variable.secret) {
				if (variable.type !== 'string') ctx.addIssue({code: 'custom', path: at('type'), message: 'a secret must be of type "string"'});
				if (!variable.env) ctx.addIssue({code: 'custom', path: at('env'), message: 'a secret needs "env": it lives only in .env, under that name'});
				if (variable.default !== undefined)
					ctx.addIssue({code: 'custom', path: at('default'), message: 'a secret has no default: berth generates one per app'});
			} else if (variable.length !== undefined) ctx.addIssue({code: 'custom', path: at('length'), message: '"length" applies to secrets only'});
			if (variable.pattern && variable.type !== 'string')
				ctx.addIssue({code: 'custom', path: at('pattern'), message: '"pattern" applies to string variables only'});
			const refused = variable.pattern === undefined ? null : compilePattern(variable.pattern);
			if (refused instanceof PatternRefused)
				ctx.addIssue({code: 'custom', path: at('pattern'), message: `the pattern of "${variable.name}" ${refused.message}`});
			for (const [field, value] of [
				['default', variable.default],
				...(variable.choices ?? []).map((choice, c) => [`choices.${c}`, choice] as const),
			] as const) {
				if (value === undefined) continue;
				const problem = valueProblem(variable, value, field === 'default' ? undefined : true);
				if (problem)
					ctx.addIssue({
						code: 'custom',
						path: [
							'variables',
							i,
							...String(field)
								.split('.')
								.map(p => (/^\d+$/.test(p) ? Number(p) : p)),
						],
						message: problem,
					});
			}
		});
		manifest.files.forEach((rule, i) => {
			if (rule.when === undefined) return;
			const variable = names.get(rule.when);
			if (!variable) ctx.addIssue({code: 'custom', path: ['files', i, 'when'], message: `"${rule.when}" is not a declared variable`});
			else if (variable.type !== 'boolean') ctx.addIssue({code: 'custom', path: ['files', i, 'when'], message: `"${rule.when}" must be a boolean variable`});
		});
	})
	.describe('A berth flavour plugin: berth-plugin.json next to a files/ tree.');

export type Manifest = z.output<typeof ManifestSchema>;
export type ManifestInput = z.input<typeof ManifestSchema>;
export type PortSlotSpec = z.output<typeof PortSlotSchema>;
export type Variable = z.output<typeof VariableSchema>;
export type FileRule = z.output<typeof FileRuleSchema>;
export type Answer = string | number | boolean;

/** Why `value` is not acceptable for `variable`, or `null`. `skipChoices` checks a choice itself. */
export function valueProblem(variable: Variable, value: Answer, skipChoices?: boolean): string | null {
	if (typeof value !== variable.type) return `expected a ${variable.type}, got ${JSON.stringify(value)}`;
	if (variable.type === 'number' && !Number.isFinite(value)) return `expected a number, got ${JSON.stringify(value)}`;
	if (typeof value === 'string' && variable.pattern !== undefined) {
		// Also reached for a manifest whose pattern was just refused (zod runs the checks below all the same).
		const pattern = compilePattern(variable.pattern);
		if (pattern instanceof PatternRefused) return `cannot be checked: the pattern ${variable.pattern} ${pattern.message}`;
		// The pattern runs in linear time; the cap keeps that time small (and the message that quotes the value).
		if (value.length > MAX_PATTERN_VALUE)
			return `the value is ${value.length} characters long; a value checked against a pattern may have at most ${MAX_PATTERN_VALUE}`;
		if (!pattern.test(value)) return `${JSON.stringify(value)} does not match the pattern ${variable.pattern}`;
	}
	if (!skipChoices && variable.choices && !variable.choices.includes(value)) {
		return `${JSON.stringify(value)} is not one of ${variable.choices.map(c => JSON.stringify(c)).join(', ')}`;
	}
	return null;
}

/** `ports[0].container` style path of a zod issue. */
export function issuePath(path: readonly PropertyKey[]): string {
	let text = '';
	for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${String(part)}`;
	return text;
}

function friendlyMessage(message: string): string {
	return message.replace(/^Invalid input: expected (\w+), received undefined$/, 'is missing (expected a $1)');
}

/** Parses and validates manifest text; throws PluginError naming `file` and each bad field. */
export function parseManifest(text: string, file: string): Manifest {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new PluginError(file, [{path: '', message: `not valid JSON (${(error as Error).message})`}], error);
	}
	const result = ManifestSchema.safeParse(json);
	if (!result.success) {
		throw new PluginError(
			file,
			result.error.issues.map(issue => ({path: issuePath(issue.path), message: friendlyMessage(issue.message)})),
			result.error,
		);
	}
	return result.data;
}

/** The JSON Schema of the manifest, as published in schema/plugin.schema.json. */
export function manifestJsonSchema(): Record<string, unknown> {
	const schema = z.toJSONSchema(ManifestSchema, {io: 'input', target: 'draft-2020-12'}) as Record<string, unknown>;
	return {
		...schema,
		$id: 'https://github.com/berth/berth/schema/plugin.schema.json',
		title: 'berth flavour plugin manifest (berth-plugin.json)',
	};
}
