import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {keymapMarkdown} from '../../source/ui/keymap.ts';
import {ROOT} from '../helpers/runtime.ts';

test('docs/tui.md holds the keymap table generated from the one keymap', async () => {
	const docs = await readFile(path.join(ROOT, 'docs', 'tui.md'), 'utf8');
	assert.ok(docs.includes(`${keymapMarkdown()}\n`), 'docs/tui.md is out of date: paste keymapMarkdown() into its Keys section');
});
