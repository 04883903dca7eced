/** The wizard's text field: keys in one read, a paste, typing faster than the screen. */
import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {cleanup, render} from 'ink-testing-library';
import {useState} from 'react';
import {TextPrompt} from '../../../source/ui/components/TextPrompt.tsx';
import {tick} from '../render-app.tsx';

afterEach(cleanup);

/** The field as a form holds it: its value in the parent's state. */
function Field({submitted}: {submitted: string[]}) {
	const [value, setValue] = useState('');
	return <TextPrompt label="name: " value={value} onChange={setValue} onSubmit={v => submitted.push(v)} onCancel={() => submitted.push('<esc>')} />;
}

function field() {
	const submitted: string[] = [];
	return {...render(<Field submitted={submitted} />), submitted};
}

test('a chunk of keys is typed in order: text, backspace, enter', async () => {
	const f = field();
	await tick();
	f.stdin.write('webx\u007F-1\r');
	await tick();
	assert.deepEqual(f.submitted, ['web-1']);
	assert.equal(f.lastFrame(), 'name: web-1▏');
});

test('a bracketed paste goes in whole, its line breaks as spaces; nothing is submitted', async () => {
	const f = field();
	await tick();
	f.stdin.write('\u001B[200~my\r\napp\u001B[201~');
	await tick();
	assert.equal(f.lastFrame(), 'name: my app▏');
	assert.deepEqual(f.submitted, []);
});

test('keys written before a redraw each build on the one before', async () => {
	const f = field();
	await tick();
	for (const key of 'hello') f.stdin.write(key);
	f.stdin.write('\r');
	await tick();
	assert.deepEqual(f.submitted, ['hello']);
});
