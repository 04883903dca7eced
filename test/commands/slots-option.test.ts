import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdir} from 'node:fs/promises';
import fc from 'fast-check';
import {parseSlotsOption} from '../../source/commands/slots-option.ts';
import {UsageError} from '../../source/core/errors.ts';
import {candidates, MAX_PORT, MIN_PORT} from '../../source/core/ports/allocator.ts';
import {parseJson, runCli} from '../helpers/cli.ts';
import {tempDir} from '../helpers/temp.ts';

test('overlapping --slot values: exit 2 naming both slots and the shared port, the store untouched', async () => {
	const dir = await tempDir();
	const store = `${dir}/ports.json`;
	const cases: [string[], RegExp][] = [
		[['a=5000:2', 'b=5000:2'], /--slot: slots a and b overlap: both give port 5000 to the same app \(index 0\)/],
		[['a=5000', 'b=5000'], /slots a and b overlap: both give port 5000/],
		[['web=6000:1', 'api=5990:2'], /slots web and api overlap: both give port 6010 to the same app \(index 10\)/],
	];
	for (const [slots, message] of cases) {
		for (const json of [false, true]) {
			const result = await runCli(['ports', 'allocate', 'm/app1', ...slots.flatMap(s => ['--slot', s]), '--store', store, ...(json ? ['--json'] : [])]);
			assert.equal(result.exitCode, 2, `${slots.join(' ')}: ${result.stderr}`);
			assert.match(result.stderr, message);
			assert.doesNotMatch(result.stderr, /no free ports/);
			if (json) assert.equal(parseJson<{error: {code: string}}>(result).error.code, 'usage');
		}
	}
	assert.deepEqual(await readdir(dir), [], 'the store was written');
});

test('slots whose ports interleave but never meet at one app are fine (a=B:2 b=B+1:2)', async () => {
	const dir = await tempDir();
	const store = `${dir}/ports.json`;
	// A base of its own: another test's stack may hold the ports near 5000 (the probes then skip them).
	const base = 30_000 + 2 * Math.floor(Math.random() * 10_000);
	const got: Record<string, number>[] = [];
	for (const n of [1, 2]) {
		const result = await runCli(['ports', 'allocate', `m/app${n}`, '--slot', `a=${base}:2`, '--slot', `b=${base + 1}:2`, '--store', store, '--json']);
		assert.equal(result.exitCode, 0, result.stderr);
		got.push(parseJson<{ports: Record<string, number>}>(result).ports);
	}
	for (const ports of got) {
		assert.equal((ports['a']! - base) % 2, 0);
		assert.equal(ports['b'], ports['a']! + 1, 'one app gets one index of both slots');
	}
	assert.ok(got[1]!['a']! > got[0]!['a']!);
});

const SLOT_TEXT = fc.oneof(
	fc.string({maxLength: 24}),
	fc.string({unit: 'binary', maxLength: 24}),
	fc
		.tuple(
			fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/),
			fc.oneof(fc.constantFrom(1024, 5000, 5001, 5010, 65_535), fc.nat({max: 70_000}), fc.bigInt({min: 0n, max: 10n ** 25n})),
			fc.option(fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.nat({max: 70_000}))),
		)
		.map(([name, base, step]) => `${name}=${base}${step === null ? '' : `:${step}`}`),
);

test('fuzz: any --slot values give usable slots or a UsageError, never a crash or a hang (bounded)', () => {
	const started = Date.now();
	let runs = 0;
	fc.assert(
		fc.property(fc.array(SLOT_TEXT, {maxLength: 4}), values => {
			runs++;
			let slots;
			try {
				slots = parseSlotsOption(values);
			} catch (error) {
				assert.ok(error instanceof UsageError, `${JSON.stringify(values)}: ${String(error)}`);
				assert.equal(error.exitCode, 2);
				return;
			}
			// Accepted slots are sound: ports in range, no port twice for one app, a first candidate exists.
			for (const slot of slots) assert.ok(slot.base >= MIN_PORT && slot.base <= MAX_PORT && Number.isInteger(slot.step) && slot.step >= 1);
			for (const ports of [candidates(slots, new Set()).next().value]) {
				assert.ok(ports, `${JSON.stringify(values)}: accepted, but no candidate at all`);
				assert.equal(new Set(Object.values(ports)).size, slots.length);
			}
		}),
		{numRuns: 3000, interruptAfterTimeLimit: 1500},
	);
	assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
	console.log(`# --slot fuzz: ${runs} inputs in ${Date.now() - started} ms`);
});
