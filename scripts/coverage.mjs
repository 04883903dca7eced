// Node's built-in test coverage for `npm test`: the spec reporter without its per-file table (one line per
// file, too long for CI's log; the lcov file keeps every figure), and the one-screen summary printed after
// the Node pass. The CLI under test runs the built dist/ in child processes, whose coverage Node merges:
// a module counts once, under its source/ name, as covered where it was covered most (in the test
// process or in the CLI).
import {existsSync, readFileSync} from 'node:fs';
import {Readable} from 'node:stream';
import {spec} from 'node:test/reporters';

/** The spec reporter, less the coverage table (`--test-reporter=./scripts/coverage.mjs`). */
export default async function* specWithoutCoverage(source) {
	const events = Readable.from(
		(async function* () {
			for await (const event of source) if (event.type !== 'test:coverage') yield event;
		})(),
	);
	yield* events.pipe(new spec());
}

/** Per module: lines, branches and functions found and hit, from an lcov file. */
function modules(lcov) {
	const byModule = new Map();
	for (const record of lcov.split('end_of_record')) {
		const file = /^SF:(.+)$/m.exec(record)?.[1];
		if (!file) continue;
		const figure = key => Number(new RegExp(`^${key}:(\\d+)$`, 'm').exec(record)?.[1] ?? 0);
		const entry = {lines: [figure('LH'), figure('LF')], branches: [figure('BRH'), figure('BRF')], functions: [figure('FNH'), figure('FNF')]};
		const ts = file.replace(/^dist\//, 'source/').replace(/\.js$/, '.ts');
		const name = existsSync(ts) || !existsSync(`${ts}x`) ? ts : `${ts}x`;
		const known = byModule.get(name);
		if (!known || ratio(entry.lines) > ratio(known.lines)) byModule.set(name, entry);
	}
	return byModule;
}

function ratio([hit, found]) {
	return found === 0 ? 1 : hit / found;
}

function percent(pair) {
	return `${(ratio(pair) * 100).toFixed(1)} %`;
}

/** The summary: totals, then the 10 least covered files. */
export function coverageSummary(lcovFile) {
	const byModule = modules(readFileSync(lcovFile, 'utf8'));
	const total = kind => [...byModule.values()].reduce(([hit, found], entry) => [hit + entry[kind][0], found + entry[kind][1]], [0, 0]);
	const least = [...byModule].sort(([, a], [, b]) => ratio(a.lines) - ratio(b.lines)).slice(0, 10);
	return [
		`coverage (Node, ${byModule.size} files of source/): lines ${percent(total('lines'))}, branches ${percent(total('branches'))}, functions ${percent(total('functions'))}`,
		'least covered (lines):',
		...least.map(([name, entry]) => `  ${percent(entry.lines).padStart(7)}  ${name}`),
	].join('\n');
}
