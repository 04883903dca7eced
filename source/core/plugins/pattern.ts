/**
 * A variable's `pattern`, matched in linear time (issue 8: nothing hangs).
 *
 * JavaScript's RegExp backtracks: `(a+)+`, `(a|a)*` or `(\w+\s?)*$` against a crafted value of 30-40
 * characters takes minutes to hours, in berth's own thread, out of reach of Ctrl-C. A static check for
 * "dangerous shapes" is never complete (`\d*\d*\d*\d*x` is polynomial, not exponential, and still hangs on
 * 4 KiB), and a worker with a timeout costs a thread start per check and differs between runtimes. So berth
 * does not backtrack at all: it parses the pattern (after RegExp itself accepted it, so syntax is JS's own)
 * into a Thompson NFA and runs it as a Pike VM over the value: every step visits each state at most once,
 * O(value length x states), whatever the pattern's shape. The per-character tests (`[a-z]`, `\p{L}`, `.`)
 * are delegated to a one-character RegExp, so their meaning is exactly JS's.
 *
 * What a linear engine cannot do is refused when the manifest is read, with the reason: backreferences,
 * lookahead/lookbehind and modifier groups. Bounds: a pattern has at most 1,000 characters and 2,000 NFA
 * states once counted repetitions are expanded; a value checked against a pattern at most 4,096 characters.
 */

/** Longest value checked against a pattern (characters). */
export const MAX_PATTERN_VALUE = 4096;
/** Longest pattern source (characters). */
export const MAX_PATTERN_LENGTH = 1000;
/** Most NFA states of a pattern once `{n,m}` is expanded: the cost of each character of the value. */
export const MAX_PATTERN_STATES = 2000;

type Node =
	| {type: 'char'; source: string}
	| {type: 'seq'; items: Node[]}
	| {type: 'alt'; branches: Node[]}
	| {type: 'repeat'; node: Node; min: number; max: number}
	| {type: 'assert'; kind: Assertion};

type Assertion = 'start' | 'end' | 'word' | 'not-word';

/** A pattern berth cannot run in linear time, or that is too large; the message says why and what to write instead. */
export class PatternRefused extends Error {}

/** Parses the body of a pattern RegExp already accepted (flag `u`); throws PatternRefused. */
class Parser {
	private i = 0;
	private readonly src: string;
	constructor(src: string) {
		this.src = src;
	}

	parse(): Node {
		const node = this.alternation();
		if (this.i < this.src.length) throw new PatternRefused(`has a ")" at position ${this.i + 1} without its "(": the pattern must be balanced on its own`);
		return node;
	}

	private alternation(): Node {
		const branches = [this.sequence()];
		while (this.src[this.i] === '|') {
			this.i++;
			branches.push(this.sequence());
		}
		return branches.length === 1 ? branches[0]! : {type: 'alt', branches};
	}

	private sequence(): Node {
		const items: Node[] = [];
		while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') items.push(this.quantified(this.atom()));
		return {type: 'seq', items};
	}

	private quantified(node: Node): Node {
		for (;;) {
			const c = this.src[this.i];
			let min: number;
			let max: number;
			if (c === '*') [min, max] = [0, Infinity];
			else if (c === '+') [min, max] = [1, Infinity];
			else if (c === '?') [min, max] = [0, 1];
			else if (c === '{') {
				const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
				if (!m) return node;
				min = Number(m[1]);
				max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
				this.i += m[0].length - 1;
			} else return node;
			this.i++;
			if (this.src[this.i] === '?') this.i++; // lazy: the same set of values matches
			node = {type: 'repeat', node, min, max};
		}
	}

	private atom(): Node {
		const {src} = this;
		const c = src[this.i]!;
		if (c === '^' || c === '$') {
			this.i++;
			return {type: 'assert', kind: c === '^' ? 'start' : 'end'};
		}
		if (c === '(') return this.group();
		if (c === '[') {
			const start = this.i++;
			if (src[this.i] === '^') this.i++;
			while (src[this.i] !== ']') this.i += src[this.i] === '\\' ? 2 : 1;
			this.i++;
			return {type: 'char', source: src.slice(start, this.i)};
		}
		if (c === '\\') return this.escape();
		const cp = src.codePointAt(this.i)!;
		const start = this.i;
		this.i += cp > 0xff_ff ? 2 : 1;
		return {type: 'char', source: src.slice(start, this.i)};
	}

	private group(): Node {
		const {src} = this;
		this.i++;
		if (src.startsWith('?:', this.i)) this.i += 2;
		else if (src.startsWith('?=', this.i) || src.startsWith('?!', this.i)) {
			throw new PatternRefused(
				'uses a lookahead ((?=...) or (?!...)), which berth cannot match in bounded time; express the condition with classes and alternatives, or use "choices"',
			);
		} else if (src.startsWith('?<=', this.i) || src.startsWith('?<!', this.i)) {
			throw new PatternRefused(
				'uses a lookbehind ((?<=...) or (?<!...)), which berth cannot match in bounded time; express the condition with classes and alternatives, or use "choices"',
			);
		} else if (src.startsWith('?<', this.i)) this.i = src.indexOf('>', this.i) + 1;
		else if (src[this.i] === '?') {
			throw new PatternRefused('uses a modifier group such as (?i:...), which berth does not support; spell the cases out, e.g. [Aa]');
		}
		const node = this.alternation();
		this.i++; // ")": RegExp accepted the source, and parse() refuses a stray one
		return node;
	}

