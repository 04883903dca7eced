/**
 * node:crypto, loaded on first use. It is not part of Node's start-up snapshot (loading it costs ~7 ms of
 * CPU), and most commands hash or draw nothing: `ps` and `ls` only read the store, and hash only a model
 * whose project name collides or a docker context other than the default.
 */
export function nodeCrypto(): typeof import('node:crypto') {
	return process.getBuiltinModule('node:crypto');
}
