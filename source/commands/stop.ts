import {actionCommand} from './compose-action.ts';

export default actionCommand({action: 'stop', summary: "Stop an app's stack (containers are kept)", done: 'stopped', timeout: true});
