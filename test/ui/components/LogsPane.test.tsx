import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {cleanup} from 'ink-testing-library';
import {LogsPane} from '../../../source/ui/components/LogsPane.tsx';
import {useLogStream} from '../../../source/ui/hooks/use-log-stream.ts';
import type {WorkspaceApp} from '../../../source/ui/services.ts';
import {fakeServices, fakeWorkspace} from '../fake-services.ts';
import {renderWithProviders, tick} from '../render-app.tsx';

afterEach(() => cleanup());

/** The log pane as the App wires it: the stream hook feeding the pane. */
function Logs({app, service = null, width = 50, height = 7}: {app: WorkspaceApp; service?: string | null; width?: number; height?: number}) {
	const logs = useLogStream(app, {flushMs: 10, service});
	return (
		<LogsPane appId={app.id} service={service} buffer={logs.buffer} status={logs.status} scroll={0} filter="" focused={false} width={width} height={height} />
	);
}

async function waitFor(frame: () => string, text: string) {
	const until = Date.now() + 5000;
	while (Date.now() < until && !frame().includes(text)) await tick(10);
	assert.ok(frame().includes(text), `frame never showed ${text}:\n${frame()}`);
}

test("one service's logs alone: only its lines, the title names it", async () => {
	const services = fakeServices(fakeWorkspace(1, 1));
	const app = services.workspace.models[0]!.apps[0]!;
	const feed = services.feed(app.id);
	feed.push({service: 'worker', text: 'worker line 1'}, {service: 'web', text: 'GET / 200'}, {service: 'worker', text: 'worker line 2'});
	const view = renderWithProviders(<Logs app={app} service="worker" />, services);
	const frame = () => view.lastFrame() ?? '';
	await waitFor(frame, 'worker line 2');
	assert.deepEqual(services.followed, [{app: 'model-001/app1', services: ['worker']}]);
	assert.equal(
		frame(),
		[
			'┌────────────────────────────────────────────────┐',
			'│Logs · model-001/app1 · worker (following)      │',
			'│── following model-001/app1 · worker ──         │',
			'│worker | worker line 1                          │',
			'│worker | worker line 2                          │',
			'│                                                │',
			'└────────────────────────────────────────────────┘',
		].join('\n'),
	);
	view.unmount();
});
