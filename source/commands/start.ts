import {actionCommand} from './compose-action.ts';

export default actionCommand({action: 'start', summary: "Start the stopped containers of an app's stack", done: 'started', timeout: false});
