#!/usr/bin/env node
// The layer check (npm run lint): what Biome's noImportCycles cannot see (it looks at files, not folders, and
// skips dynamic import()).
//   0. No import cycle between files of source, import() included.
//   1. No cycle between the folders of source/core (a file directly in source/core counts as a folder of its own):
//      each folder is a layer that the ones above it are built on (e.g. lint on plugins and scaffold).
//   2. The layers of source: ui -> core and commands -> core. core imports neither ui nor commands, and ui and
//      commands do not import each other (cli.tsx, main.tsx and global-options.ts, at the top, may import all three).
// Dynamic imports count (they tie the folders together at run time as much as a static one); type-only imports do not.
// Prints every offence with the imports that make it and exits 1; prints one line and exits 0 when there is none.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.resolve(process.argv[2] ?? path.join(root, 'source'));
const core = path.join(source, 'core');

function files(dir) {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return files(full);
		return /\.(m?[jt]sx?)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

/**
 * The relative module specifiers a file imports or re-exports at run time, statically or with import(). Comments
 * are ignored, and so are type-only imports (`import type`, `import {type A}`): the compiler erases them, and a
 * folder may name the shape of another's data without depending on its code.
 */
function specifiers(text) {
	const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
	const found = new Set();
	for (const match of code.matchAll(/\b(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*(['"])(\.{1,2}\/[^'"]+)\3/g)) {
		const names = /^\{([^}]*)\}$/
			.exec(match[2].trim())?.[1]
			.split(',')
			.map(name => name.trim())
			.filter(Boolean);
		const typesOnly = match[1] !== undefined || (names !== undefined && names.length > 0 && names.every(name => name.startsWith('type ')));
		if (!typesOnly) found.add(match[4]);
	}
	for (const match of code.matchAll(/(?:\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)) found.add(match[2]);
	return [...found];
}

/** `dir/x.ts` for `./x.ts`, `./x.js` (compiled name) or `./x`: the source file it names, or the path as written. */
function resolve(from, specifier, known) {
	const target = path.resolve(path.dirname(from), specifier);
	const stem = target.replace(/\.(m?[jt]sx?)$/, '');
	for (const candidate of [target, `${stem}.ts`, `${stem}.tsx`, path.join(target, 'index.ts')]) if (known.has(candidate)) return candidate;
	return target;
}

function layer(file) {
	const relative = path.relative(source, file).split(path.sep);
	return relative.length > 1 && ['core', 'ui', 'commands'].includes(relative[0]) ? relative[0] : 'top';
}

/** The folder of source/core a file belongs to: `docker` for core/docker/engine.ts, `errors.ts` for core/errors.ts. */
function folder(file) {
	return path.relative(core, file).split(path.sep)[0];
}

const ALLOWED = {core: ['core'], ui: ['ui', 'core'], commands: ['commands', 'core'], top: ['top', 'ui', 'commands', 'core']};
const all = files(source);
const known = new Set(all);
const show = file => path.relative(root, file);
const offences = [];
/** folder -> folder -> the first import seen that makes that edge, "a.ts -> b.ts". */
const edges = new Map();
/** file -> file -> the same, for cycles between files. */
const fileEdges = new Map();

for (const file of all) {
	for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
		const target = resolve(file, specifier, known);
		if (!fileEdges.has(file)) fileEdges.set(file, new Map());
		fileEdges.get(file).set(target, `${show(file)} -> ${show(target)}`);
		const [from, to] = [layer(file), layer(target)];
		if (!ALLOWED[from].includes(to))
			offences.push(`${show(file)} imports ${show(target)}: ${from} must not import ${to} (layers: ui -> core, commands -> core)`);
		if (from !== 'core' || to !== 'core') continue;
		const [a, b] = [folder(file), folder(target)];
		if (a === b) continue;
		if (!edges.has(a)) edges.set(a, new Map());
		if (!edges.get(a).has(b)) edges.get(a).set(b, `${show(file)} -> ${show(target)}`);
	}
}

/** Tarjan's strongly connected components: every component of more than one folder holds a cycle. */
function components(graph) {
	const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap(m => [...m.keys()])]);
	const index = new Map();
	const low = new Map();
	const stack = [];
	const onStack = new Set();
	const result = [];
	let next = 0;
	const visit = node => {
		index.set(node, next);
		low.set(node, next++);
		stack.push(node);
		onStack.add(node);
		for (const to of graph.get(node)?.keys() ?? []) {
			if (!index.has(to)) {
				visit(to);
				low.set(node, Math.min(low.get(node), low.get(to)));
			} else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
		}
		if (low.get(node) !== index.get(node)) return;
		const component = [];
		let member;
		do {
			member = stack.pop();
			onStack.delete(member);
			component.push(member);
		} while (member !== node);
		if (component.length > 1) result.push(component.sort());
	};
	for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);
	return result;
}

for (const component of components(fileEdges)) {
	const inside = new Set(component);
	const lines = component.flatMap(a => [...(fileEdges.get(a) ?? new Map())].filter(([b]) => inside.has(b)).map(([, example]) => `    ${example}`));
	offences.push(`import cycle between files: ${component.map(show).join(', ')}\n${lines.join('\n')}`);
}

for (const component of components(edges)) {
	const inside = new Set(component);
	const lines = component.flatMap(a => [...(edges.get(a) ?? new Map())].filter(([b]) => inside.has(b)).map(([b, example]) => `    ${a} -> ${b} (${example})`));
	offences.push(`import cycle between the folders of source/core: ${component.join(', ')}\n${lines.join('\n')}`);
}

if (offences.length > 0) {
	console.error(`check-layers: ${offences.length} problem${offences.length === 1 ? '' : 's'}\n${offences.map(o => `  ${o}`).join('\n')}`);
	process.exit(1);
}
const edgeCount = [...edges.values()].reduce((sum, m) => sum + m.size, 0);
console.log(
	`check-layers: ${all.length} files, no cycle between them; ${edges.size} folders of source/core with ${edgeCount} dependencies between them, no cycle; ui, commands -> core only`,
);
