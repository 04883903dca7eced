import type {ParseArgsConfig} from 'node:util';

/**
 * The options every berth command takes. Also read by bin/berth.js, which must tell the TUI (no
 * command) from a subcommand before loading berth: an option that takes a value is not a command.
 */
export const GLOBAL_OPTIONS = {
	root: {type: 'string'},
	store: {type: 'string'},
	plugin: {type: 'string', multiple: true},
	json: {type: 'boolean'},
	'no-color': {type: 'boolean'},
	debug: {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'V'},
} satisfies NonNullable<ParseArgsConfig['options']>;
