import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import fc from 'fast-check';
import {appPath, formatAppRef, modelIdProblem, parseAppNumber, parseAppRef, parseModelId} from '../../source/core/ids.ts';
import {UsageError} from '../../source/core/errors.ts';

const ROOT = path.resolve('/srv/generated/apps');

/** Pieces a hostile or unlucky user types: separators, dots, digits, unicode look-alikes, control characters. */
const piece = fc.constantFrom(
	'/',
	'\\',
	'.',
	'..',
	'../',
	'/..',
	'app',
	'app1',
	'app0',
	'app01',
	'1',
	'0',
	'9'.repeat(20),
	'm',
	'a-b',
	'a_b',
	'a.b',
	'-',
	'_',
	'A',
	'é',
	'\u0661',
	'\uff11',
	'\u2024',
	'\u2215',
	'\u00a0',
	' ',
	'\t',
	'\n',
	'\r',
	'\0',
	'\u001b[2J',
	'\u007f',
	'\u009b2J',
	'\u202e',
	'\u2028',
	'\ud800',
	'\u{1f600}',
	'%2e%2e',
	'~',
	'$HOME',
	'*',
);
const crafted = fc.array(piece, {maxLength: 12}).map(parts => parts.join(''));
const huge = fc
	.tuple(fc.constantFrom('m/app', 'a', '../', '9', 'é/'), fc.integer({min: 10_000, max: 200_000}), fc.string({maxLength: 8}))
	.map(([unit, n, tail]) => unit.repeat(Math.ceil(n / unit.length)) + tail);
const anyText = fc.oneof(
	{weight: 3, arbitrary: crafted},
	{weight: 2, arbitrary: fc.string({unit: 'binary', maxLength: 64})},
	{weight: 2, arbitrary: fc.string({unit: 'grapheme', maxLength: 64})},
	{weight: 2, arbitrary: fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/), fc.string({maxLength: 6})).map(([m, n]) => `${m}/app${n}`)},
	{weight: 1, arbitrary: huge},
);

/** The outcome of a parse: its value, or the UsageError it threw — any other exception fails the test. */
function outcome<T>(parse: () => T): {value: T} | {error: UsageError} {
	try {
		return {value: parse()};
	} catch (error) {
		assert.ok(error instanceof UsageError, `not a UsageError: ${String(error)}`);
		assert.equal(error.exitCode, 2);
		assert.ok(error.message.length > 0);
		// The input is quoted, escaped and bounded: no control character or screenful reaches the terminal.
		assert.ok(error.message.length <= 400, `message of ${error.message.length} characters`);
		assert.doesNotMatch(error.message, /[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/);
		return {error};
	}
}

// Bounded: 1,500 + 1,000 inputs take about 0.1-0.2 s (FUZZ_RUNS=100000 for a longer hunt).
test('fuzz: every app reference is a valid AppRef inside the root or a UsageError with a message', () => {
	fc.assert(
		fc.property(anyText, text => {
			const result = outcome(() => parseAppRef(text));
			if ('error' in result) return;
			const ref = result.value;
			assert.equal(modelIdProblem(ref.model), null);
			assert.ok(Number.isSafeInteger(ref.number) && ref.number >= 1);
			assert.equal(formatAppRef(ref), text);
			const folder = path.resolve(appPath(ROOT, ref));
			assert.equal(path.dirname(path.dirname(folder)), ROOT, `${text} -> ${folder}`);
		}),
		{numRuns: Number(process.env['FUZZ_RUNS'] ?? 1500)},
	);
});

test('fuzz: model ids and app numbers alone', () => {
	fc.assert(
		fc.property(anyText, text => {
			const model = outcome(() => parseModelId(text));
			if ('value' in model) {
				assert.equal(model.value, text);
				assert.equal(path.dirname(path.resolve(ROOT, model.value)), ROOT);
			}
			const number = outcome(() => parseAppNumber(text));
			if ('value' in number) assert.ok(Number.isSafeInteger(number.value) && number.value >= 1 && String(number.value) === text);
		}),
		{numRuns: 1000},
	);
});
