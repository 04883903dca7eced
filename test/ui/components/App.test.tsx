import {test} from 'node:test';
import assert from 'node:assert/strict';
import {fakeServices} from '../fake-services.ts';
import {renderApp, tick} from '../render-app.tsx';

test('first frame', async () => {
	const services = fakeServices();
	const app = renderApp(services);
	await app.waitFor('model-001');
	await tick(50);
	console.log(app.frame());
	app.unmount();
});
