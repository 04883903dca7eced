/**
 * One colour rule for both surfaces (issue 9): the same table of environments decides the command
 * line's output and the terminal UI's, and each surface shows what the table says. Before, an empty
 * NO_COLOR turned the UI's colour off but not the command line's, and NO_COLOR=1 kept bold in the UI
 * while --no-color took it away.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import {colorMode, type ColorMode} from '../../source/core/color.ts';
import {createOutput} from '../../source/commands/output.ts';
import {resolveConfig} from '../../source/core/config.ts';
import {applyColorMode} from '../../source/ui/theme/apply-color-mode.ts';
import {themeFor} from '../../source/ui/theme/theme.ts';
import {ThemeProvider} from '../../source/ui/contexts/theme-context.tsx';
import {ListRow} from '../../source/ui/components/ListRow.tsx';

interface Row {
	what: string;
	env: NodeJS.ProcessEnv;
	tty: boolean;
	flag?: boolean;
	mode: ColorMode;
}

const ENVIRONMENTS: Row[] = [
	{what: 'a terminal', env: {TERM: 'xterm'}, tty: true, mode: 'color'},
	{what: 'an empty NO_COLOR (does not count)', env: {TERM: 'xterm', NO_COLOR: ''}, tty: true, mode: 'color'},
	{what: 'NO_COLOR=1', env: {TERM: 'xterm', NO_COLOR: '1'}, tty: true, mode: 'mono'},
	{what: '--no-color', env: {TERM: 'xterm'}, tty: true, flag: true, mode: 'mono'},
	{what: 'FORCE_COLOR=0', env: {TERM: 'xterm', FORCE_COLOR: '0'}, tty: true, mode: 'mono'},
	{what: 'FORCE_COLOR=false', env: {TERM: 'xterm', FORCE_COLOR: 'false'}, tty: true, mode: 'mono'},
	{what: 'an empty FORCE_COLOR (does not count)', env: {FORCE_COLOR: ''}, tty: false, mode: 'plain'},
	{what: 'TERM=dumb', env: {TERM: 'dumb'}, tty: true, mode: 'plain'},
	{what: 'a pipe', env: {TERM: 'xterm'}, tty: false, mode: 'plain'},
	{what: 'a pipe, NO_COLOR=1', env: {NO_COLOR: '1'}, tty: false, mode: 'plain'},
	{what: 'a pipe, FORCE_COLOR=1', env: {FORCE_COLOR: '1'}, tty: false, mode: 'color'},
	{what: 'TERM=dumb, FORCE_COLOR=1', env: {TERM: 'dumb', FORCE_COLOR: '1'}, tty: true, mode: 'color'},
	{what: 'a pipe, FORCE_COLOR=1 and NO_COLOR=1', env: {FORCE_COLOR: '1', NO_COLOR: '1'}, tty: false, mode: 'mono'},
	{what: 'a pipe, FORCE_COLOR=1 and --no-color', env: {FORCE_COLOR: '1'}, tty: false, flag: true, mode: 'mono'},
];

const COLOUR = /\u001B\[(3[0-7]|9[0-7])m/;
const BOLD = /\u001B\[1m/;

/** What a surface wrote: has it colour, has it bold? */
function seen(text: string) {
	return {colour: COLOUR.test(text), bold: BOLD.test(text)};
}

const expected = (mode: ColorMode) => ({colour: mode === 'color', bold: mode !== 'plain'});

/** The mode both surfaces get: resolved with the rest of the global options (source/cli.tsx). */
const resolved = (row: Row) => resolveConfig({'no-color': row.flag}, row.env, '/', {stdout: {isTTY: row.tty}}).color;

test('the colour rule: --no-color, NO_COLOR (non-empty), FORCE_COLOR, TERM=dumb, a terminal or not', () => {
	for (const row of ENVIRONMENTS) assert.equal(colorMode({noColorFlag: row.flag ?? false, env: row.env, isTTY: row.tty}), row.mode, row.what);
});

test('the command line styles its output as the table says (colour, and bold but in plain)', () => {
	for (const row of ENVIRONMENTS) {
		let written = '';
		const stdout = {isTTY: row.tty, write: (chunk: string) => (written += chunk)};
		const out = createOutput({json: false, color: resolved(row), stdout, stderr: stdout});
		out.line(`${out.paint('bold', 'app1')} ${out.paint('red', 'error')}`);
		assert.deepEqual(seen(written), expected(row.mode), `${row.what}: ${JSON.stringify(written)}`);
		assert.equal(written.replace(/\u001B\[\d+m/g, ''), 'app1 error\n', row.what);
	}
});

test('the terminal UI styles its frames as the table says (the same rule, through the theme and Ink)', () => {
	for (const row of ENVIRONMENTS) {
		const mode = resolved(row);
		const restore = applyColorMode(mode);
		try {
			const {lastFrame, unmount} = render(
				<ThemeProvider theme={themeFor(mode)}>
					<ListRow text="app1 " selected focused cells={[{text: 'error', tone: 'error'}]} />
				</ThemeProvider>,
			);
			const frame = lastFrame() ?? '';
			unmount();
			assert.deepEqual(seen(frame), expected(row.mode), `${row.what}: ${JSON.stringify(frame)}`);
			assert.equal(frame.replace(/\u001B\[\d+m/g, ''), '>app1 error', row.what);
		} finally {
			restore();
		}
	}
});
