import {Eta, type EtaConfig} from 'eta/core';

type Ast = ReturnType<Eta['parse']>;

// Eta's own literal patterns (src/parse.ts): the close-tag search skips strings and comments in a tag.
const TEMPLATE_LITERAL = /`(?:\\[\s\S]|\${(?:[^{}]|{(?:[^{}]|{[^}]*})*})*}|(?!\${)[^\\`])*`/g;
const SINGLE_QUOTED = /'(?:\\[\s\w"'\\`]|[^\n\r'\\])*?'/g;
const DOUBLE_QUOTED = /"(?:\\[\s\w"'\\`]|[^\n\r"\\])*?"/g;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+\-?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The line of every tag of `text`, in order, in one pass: the same scan as Eta's parser (same patterns,
 * same skipping of quoted text and comments inside a tag), counting newlines as it goes. Only called
 * on a template Eta parsed without error.
 */
function tagLines(text: string, config: EtaConfig): number[] {
	const prefixes = [config.parse.exec, config.parse.interpolate, config.parse.raw, ...Object.keys(config.customTags)]
		.filter(Boolean)
		.map(escapeRegExp)
		.join('|');
	const open = new RegExp(`${escapeRegExp(config.tags[0])}(-|_)?\\s*(${prefixes})?\\s*`, 'g');
	const close = new RegExp(`'|"|\`|\\/\\*|(\\s*(-|_)?${escapeRegExp(config.tags[1])})`, 'g');
	const lines: number[] = [];
	let line = 1;
	// The next newline not yet counted (-1: none left), so that a long line is not searched once per tag.
	let newline = text.indexOf('\n');
	for (let match = open.exec(text); match; match = open.exec(text)) {
		for (; newline !== -1 && newline < match.index; newline = text.indexOf('\n', newline + 1)) line++;
		lines.push(line);
		close.lastIndex = open.lastIndex;
		for (let end = close.exec(text); end; end = close.exec(text)) {
			if (end[1]) {
				open.lastIndex = close.lastIndex;
				break;
			}
			const skip = end[0] === '/*' ? null : end[0] === "'" ? SINGLE_QUOTED : end[0] === '"' ? DOUBLE_QUOTED : TEMPLATE_LITERAL;
			// Unclosed: Eta has already refused the template; stop rather than loop.
			if (!skip) {
				const commentEnd = text.indexOf('*/', close.lastIndex);
				if (commentEnd === -1) return lines;
				close.lastIndex = commentEnd;
				continue;
			}
			skip.lastIndex = end.index;
			if (!skip.exec(text)) return lines;
			close.lastIndex = skip.lastIndex;
		}
	}
	return lines;
}

const etaParse = new Eta().parse;

/**
 * Eta whose `debug` line numbers (kept for "files/x.eta: line 4: ..." messages) cost one pass over
 * the template. Eta's parser counts each tag's line by splitting everything before it: quadratic
 * (200,000 tags took 14 s; a 20 MB template over 12 minutes). The AST is Eta's own, parsed
 * without debug; only the line numbers come from tagLines.
 */
export class LinearEta extends Eta {
	override parse = function (this: Eta, text: string): Ast {
		const config = this.config;
		this.config = {...config, debug: false};
		let ast: Ast;
		try {
			ast = etaParse.call(this, text);
		} finally {
			this.config = config;
		}
		// Positions are those of `text` only when no option or plugin rewrites it before parsing.
		if (!config.debug || config.rmWhitespace || config.plugins.some(plugin => plugin.processTemplate)) return config.debug ? etaParse.call(this, text) : ast;
		const lines = tagLines(text, config);
		let index = 0;
		for (const item of ast) if (typeof item !== 'string') item.lineNo = lines[index++];
		return ast;
	};
}