	private escape(): Node {
		const {src} = this;
		const start = this.i;
		const next = src[this.i + 1]!;
		this.i += 2;
		if (next === 'b' || next === 'B') return {type: 'assert', kind: next === 'b' ? 'word' : 'not-word'};
		if (/[1-9]/.test(next) || next === 'k') {
			throw new PatternRefused('uses a backreference (\\1 or \\k<name>), which berth cannot match in bounded time; repeat the group itself or use "choices"');
		}
		if (next === 'p' || next === 'P' || (next === 'u' && src[this.i] === '{')) this.i = src.indexOf('}', this.i) + 1;
		else if (next === 'x') this.i += 2;
		else if (next === 'c') this.i += 1;
		else if (next === 'u') {
			this.i += 4;
			// A surrogate pair written as two escapes is one code point in a `u` pattern.
			const lead = Number.parseInt(src.slice(this.i - 4, this.i), 16);
			if (lead >= 0xd8_00 && lead <= 0xdb_ff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(src.slice(this.i))) this.i += 6;
		}
		return {type: 'char', source: src.slice(start, this.i)};
	}
}

// Not an enum: lint's sandboxed renderer runs this file under Node's type stripping, which has none.
const Op = {Char: 0, Split: 1, Jump: 2, Assert: 3, Match: 4} as const;
type Op = (typeof Op)[keyof typeof Op];

interface State {
	op: Op;
	/** Char: the index of its test; Assert: the assertion. */
	test?: number;
	kind?: Assertion;
	next: number;
	alt: number;
}

/** Thompson construction into a flat state list; refuses a pattern whose expansion passes MAX_PATTERN_STATES. */
class Compiler {
	readonly states: State[] = [];
	readonly tests: RegExp[] = [];
	private readonly testIndex = new Map<string, number>();

	private add(state: Omit<State, 'next' | 'alt'> & Partial<State>): number {
		if (this.states.length >= MAX_PATTERN_STATES) {
			throw new PatternRefused(`is too large: its counted repetitions ({n,m}) expand to more than ${MAX_PATTERN_STATES} steps; use smaller counts or + and *`);
		}
		this.states.push({next: -1, alt: -1, ...state});
		return this.states.length - 1;
	}

	/** Emits `node` so that it continues at the state returned by `patch`'s caller; returns [entry, exits to patch]. */
	emit(node: Node): {entry: number; exits: Array<[number, 'next' | 'alt']>} {
		switch (node.type) {
			case 'char': {
				let test = this.testIndex.get(node.source);
				if (test === undefined) {
					test = this.tests.push(new RegExp(`^(?:${node.source})$`, 'u')) - 1;
					this.testIndex.set(node.source, test);
				}
				const s = this.add({op: Op.Char, test});
				return {entry: s, exits: [[s, 'next']]};
			}
			case 'assert': {
				const s = this.add({op: Op.Assert, kind: node.kind});
				return {entry: s, exits: [[s, 'next']]};
			}
			case 'seq': {
				if (node.items.length === 0) {
					const s = this.add({op: Op.Jump});
					return {entry: s, exits: [[s, 'next']]};
				}
				let first: ReturnType<Compiler['emit']> | undefined;
				let exits: Array<[number, 'next' | 'alt']> = [];
				for (const item of node.items) {
					const part = this.emit(item);
					if (first) this.patch(exits, part.entry);
					else first = part;
					exits = part.exits;
				}
				return {entry: first!.entry, exits};
			}
			case 'alt': {
				// A chain of splits: split(b0, split(b1, ... bn)).
				const exits: Array<[number, 'next' | 'alt']> = [];
				let entry = -1;
				let previous = -1;
				node.branches.forEach((branch, k) => {
					const last = k === node.branches.length - 1;
					const split = last ? -1 : this.add({op: Op.Split});
					const part = this.emit(branch);
					exits.push(...part.exits);
					const here = last ? part.entry : split;
					if (!last) this.states[split]!.next = part.entry;
					if (previous >= 0) this.states[previous]!.alt = here;
					else entry = here;
					previous = split;
				});
				return {entry, exits};
			}
			case 'repeat': {
				const parts: Node[] = [];
				for (let k = 0; k < node.min; k++) parts.push(node.node);
				const mandatory = parts.length > 0 ? this.emit({type: 'seq', items: parts}) : undefined;
				let tail: ReturnType<Compiler['emit']>;
				if (node.max === Infinity) {
					// loop: split(body -> loop, out)
					const loop = this.add({op: Op.Split});
					const body = this.emit(node.node);
					this.states[loop]!.next = body.entry;
					this.patch(body.exits, loop);
					tail = {entry: loop, exits: [[loop, 'alt']]};
				} else if (node.max > node.min) {
					// optional copies, nested: split(body -> split(body -> ...), out)
					const exits: Array<[number, 'next' | 'alt']> = [];
					let entry = -1;
					let pending: Array<[number, 'next' | 'alt']> = [];
					for (let k = node.min; k < node.max; k++) {
						const split = this.add({op: Op.Split});
						if (entry < 0) entry = split;
						this.patch(pending, split);
						const body = this.emit(node.node);
						this.states[split]!.next = body.entry;
						exits.push([split, 'alt']);
						pending = body.exits;
					}
					tail = {entry, exits: [...exits, ...pending]};
				} else {
					const s = this.add({op: Op.Jump});
					tail = {entry: s, exits: [[s, 'next']]};
				}
				if (!mandatory) return tail;
				this.patch(mandatory.exits, tail.entry);
				return {entry: mandatory.entry, exits: tail.exits};
			}
		}
	}

