/**
 * A small glob for the manifest's file rules, over POSIX paths: `*` matches within one segment, `**`
 * any number of segments, `?` one character. A pattern without "/" matches the base name anywhere
 * (".dockerignore" matches "backend/.dockerignore"), as in .gitignore.
 */
export function globToRegExp(pattern: string): RegExp {
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
	return new RegExp(anchored ? `^${source.replace(/^\//, '')}$` : `(?:^|/)${source}$`);
}

export function globMatch(pattern: string, path: string): boolean {
	return globToRegExp(pattern).test(path);
}
