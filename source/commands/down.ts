import {actionCommand} from './compose-action.ts';

export default actionCommand({
	action: 'down',
	summary: "Remove an app's containers and networks (volumes are kept)",
	done: 'removed',
	timeout: true,
	extraUsage: '[--volumes]',
	extraDetails:
		"  --volumes            also remove the named volumes (the app's data)\n\nWith --service, only those services' containers are stopped and removed.",
	options: {volumes: {type: 'boolean'}},
});