	patch(exits: Array<[number, 'next' | 'alt']>, target: number): void {
		for (const [state, field] of exits) this.states[state]![field] = target;
	}
}

/** A compiled pattern: `test` matches the whole value in O(value length x states). */
export interface Pattern {
	readonly source: string;
	/** Whether the whole of `value` matches; `value` must be at most MAX_PATTERN_VALUE characters. */
	test(value: string): boolean;
}

function isWordUnit(value: string, index: number): boolean {
	const c = value.charCodeAt(index);
	return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function compile(source: string): Pattern {
	if (source.length > MAX_PATTERN_LENGTH) throw new PatternRefused(`is ${source.length} characters long; a pattern may have at most ${MAX_PATTERN_LENGTH}`);
	try {
		// RegExp decides what is valid syntax (flag u); berth then runs it without backtracking.
		new RegExp(`^(?:${source})$`, 'u');
	} catch (error) {
		// "Invalid regular expression: /^(?:{)$/u: Lone quantifier brackets": the reason, without berth's wrapping.
		throw new PatternRefused(`is not a valid regular expression (${(error as Error).message.split(': ').at(-1)})`);
	}
	const compiler = new Compiler();
	const body = compiler.emit(new Parser(source).parse());
	const match = compiler.states.length;
	compiler.states.push({op: Op.Match, next: -1, alt: -1});
	compiler.patch(body.exits, match);
	const {states, tests} = compiler;
	const memo = tests.map(() => new Map<number, boolean>());
	const holds = (test: number, char: string): boolean => {
		const cp = char.codePointAt(0)!;
		let result = memo[test]!.get(cp);
		if (result === undefined) {
			result = tests[test]!.test(char);
			memo[test]!.set(cp, result);
		}
		return result;
	};
	return {
		source,
		test(value: string): boolean {
			if (value.length > MAX_PATTERN_VALUE) throw new RangeError(`value longer than ${MAX_PATTERN_VALUE} characters`);
			const seen = new Int32Array(states.length).fill(-1);
			let current: number[] = [];
			let next: number[] = [];
			const stack: number[] = [];
			let generation = 0;
			// Follows the empty moves from `start` at string index `pos`, each state once per step.
			const close = (start: number, pos: number, into: number[]) => {
				stack.push(start);
				while (stack.length > 0) {
					const s = stack.pop()!;
					if (seen[s] === generation) continue;
					seen[s] = generation;
					const state = states[s]!;
					if (state.op === Op.Split) stack.push(state.alt, state.next);
					else if (state.op === Op.Jump) stack.push(state.next);
					else if (state.op === Op.Assert) {
						if (assertion(state.kind!, value, pos)) stack.push(state.next);
					} else into.push(s);
				}
			};
			close(0, 0, current);
			let pos = 0;
			while (pos < value.length) {
				const cp = value.codePointAt(pos)!;
				const char = String.fromCodePoint(cp);
				const after = pos + char.length;
				generation++;
				next.length = 0;
				for (const s of current) {
					const state = states[s]!;
					if (state.op === Op.Char && holds(state.test!, char)) close(state.next, after, next);
				}
				[current, next] = [next, current];
				if (current.length === 0) return false;
				pos = after;
			}
			return current.some(s => states[s]!.op === Op.Match);
		},
	};
}

function assertion(kind: Assertion, value: string, pos: number): boolean {
	switch (kind) {
		case 'start':
			return pos === 0;
		case 'end':
			return pos === value.length;
		default: {
			const boundary = (pos > 0 && isWordUnit(value, pos - 1)) !== (pos < value.length && isWordUnit(value, pos));
			return kind === 'word' ? boundary : !boundary;
		}
	}
}

const cache = new Map<string, Pattern | PatternRefused>();

/** The compiled `source`, or the PatternRefused saying why berth will not run it (cached: manifests repeat). */
export function compilePattern(source: string): Pattern | PatternRefused {
	let result = cache.get(source);
	if (result === undefined) {
		try {
			result = compile(source);
		} catch (error) {
			if (!(error instanceof PatternRefused)) throw error;
			result = error;
		}
		if (cache.size >= 256) cache.clear();
		cache.set(source, result);
	}
	return result;
}
