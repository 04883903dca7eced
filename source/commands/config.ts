import {parseDocument} from 'yaml';
import type {Command} from './command.ts';
import {appArgument} from './app-arg.ts';
import {resolveTarget} from '../core/compose/target.ts';
import {findCompose} from '../core/compose/detect.ts';
import {composeConfigCommand} from '../core/compose/config.ts';
import {noComposeBinaryError} from '../core/compose/client.ts';

const usage = 'config <model>/app<N> [--json]';

const command: Command = {
	name: 'config',
	summary: 'Print the effective compose model berth runs for an app',
	usage,
	details: `Prints what "docker compose config" prints with exactly the arguments berth passes to every compose
call of the app: its project name, its folder, each compose file (the app's compose file, the user's
override file when there is one, then berth's own override of an adopted app, "berth adopt") and the
allocated ports as BERTH_PORT_<SLOT> variables. What it prints is what "berth up" starts.

With --json: compose v2's "config --format json". Compose v1 prints YAML only: berth converts it to
JSON and says so on stderr.`,
	positionals: {min: 1, max: 1},
	async run({positionals, root, storeFile, env, out, signal}) {
		const app = appArgument(positionals, usage);
		const target = await resolveTarget(root, storeFile, app);
		const binary = await findCompose(env);
		if (!binary) throw noComposeBinaryError();
		const json = out.json && binary.flavour === 'v2';
		const printed = await composeConfigCommand(binary, target, {json, env, signal});
		if (!out.json) {
			for (const line of printed.replace(/\n$/, '').split('\n')) out.line(line);
			return 0;
		}
		if (json) {
			out.data(JSON.parse(printed));
			return 0;
		}
		out.warn(`compose v1 prints its config as YAML only ("config --format json" needs compose v2): this is its YAML, converted to JSON by berth`);
		out.data(parseDocument(printed, {logLevel: 'silent'}).toJS({maxAliasCount: 10_000}));
		return 0;
	},
};

export default command;
