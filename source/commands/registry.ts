import type {Command} from './command.ts';

/**
 * Every subcommand, loaded on demand so that `berth ports allocate` does not pay for React, Ink or
 * the plugin renderer. Names with a space are subcommands of a group (`ports allocate`).
 */
export interface CommandEntry {
	name: string;
	summary: string;
	load: () => Promise<{default: Command}>;
}

export const COMMANDS: readonly CommandEntry[] = [
	{name: 'ls', summary: 'List models and their apps', load: () => import('./ls.ts')},
	{name: 'ports allocate', summary: 'Get or allocate the host ports of an app', load: () => import('./ports-allocate.ts')},
	{name: 'ports list', summary: 'List every port allocation in the store', load: () => import('./ports-list.ts')},
	{name: 'ports release', summary: "Release an app's ports", load: () => import('./ports-release.ts')},
	{name: 'ports check', summary: 'Find port conflicts (store, host, containers, compose files)', load: () => import('./ports-check.ts')},
	{name: 'up', summary: "Create and start an app's stack (after checking its ports are free)", load: () => import('./up.ts')},
	{name: 'start', summary: "Start the stopped containers of an app's stack", load: () => import('./start.ts')},
	{name: 'stop', summary: "Stop an app's stack (containers are kept)", load: () => import('./stop.ts')},
	{name: 'restart', summary: "Restart an app's stack", load: () => import('./restart.ts')},
	{name: 'down', summary: "Remove an app's containers and networks (volumes are kept)", load: () => import('./down.ts')},
	{name: 'move', summary: "Move an app's stack to another Docker engine", load: () => import('./move.ts')},
	{name: 'adopt', summary: 'Make a compose app safe to run beside the others (remap its fixed ports and container names)', load: () => import('./adopt.ts')},
	{name: 'config', summary: 'Print the effective compose model berth runs for an app', load: () => import('./config.ts')},
	{name: 'ps', summary: 'Show the state of apps and their services', load: () => import('./ps.ts')},
	{name: 'logs', summary: "Show an app's container logs", load: () => import('./logs.ts')},
	{name: 'new', summary: "Scaffold an app's Docker files from a flavour plugin", load: () => import('./new.ts')},
	{name: 'backfill', summary: "Add a flavour's Docker files to existing app folders", load: () => import('./backfill.ts')},
	{name: 'plugins list', summary: 'List the flavour plugins berth finds, with their source and any error', load: () => import('./plugins-list.ts')},
	{name: 'plugins new', summary: 'Write a working flavour plugin skeleton', load: () => import('./plugins-new.ts')},
	{name: 'plugins lint', summary: 'Validate a plugin: manifest, templates, and the rendered compose files', load: () => import('./plugins-lint.ts')},
	{
		name: 'engines',
		summary: 'List the Docker engines berth can use (every Docker context), with their state and berth apps',
		load: () => import('./engines.ts'),
	},
	{name: 'doctor', summary: 'Check the runtime, Docker, compose, the store and the apps root', load: () => import('./doctor.ts')},
];

/** The groups (first words of multi-word commands), e.g. "ports". */
export function commandGroups(): string[] {
	return [...new Set(COMMANDS.filter(c => c.name.includes(' ')).map(c => c.name.split(' ')[0]!))];
}
