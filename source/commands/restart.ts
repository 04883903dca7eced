import {actionCommand} from './compose-action.ts';

export default actionCommand({action: 'restart', summary: "Restart an app's stack", done: 'restarted', timeout: true});
