// Bundles berth for Node, in two bundles that bin/berth.js runs when they exist (else tsc's output):
// - dist/tui/cli.js, the terminal UI: the CLI with everything the TUI loads at start-up in a few files
//   instead of ~300 modules (Node resolves, reads and compiles each one: most of the TUI's start-up).
//   Lazy imports stay lazy: they become chunks of their own (splitting). An ES module: Ink's layout
//   engine loads with a top-level await.
// - dist/cmd/cli.cjs, the one-shot commands (source/cli-commands.ts): one CommonJS file, never Ink. Node
//   resolves, compiles and links every ES module apart and builds a module facade for every built-in one
//   imported: ~25 ms of a ~65 ms `berth ps`. The big packages a command loads only now and then stay
//   out, loaded from node_modules when used (OUT_OF_COMMANDS); so does the TUI.
// Run by `npm run build` and `npm install` (scripts/prepare.mjs), after tsc.
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'tui');
const commandsOutdir = path.join(root, 'dist', 'cmd');

/**
 * Packages the commands' bundle leaves to node_modules: each is loaded by a few commands only (yaml: a
 * compose file berth parses itself; zod: plugin manifests; eta: scaffolding; execa: doctor, open), and
 * bundled they would be parsed by every command (~1.4 MB, ~12 ms).
 */
const OUT_OF_COMMANDS = ['yaml', 'zod', 'eta', 'eta/*', 'execa', 'react-devtools-core'];

/** tsc's output in dist/ for the source file `file`, as a path relative to the bundle folder `dir` ('/'-separated). */
function compiledFrom(dir, file) {
	const compiled = path.join(root, 'dist', path.relative(path.join(root, 'source'), file)).replace(/\.tsx?$/, '.js');
	return path.relative(dir, compiled).split(path.sep).join('/');
}

/**
 * `import.meta.url` of a bundled module is the chunk's: replaced by the URL of the module's own file in
 * dist/ (tsc's output, next to the bundle), so that paths relative to it (the package folder, plugins,
 * the schema, lint's worker) stay right wherever berth is installed.
 */
const ownUrl = (dir, base) => ({
	name: 'own-import-meta-url',
	setup(build) {
		build.onLoad({filter: /[\\/]source[\\/].*\.tsx?$/}, async args => {
			const text = await readFile(args.path, 'utf8');
			if (!text.includes('import.meta.url')) return undefined;
			return {
				contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(compiledFrom(dir, args.path))}, ${base}).href`),
				loader: args.path.endsWith('x') ? 'tsx' : 'ts',
			};
		});
	},
});

/**
 * The terminal UI is not part of the commands' bundle (it has its own): main.tsx imports it from tsc's
 * output in dist/ should a command ever open it. Nothing else of berth's source may be left out: a
 * module loaded both from the bundle and from dist/ would exist twice (two BerthError classes, and
 * `instanceof` fails across them). So a module that only works as an ES module (import.meta other than
 * its url, which ownUrl rewrites) fails the build instead: esbuild's "empty-import-meta" is an error here.
 */
const commandsSource = {
	name: 'commands-source',
	setup(build) {
		build.onResolve({filter: /[\\/]run-tui\.ts$/}, args => ({
			path: `./${compiledFrom(commandsOutdir, path.resolve(args.resolveDir, args.path))}`,
			external: true,
		}));
	},
};

/**
 * Yoga (Ink's layout engine) loads its WebAssembly from a base64 string, but first looks at
 * `typeof fetch`: on Node that getter loads the whole fetch implementation (undici), ~40 ms of the
 * TUI's start-up for nothing. Its loader is told there is no fetch; it then decodes the string itself.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /[\\/]yoga-layout[\\/].*yoga-wasm-base64-esm\.js$/}, async args => ({
			contents: (await readFile(args.path, 'utf8')).replaceAll('typeof fetch', '"undefined"'),
			loader: 'js',
		}));
	},
};

/**
 * React, its reconciler and scheduler pick their production or development build at run time from
 * NODE_ENV (run-tui.ts sets production before loading them): bundled as they are, both builds are in
 * the chunk that every start of the TUI reads and parses (1 MB of development code never run). Their
 * entry files are told it is production, so only that build is bundled.
 */
const reactProduction = {
	name: 'react-production',
	setup(build) {
		build.onLoad({filter: /[\\/]node_modules[\\/](react|react-reconciler|scheduler)[\\/](index|constants|jsx-runtime)\.js$/}, async args => ({
			contents: (await readFile(args.path, 'utf8')).replaceAll('process.env.NODE_ENV', '"production"'),
			loader: 'js',
		}));
	},
};

let esbuild;
try {
	esbuild = await import('esbuild');
} catch {
	// esbuild comes with the dev dependencies (through tsx): without it berth runs tsc's output.
	console.warn('berth: esbuild is not installed; berth runs unbundled (slower start-up)');
	process.exit(0);
}
// Chunks are named by their content: the last build's would pile up.
await rm(outdir, {recursive: true, force: true});
await rm(commandsOutdir, {recursive: true, force: true});
await esbuild.build({
	entryPoints: {cli: path.join(root, 'source', 'cli.tsx')},
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	jsx: 'automatic',
	// Ink loads it only when DEV=true, for React DevTools; not a dependency of berth.
	external: ['react-devtools-core'],
	// Some dependencies are CommonJS and call require(): give the ES module bundle one.
	banner: {js: "import {createRequire as berthCreateRequire} from 'node:module';\nconst require = berthCreateRequire(import.meta.url);"},
	plugins: [ownUrl(outdir, 'import.meta.url'), yogaWithoutFetch, reactProduction],
	legalComments: 'none',
	logLevel: 'warning',
});
await esbuild.build({
	entryPoints: [path.join(root, 'source', 'cli-commands.ts')],
	outfile: path.join(commandsOutdir, 'cli.cjs'),
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node22',
	external: OUT_OF_COMMANDS,
	plugins: [commandsSource, ownUrl(commandsOutdir, 'require("node:url").pathToFileURL(__filename)')],
	logOverride: {'empty-import-meta': 'error'},
	legalComments: 'none',
	logLevel: 'warning',
});
