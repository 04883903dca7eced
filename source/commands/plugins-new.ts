import path from 'node:path';
import type {Command} from './command.ts';
import {createSkeleton} from '../core/plugins/skeleton.ts';

const command: Command = {
	name: 'plugins new',
	summary: 'Write a working flavour plugin skeleton',
	usage: 'plugins new <id> [--dir DIR] [--json]',
	details: `Writes <DIR>/<id>/ with a manifest, a compose file, a templated page and a README. It lints
clean and scaffolds as is. Default DIR: ./.berth/plugins (the workspace's plugins, found without --plugin).`,
	options: {dir: {type: 'string'}},
	positionals: {min: 1, max: 1},
	async run({positionals, values, cwd, out}) {
		const parent = path.resolve(cwd, (values['dir'] as string | undefined) ?? path.join('.berth', 'plugins'));
		const {dir, files} = await createSkeleton(positionals[0]!, parent);
		if (out.json) out.data({id: positionals[0], dir, files});
		else {
			out.line(`Created plugin ${positionals[0]} in ${dir}:`);
			for (const file of files) out.line(`  ${file}`);
			const shown = path.relative(cwd, dir);
			out.line(`Next: berth plugins lint ${shown && !shown.startsWith('..') ? shown : dir}`);
		}
		return 0;
	},
};

export default command;
