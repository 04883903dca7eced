import {execa} from 'execa';

/**
 * Asks the desktop to open `url` in the browser (open / xdg-open / explorer) and says what happened,
 * as a line for the user: on a server without a desktop the opener is missing, and the URL is the
 * useful answer. The opener is detached and its output ignored: nothing reaches the terminal.
 */
export async function openUrl(url: string, env: NodeJS.ProcessEnv): Promise<string> {
	const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
	const result = await execa(opener, [url], {reject: false, stdio: 'ignore', detached: true, timeout: 5000, env});
	if (result.failed) return `open ${url} in your browser (${opener} is not available here)`;
	return `opened ${url}`;
}
