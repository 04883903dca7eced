import type {Command} from './command.ts';
import {lintPlugin} from '../core/lint/lint.ts';

const command: Command = {
	name: 'plugins lint',
	summary: 'Validate a plugin: manifest, templates, and the rendered compose files',
	usage: 'plugins lint <dir> [--no-compose] [--json]',
	details: `Validates the manifest (each problem names the file and field), compiles the templates,
renders the plugin with sample values (defaults; booleans also flipped) into a temporary folder,
flags anything left unrendered, and runs the real "compose config" on every rendered compose file.
Exit status 1 when there is an error (warnings do not fail).

Templates are code (Eta is JavaScript). lint renders them in a sandboxed child process that may
read only the plugin folder and berth's templates: a template that tries to write a file or start
a process fails the lint, and nothing happens. Under Node, lint renders with Deno when it finds one
(PATH or berth's .tools/), since Node 24 cannot take the network away from templates; without Deno
or Node >= 25 it warns. A plugin holding a symbolic link is refused. "berth new" renders in-process
with your privileges: scaffold only with plugins you trust.

Bounds: a manifest may be at most 1 MB, a template 5 MB; each template gets 10 s to compile and
10 s to render in the sandbox. Ctrl-C stops lint at once (the renderer is killed).

Options:
  --no-compose   skip the compose config check`,
	options: {'no-compose': {type: 'boolean'}},
	positionals: {min: 1, max: 1},
	async run({positionals, values, cwd, env, out, signal}) {
		const {resolve} = await import('node:path');
		const result = await lintPlugin(resolve(cwd, positionals[0]!), {compose: values['no-compose'] !== true, env, signal});
		if (out.json) {
			out.data(result);
			return result.ok ? 0 : 1;
		}
		if (result.sandbox?.warning) out.warn(result.sandbox.warning);
		for (const problem of result.problems) {
			const text = `${problem.file}${problem.where ? `: ${problem.where}` : ''}: ${problem.message}`;
			if (problem.severity === 'error') out.error(text);
			else out.warn(text);
		}
		const composeRuns = result.checked.flatMap(c => c.compose);
		const errors = result.problems.filter(p => p.severity === 'error').length;
		const warnings = result.problems.length - errors;
		const checkedText =
			composeRuns.length > 0 ? `; compose config run ${composeRuns.length} time(s) (${[...new Set(composeRuns.map(r => r.compose))].join(', ')})` : '';
		if (result.ok)
			out.line(`${result.id ?? result.dir}: ok${warnings ? ` (${warnings} warning(s))` : ''} — ${result.checked.length} variant(s) rendered${checkedText}.`);
		else out.line(`${result.id ?? result.dir}: ${errors} error(s), ${warnings} warning(s).`);
		return result.ok ? 0 : 1;
	},
};

export default command;
