import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {cleanup} from 'ink-testing-library';
import {fakeServices, fakeWorkspace, projectStates, runningService} from '../fake-services.ts';
import {renderApp} from '../render-app.tsx';
import type {ProjectStates} from '../../../source/ui/services.ts';

afterEach(() => cleanup());

/** Fake services whose live watch has not answered yet; `answer` makes it answer. */
function silentWatch() {
	const fake = fakeServices(fakeWorkspace(2, 2));
	let answer: (states: ProjectStates) => void = () => assert.fail('the UI never started the watch');
	fake.watchStates = onStates => {
		answer = onStates;
	};
	return {fake, answer: (states: ProjectStates) => answer(states)};
}

test('before the Engine answers, the frame claims no state: counts and badges are unknown', async () => {
	const {fake} = silentWatch();
	const app = renderApp(fake);
	const frame = await app.waitFor('model-002');
	const lines = frame.split('\n');
	assert.match(lines[0]!, /running … {2}unhealthy …/);
	assert.doesNotMatch(frame, /running 0|unhealthy 0/);
	assert.match(frame, /┃>model-001 …\/2┃/);
	assert.match(frame, /┃ model-002 …\/2┃/);
	assert.doesNotMatch(frame, /not-created|running\b(?! …)|down|exited/);
	assert.match(frame, /app1 unknown/);
	assert.match(frame, /app2 unknown/);
	app.unmount();
});

test('the first snapshot replaces every placeholder with the real state', async () => {
	const {fake, answer} = silentWatch();
	const app = renderApp(fake);
	await app.waitFor('model-002');
	answer(projectStates(fake.workspace, {'model-001-app2': [runningService('web')]}));
	const frame = await app.waitFor('running 1');
	assert.match(frame.split('\n')[0]!, /running 1 {2}unhealthy 0/);
	assert.match(frame, /┃>model-001 1\/2┃/);
	assert.match(frame, /┃ model-002 0\/2┃/);
	assert.match(frame, /app1 not-created/);
	assert.match(frame, /app2 running/);
	assert.doesNotMatch(frame, /…\/2|unknown/);
	app.unmount();
});
