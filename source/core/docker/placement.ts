import {BerthError} from '../errors.ts';
import {contextEnv, engineFacts, listEngineContexts, resolveEngine} from './contexts.ts';

/** Where a new app goes, and in words why (for `--engine auto`, which says which engine it picked). */
export interface EngineChoice {
	name: string;
	/** e.g. "auto: berth-e2 (0 running containers on 2 CPUs; berth-e1 3 on 2, default 5 on 2)"; null when named. */
	reason: string | null;
}

/**
 * The engine of `--engine NAME|auto`. A name must be a Docker context. `auto` asks every context (in
 * parallel, 3 s at most each) and picks the reachable engine with the most room: the fewest running
 * containers per CPU, ties by name. No reachable engine is an error naming each one's problem.
 */
export async function chooseEngine(spec: string, env: NodeJS.ProcessEnv = process.env, options: {exclude?: string | null} = {}): Promise<EngineChoice> {
	if (spec !== 'auto') return {name: resolveEngine(spec, env).name, reason: null};
	// `move --to auto`: the engine the app leaves is no choice.
	const contexts = listEngineContexts(env).filter(c => c.name !== options.exclude);
	const answers = await Promise.all(contexts.map(async c => ({name: c.name, facts: await engineFacts(contextEnv(c.name, env), 3000)})));
	const candidates = answers
		.flatMap(a => (a.facts.reachable ? [{name: a.name, running: a.facts.containersRunning, cpus: Math.max(1, a.facts.cpus)}] : []))
		.sort((a, b) => a.running / a.cpus - b.running / b.cpus || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const best = candidates[0];
	if (!best) {
		throw new BerthError(
			`--engine auto: no engine answers (${answers.map(a => `${a.name}: ${a.facts.reachable ? 'ok' : a.facts.problem}`).join('; ')}). Start one, or name one with --engine NAME.`,
			{code: 'engine-unreachable'},
		);
	}
	const others = candidates.slice(1).map(c => `${c.name} ${c.running} on ${c.cpus}`);
	const down = answers.filter(a => !a.facts.reachable).map(a => `${a.name} unreachable`);
	return {
		name: best.name,
		reason: `auto: ${best.name} (${best.running} running container${best.running === 1 ? '' : 's'} on ${best.cpus} CPU${best.cpus === 1 ? '' : 's'}${[...others, ...down].length ? `; ${[...others, ...down].join(', ')}` : ''})`,
	};
}
