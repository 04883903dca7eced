import {test} from 'node:test';
import assert from 'node:assert/strict';
import {isEventStream, RequestSplitter} from './engine-proxy.ts';

const heads = (splitter: RequestSplitter, ...chunks: string[]) =>
	chunks
		.flatMap(chunk => splitter.push(Buffer.from(chunk)))
		.filter(s => s.request)
		.map(s => `${s.request!.method} ${s.request!.path}`);

test('the proxy counts each request once: keep-alive, split heads, bodies that look like requests', () => {
	const splitter = new RequestSplitter();
	assert.deepEqual(heads(splitter, 'HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\nGET /v1.41/containers/json?all=1 HTTP/1.1\r\nHo', 'st: docker\r\n\r\n'), [
		'HEAD /_ping',
		'GET /v1.41/containers/json?all=1',
	]);
	const body = 'GET /not/a/request HTTP/1.1\r\n\r\n';
	assert.deepEqual(
		heads(
			splitter,
			`POST /v1.41/containers/x/kill HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
			`${body.slice(5)}GET /events HTTP/1.1\r\n\r\n`,
		),
		['POST /v1.41/containers/x/kill', 'GET /events'],
	);
	// Every byte is passed on, in order.
	const again = new RequestSplitter();
	const input = 'GET /a HTTP/1.0\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\n\r\n';
	const out = [input.slice(0, 7), input.slice(7, 40), input.slice(40)]
		.flatMap(chunk => again.push(Buffer.from(chunk)))
		.map(s => s.bytes.toString())
		.join('');
	assert.equal(out, input);
});

test('after an upgrade the proxy passes bytes on without reading them as requests', () => {
	const splitter = new RequestSplitter();
	assert.deepEqual(heads(splitter, 'POST /containers/x/attach HTTP/1.1\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n\r\n', 'GET /inside HTTP/1.1\r\n\r\n'), [
		'POST /containers/x/attach',
	]);
	assert.equal(isEventStream({method: 'GET', path: '/v1.41/events?filters=%7B%7D'}), true);
	assert.equal(isEventStream({method: 'GET', path: '/events'}), true);
	assert.equal(isEventStream({method: 'GET', path: '/containers/json'}), false);
});
