import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {parse} from 'yaml';
import {appHazards, type Hazard} from '../../../source/core/compose/hazards.ts';
import {servicesOf, type AppModel} from '../../../source/core/compose/model.ts';

// What compose v2 2.26.1 (`docker compose -p hz --profile '*' config --format json`) and v1 1.29.2
// (`docker-compose -p hz config`) printed for test/fixtures/compose-config/hazards.compose.yaml, in an
// app folder since renamed to /apps/shop/app1.
const APP = '/apps/shop/app1';
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/compose-config/${name}`, import.meta.url), 'utf8');
const v2 = JSON.parse(fixture('hazards.v2.json')) as Record<string, unknown>;
const v1 = parse(fixture('hazards.v1.yaml')) as Record<string, unknown>;

function modelOf(config: Record<string, unknown> | null, extra: Partial<AppModel> = {}): AppModel {
	const warnings: string[] = [];
	const services = config ? servicesOf(config, {}, `${APP}/compose.yaml`, warnings) : [];
	assert.deepEqual(warnings, []);
	return {files: [`${APP}/compose.yaml`], source: 'compose v2 2.26.1', services, config, error: null, warnings, declaredName: null, ...extra};
}

const summary = (hazards: Hazard[]) => hazards.map(h => `${h.kind} ${h.service ?? '-'}`).sort();

const EXPECTED = [
	'bind-outside web', // /srv/shared (read-only binds, the docker socket and ./data are not)
	'container-ip web',
	'env-mentions-port web', // PUBLIC_URL
	'env-mentions-port web', // SERVERPORT (OTHER=18080 and LISTEN=80 do not mention 8080)
	'external-network web',
	'external-volume -', // shared: web and worker
	'fixed-subnet web',
	'host-network agent',
	'host-range web',
];

for (const [flavour, config] of [
	['v2', v2],
	['v1', v1],
] as const) {
	test(`appHazards: everything compose ${flavour} printed that two copies share or fix`, () => {
		const hazards = appHazards(modelOf(config), APP);
		assert.deepEqual(summary(hazards), EXPECTED);
		const message = (kind: Hazard['kind']) => hazards.filter(h => h.kind === kind).map(h => h.message);
		assert.match(message('bind-outside')[0]!, /service "web" mounts \/srv\/shared, outside the app folder.*own/);
		assert.match(message('container-ip')[0]!, /service "web" has the fixed address 172\.28\.0\.5 on network "fixed".*Remove ipv4_address/);
		assert.deepEqual(
			message('env-mentions-port').map(m => /: (\w+)=/.exec(m)![1]),
			['PUBLIC_URL', 'SERVERPORT'],
		);
		assert.match(message('env-mentions-port')[0]!, /mentions published port 8080/);
		assert.match(message('external-network')[0]!, /network "outside" is external.*"web"/);
		assert.match(message('external-volume')[0]!, /volume "shared" is external.*"web" and "worker"/);
		assert.match(message('fixed-subnet')[0]!, /network "fixed" has the fixed subnet 172\.28\.0\.0\/16.*Remove the ipam subnet/);
		assert.match(message('host-network')[0]!, /service "agent" uses the host's network/);
		assert.match(message('host-range')[0]!, /service "web" publishes container port 81\/tcp on one port of the host range 9100-9110/);
	});
}

test('appHazards: a bind mount inside the app folder and a named volume are not shared', () => {
	const config = {
		services: {
			web: {
				image: 'berth-test/busybox',
				ports: [{mode: 'ingress', target: 80, published: '8080', protocol: 'tcp'}],
				volumes: [
					{type: 'bind', source: `${APP}/data`, target: '/data', bind: {create_host_path: true}},
					{type: 'bind', source: APP, target: '/app'},
					{type: 'volume', source: 'cache', target: '/cache', volume: {}},
				],
				environment: {PORT: '80', SIBLING: '/apps/shop/app10/data'},
			},
		},
		volumes: {cache: {name: 'x_cache'}},
	};
	assert.deepEqual(appHazards(modelOf(config), APP), []);
	// A sibling folder whose name starts like the app's is outside it.
	config.services.web.volumes.push({type: 'bind', source: '/apps/shop/app10/data', target: '/other', bind: {create_host_path: true}});
	assert.deepEqual(summary(appHazards(modelOf(config), APP)), ['bind-outside web']);
});

test('appHazards: a project name the compose file sets is named, with what to do', () => {
	const hazards = appHazards(modelOf(null, {declaredName: 'shop'}), APP);
	assert.deepEqual(summary(hazards), ['project-name -']);
	assert.match(hazards[0]!.message, /sets the project name "shop".*Remove the name: line/);
});

test("appHazards: berth's reader (no config) still names the host network and host ranges", () => {
	const model = modelOf(v2);
	const hazards = appHazards({...model, config: null, source: "berth's reader"}, APP);
	assert.deepEqual(summary(hazards), ['host-network agent', 'host-range web']);
});

test('appHazards: a service only in an inactive profile says so', () => {
	const config = {services: {tool: {image: 'berth-test/busybox', network_mode: 'host', profiles: ['debug']}}};
	const hazards = appHazards(modelOf(config), APP);
	assert.match(hazards[0]!.message, /\(only with profile "debug"\)/);
});

test('appHazards: a refused model has no hazards to name', () => {
	assert.deepEqual(appHazards(modelOf(null, {error: 'compose refused it'}), APP), []);
});
