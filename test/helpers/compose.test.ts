import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {parse as parseYaml} from 'yaml';
import {tempDir} from './temp.ts';
import {comparableConfig, composeConfigs, composeUnderTest} from './compose.ts';
import {availableComposes} from '../../source/core/lint/compose-check.ts';

// One file using what berth's flavours use: build, short and long depends_on, ports, a named volume, a bind.
const COMPOSE_FILE = `services:
  api:
    build: ./
    container_name: x-api
    environment:
      A: "1"
    ports:
      - "127.0.0.1:5000:5000"
      - "6000:6000/udp"
    depends_on:
      db:
        condition: service_healthy
    restart: unless-stopped
  web:
    image: busybox
    depends_on: [api]
  db:
    image: busybox
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
    volumes:
      - data:/data
      - ./x:/x:ro
volumes:
  data: {}
`;

// What docker-compose 1.29.2 and docker compose 2.26.1 print for it (project folder /p/cfg).
const V1 = `services:
  api:
    build:
      context: /p/cfg
    container_name: x-api
    depends_on:
      db:
        condition: service_healthy
    environment:
      A: '1'
    ports:
    - 127.0.0.1:5000:5000/tcp
    - protocol: udp
      published: 6000
      target: 6000
    restart: unless-stopped
  db:
    healthcheck:
      interval: 1s
      test:
      - CMD
      - "true"
    image: busybox
    volumes:
    - data:/data:rw
    - /p/cfg/x:/x:ro
  web:
    depends_on:
      api:
        condition: service_started
    image: busybox
version: '3.9'
volumes:
  data: {}
`;

const V2 = `name: cfg
services:
  api:
    build:
      context: /p/cfg
      dockerfile: Dockerfile
    container_name: x-api
    depends_on:
      db:
        condition: service_healthy
        required: true
    environment:
      A: "1"
    networks:
      default: null
    ports:
      - mode: ingress
        host_ip: 127.0.0.1
        target: 5000
        published: "5000"
        protocol: tcp
      - mode: ingress
        target: 6000
        published: "6000"
        protocol: udp
    restart: unless-stopped
  db:
    healthcheck:
      test:
        - CMD
        - "true"
      interval: 1s
    image: busybox
    networks:
      default: null
    volumes:
      - type: volume
        source: data
        target: /data
        volume: {}
      - type: bind
        source: /p/cfg/x
        target: /x
        read_only: true
        bind:
          create_host_path: true
  web:
    depends_on:
      api:
        condition: service_started
        required: true
    image: busybox
    networks:
      default: null
networks:
  default:
    name: cfg_default
volumes:
  data:
    name: cfg_data
`;

test('comparableConfig: what v1 and v2 print for one file is the same model', () => {
	const v1 = comparableConfig(parseYaml(V1));
	assert.deepEqual(comparableConfig(parseYaml(V2)), v1);
	assert.deepEqual(v1.services['api']!.depends_on, {db: {condition: 'service_healthy'}});
	assert.deepEqual(v1.services['web']!.depends_on, {api: {condition: 'service_started'}});
	assert.deepEqual(v1.services['api']!.ports, [
		{host_ip: '127.0.0.1', published: 5000, target: 5000, protocol: 'tcp'},
		{host_ip: '0.0.0.0', published: 6000, target: 6000, protocol: 'udp'},
	]);
	assert.deepEqual(v1.services['db']!.volumes, [
		{type: 'volume', source: 'data', target: '/data', read_only: false},
		{type: 'bind', source: '/p/cfg/x', target: '/x', read_only: true},
	]);
});

test('comparableConfig: a real difference between the two still shows', () => {
	const v1 = comparableConfig(parseYaml(V1));
	const differences: [string, string][] = [
		['condition: service_healthy\n        required: true', 'condition: service_started\n        required: true'],
		['required: true\n    environment', 'required: false\n    environment'],
		['published: "5000"', 'published: "5001"'],
		['host_ip: 127.0.0.1', 'host_ip: 0.0.0.0'],
		['read_only: true', 'read_only: false'],
		['dockerfile: Dockerfile', 'dockerfile: Dockerfile.prod'],
		['A: "1"', 'A: "2"'],
		['name: cfg_data', 'name: shared_data'],
		['  default:\n    name: cfg_default', '  default:\n    name: elsewhere'],
	];
	for (const [from, to] of differences) {
		assert.ok(V2.includes(from), from);
		assert.notDeepEqual(comparableConfig(parseYaml(V2.replace(from, to))), v1, `${from} -> ${to} went unnoticed`);
	}
});

test('every compose here prints the same comparable config for one file', async t => {
	const composes = await availableComposes();
	if (composes.length === 0 && process.env['CI'] !== 'true') return t.skip('no docker compose / docker-compose here');
	// CI installs both (.ci/run): comparing them is the point of this test there.
	if (process.env['CI'] === 'true')
		assert.deepEqual(
			composes.map(c => c.flavour),
			['v2', 'v1'],
			'CI has compose v2 and v1',
		);
	const dir = path.join(await tempDir(), 'cfg');
	await mkdir(dir);
	await writeFile(path.join(dir, 'docker-compose.yml'), COMPOSE_FILE);
	const [first, ...others] = await composeConfigs(dir);
	assert.deepEqual(first!.model, comparableConfig(parseYaml(V1.replaceAll('/p/cfg', dir))), first!.compose);
	for (const other of others) assert.deepEqual(other.model, first!.model, `${other.compose} vs ${first!.compose}`);
});

test('the compose under test is the one berth picks: BERTH_COMPOSE, else v2 when present, else v1', async () => {
	const composes = await availableComposes();
	const forced = process.env['BERTH_COMPOSE'];
	const expected = forced === 'v1' || forced === 'v2' ? composes.find(c => c.flavour === forced) : composes[0];
	assert.equal((await composeUnderTest())?.flavour, expected?.flavour);
});
