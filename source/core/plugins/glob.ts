/**
 * A small glob for the manifest's file rules, over POSIX paths: `*` matches within one segment, `**`
 * any number of segments, `?` one character. A pattern without "/" matches the base name anywhere
 * (".dockerignore" matches "backend/.dockerignore"), as in .gitignore.
 */
import {compilePattern, MAX_PATTERN_VALUE, PatternRefused} from './pattern.ts';

/** A glob as the source of a whole-value pattern. */
function globSource(pattern: string): string {
	const anchored = pattern.includes('/');
	let source = '';
	for (let i = 0; i < pattern.length; i++) {
		const char = pattern[i]!;
		if (char === '*' && pattern[i + 1] === '*') {
			const slash = pattern[i + 2] === '/';
			source += slash ? '(?:.*/)?' : '.*';
			i += slash ? 2 : 1;
		} else if (char === '*') source += '[^/]*';
		else if (char === '?') source += '[^/]';
		else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
	}
	return anchored ? source.replace(/^\//, '') : `(?:.*/)?${source}`;
}

export interface GlobMatcher {
	test(path: string): boolean;
}

/**
 * A matcher for `pattern` that runs in time linear in the path (pattern.ts): as a backtracking RegExp,
 * a rule such as `*a*a*a*a*a*a*a*ab` took 36 s on a 60-character name. Throws when the glob is too
 * large to run (over 1,000 characters).
 */
export function globMatcher(pattern: string): GlobMatcher {
	const compiled = compilePattern(globSource(pattern));
	if (compiled instanceof PatternRefused) throw new Error(`the file rule ${JSON.stringify(pattern.slice(0, 80))} ${compiled.message}`);
	return {test: path => path.length <= MAX_PATTERN_VALUE && compiled.test(path)};
}

export function globMatch(pattern: string, path: string): boolean {
	return globMatcher(pattern).test(path);
}
