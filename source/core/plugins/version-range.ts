/** Minimal semver ranges for the manifest's `berth` field: space-separated comparators, all must hold. */

type Triple = [number, number, number];

function parse(version: string): Triple {
	const [major = 0, minor = 0, patch = 0] = version.replace(/-.*$/, '').split('.').map(Number);
	return [major, minor, patch];
}

function compare(a: Triple, b: Triple): number {
	for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
	return 0;
}

/** Does `version` (x.y.z) satisfy `range` (e.g. ">=0.1.0 <2", "^0.1.0", "~1.2")? */
export function satisfies(version: string, range: string): boolean {
	const v = parse(version);
	return range
		.trim()
		.split(/\s+/)
		.every(part => {
			const match = /^(\^|~|>=|<=|>|<|=)?(.*)$/.exec(part)!;
			const op = match[1] ?? '=';
			const given = match[2]!;
			const parts = given.split('.').length;
			const b = parse(given);
			const c = compare(v, b);
			switch (op) {
				case '>=':
					return c >= 0;
				case '>':
					return c > 0;
				case '<=':
					return c <= 0;
				case '<':
					return c < 0;
				case '^': {
					// ^1.2.3 := >=1.2.3 <2; ^0.2.3 := >=0.2.3 <0.3; ^0.0.3 := exactly 0.0.3
					const upper: Triple = b[0] > 0 ? [b[0] + 1, 0, 0] : b[1] > 0 ? [0, b[1] + 1, 0] : [0, 0, b[2] + 1];
					return c >= 0 && compare(v, upper) < 0;
				}
				case '~': {
					const upper: Triple = parts === 1 ? [b[0] + 1, 0, 0] : [b[0], b[1] + 1, 0];
					return c >= 0 && compare(v, upper) < 0;
				}
				default:
					// "=1" matches any 1.x.y; "=1.2" any 1.2.x
					return parts === 3 ? c === 0 : v.slice(0, parts).every((n, i) => n === b[i]);
			}
		});
}
