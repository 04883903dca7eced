import {mkdir, readdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {UsageError} from '../errors.ts';
import {MANIFEST_FILE, MANIFEST_SCHEMA_VERSION} from './manifest.ts';
import {berthVersion} from './locations.ts';

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** The schema URL (or a relative path to the local copy) a new manifest's "$schema" points at. */
function schemaReference(pluginDir: string): string {
	const local = fileURLToPath(new URL('../../../schema/plugin.schema.json', import.meta.url));
	return path.relative(pluginDir, local).split(path.sep).join('/');
}

/** The files of a new plugin, by path relative to its folder. */
export function skeletonFiles(id: string, pluginDir: string): Record<string, string> {
	const [major = '0', minor = '1'] = berthVersion().split('.');
	const manifest = {
		$schema: schemaReference(pluginDir),
		schemaVersion: MANIFEST_SCHEMA_VERSION,
		id,
		name: id,
		description: `The ${id} flavour: a static site served by nginx. Edit files/ to make it yours.`,
		version: '0.1.0',
		berth: `>=${major}.${minor}.0`,
		ports: [{slot: 'web', base: 8101, step: 2, container: 80, description: 'nginx'}],
		variables: [{name: 'title', type: 'string', default: id, pattern: '[A-Za-z0-9 ._-]{1,60}', description: 'Page title'}],
		files: [{match: 'site/**', backfill: true}],
	};
	return {
		[MANIFEST_FILE]: JSON.stringify(manifest, null, '\t') + '\n',
		'files/docker-compose.yml.eta': `# <%= it.flavour.id %> stack of <%= it.app.id %> (compose project <%= it.projectName %>)
services:
  web:
    image: nginx:alpine
    container_name: <%= it.projectName %>-web
    volumes:
      - ./site:/usr/share/nginx/html:ro
    ports:
      - "<%= it.publish('web') %>"
<%~ include('@shared/compose/healthcheck', {test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1/']}) %>    restart: unless-stopped
`,
		'files/site/index.html.eta': `<!doctype html>
<html lang="en">
	<head><meta charset="utf-8" /><title><%= it.vars.title %></title></head>
	<body>
		<h1><%= it.vars.title %></h1>
		<p>App <%= it.app.id %>, served on port <%= it.ports.web %>.</p>
	</body>
</html>
`,
		'files/site/robots.txt': 'User-agent: *\nDisallow: /\n',
		'files/README.md.eta': `<%~ include('@shared/readme', {title: it.vars.title, urls: [['Site', \`http://127.0.0.1:\${it.ports.web}/\`]]}) %>
`,
		'README.md': `# ${id} — a berth flavour plugin

- \`berth-plugin.json\`: the manifest (ports, variables, file rules); see docs/plugins.md in berth.
- \`files/\`: what \`berth new\` writes into the app folder. \`*.eta\` files are Eta templates (the
  suffix is dropped); every other file is copied byte for byte.

Try it:

\`\`\`sh
berth plugins lint ${pluginDir}
berth new mymodel/app1 --flavour ${id} --plugin ${pluginDir} --dry-run
\`\`\`
`,
	};
}

/**
 * Writes a working plugin skeleton into `<parent>/<id>` (default parent: the workspace's
 * `.berth/plugins`, where berth finds it without --plugin). Refuses a folder that exists and is not empty.
 */
export async function createSkeleton(id: string, parent: string): Promise<{dir: string; files: string[]}> {
	if (!ID.test(id) || id.length > 64) {
		throw new UsageError(`invalid plugin id ${JSON.stringify(id)}: use lowercase letters, digits and "-", e.g. "django-htmx"`, {code: 'bad-plugin-id'});
	}
	const dir = path.resolve(parent, id);
	const existing = await readdir(dir).catch(() => null);
	if (existing && existing.length > 0) throw new UsageError(`${dir} exists and is not empty: choose another id or --dir`, {code: 'exists'});
	const files = skeletonFiles(id, dir);
	for (const [relative, content] of Object.entries(files)) {
		const target = path.join(dir, relative);
		await mkdir(path.dirname(target), {recursive: true});
		await writeFile(target, content);
	}
	return {dir, files: Object.keys(files)};
}
