import type {Command} from './command.ts';
import {appArgument} from './app-arg.ts';
import {keepColours} from './output.ts';
import {UsageError} from '../core/errors.ts';
import {resolveTarget} from '../core/compose/target.ts';
import {engineEnvOf} from '../core/compose/client.ts';
import {streamLogs, validSince} from '../core/compose/logs.ts';

const usage = 'logs <model>/app<N> [--service S ...] [--follow] [--tail N] [--since T] [--json]';

const command: Command = {
	name: 'logs',
	summary: "Show an app's container logs",
	usage,
	details: `Lines are prefixed with the service name, in time order across services and stdout/stderr.
With --json: one JSON object per line ({service, container, stream, text, timestamp}); stream "berth"
marks berth's own lines, and a marker's "event" says what happened while following.

Options:
  --service, -s S   only this service (repeatable)
  --follow, -f      keep printing new lines; says once when the app stops, is removed, restarts,
                    or the Docker Engine goes and comes back (Ctrl-C stops)
  --tail N          only the last N lines of each container
  --since T         only lines since T: RFC 3339 time, Unix time, or a duration such as 10m`,
	options: {service: {type: 'string', multiple: true, short: 's'}, follow: {type: 'boolean', short: 'f'}, tail: {type: 'string'}, since: {type: 'string'}},
	positionals: {min: 1, max: 1},
	async run({positionals, values, root, storeFile, env, out, signal}) {
		const app = appArgument(positionals, usage);
		const tailValue = values['tail'];
		if (tailValue !== undefined && (typeof tailValue !== 'string' || !/^\d+$/.test(tailValue))) {
			throw new UsageError(`invalid --tail ${JSON.stringify(tailValue)}: give a number of lines, e.g. --tail 100`);
		}
		const since = values['since'] as string | undefined;
		if (since !== undefined && !validSince(since)) {
			throw new UsageError(`invalid --since ${JSON.stringify(since)}: give a time (2026-01-02T15:04:05Z), a Unix time, or a duration such as 10m or 1h30m`);
		}
		const target = await resolveTarget(root, storeFile, app);
		const lines = streamLogs(
			target.projectName,
			{
				services: (values['service'] as string[] | undefined) ?? [],
				follow: values['follow'] === true,
				tail: tailValue === undefined ? undefined : Number(tailValue),
				since,
				signal,
			},
			engineEnvOf(target, env),
		);
		const width = 12;
		for await (const line of lines) {
			if (out.json) process.stdout.write(JSON.stringify(line) + '\n');
			else if (line.stream === 'berth') out.line(out.paint('yellow', `-- ${line.text}`));
			else out.line(`${out.paint('cyan', line.service.padEnd(width))}| ${keepColours(line.text)}`);
		}
		return 0;
	},
};

export default command;
