import {randomBytes} from 'node:crypto';
import {
	closeSync,
	constants,
	fchmodSync,
	fstatSync,
	linkSync,
	lstatSync,
	mkdirSync,
	openSync,
	realpathSync,
	renameSync,
	rmdirSync,
	statSync,
	unlinkSync,
	writeSync,
} from 'node:fs';
import path from 'node:path';
import {BerthError} from '../errors.ts';
import {UnsafePathError} from './plan.ts';

/*
 * Writes into an app folder that cannot be redirected while berth writes. Node has no openat(), so every
 * folder is opened as a handle (O_DIRECTORY | O_NOFOLLOW: a symlink is refused, never followed), one level
 * at a time from the app folder, and each name is then reached through that handle: on Linux as
 * /proc/self/fd/<fd>/<name>, which the kernel resolves to the opened folder itself, not to whatever the
 * path names now. A folder swapped for a symlink after it was opened changes nothing; one swapped before
 * is refused. Elsewhere (no /proc) names are reached by path and every folder handle is checked to be the
 * folder its path names, inside the app folder's real path (create, then verify).
 * Files are written to a temporary name (O_CREAT | O_EXCL | O_NOFOLLOW) and moved into place: link() for a
 * new file (fails if anything appeared there since the plan), rename() to replace one (neither follows a
 * symlink at the final name). Everything made is remembered so `rollback` can undo it.
 */

const {O_RDONLY, O_WRONLY, O_CREAT, O_EXCL} = constants;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
const NEW_FILE_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

/** A write into the app folder failed: names the path and the reason. */
export class WriteError extends BerthError {
	override name = 'WriteError';
	constructor(message: string, cause?: unknown) {
		super(message, {code: 'write-failed', cause});
	}
}

const REASONS: Record<string, string> = {
	EACCES: 'permission denied',
	EPERM: 'operation not permitted (read-only or immutable?)',
	EROFS: 'read-only file system',
	ENOSPC: 'no space left on the device',
	EDQUOT: 'disk quota exceeded',
	ENOTDIR: 'a file is where a folder should be',
	EISDIR: 'a folder is in the way',
	EEXIST: 'something appeared there since berth planned the scaffold',
	ENOENT: 'its folder was removed while berth was writing',
	ELOOP: 'it is a symbolic link',
	EMFILE: 'too many open files',
	EIO: 'input/output error',
};

/** "permission denied (EACCES)" for a file-system error, else its message. */
export function fsReason(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | null)?.code;
	if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
	return error instanceof Error ? error.message : String(error);
}

interface Dir {
	fd: number;
	/** The path it was opened as, for messages (and for access when not anchored). */
	path: string;
}

function errno(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | null)?.code;
}

function tempName(kind: string): string {
	return `.berth-${randomBytes(6).toString('hex')}.${kind}`;
}

export class AppWriter {
	/** Open folder handles by path relative to the app folder ('' is the app folder). */
	private readonly dirs = new Map<string, Dir>();
	private readonly handles: Dir[] = [];
	/** What to undo, in order of making. */
	private readonly undo: {what: string; run: () => void}[] = [];
	private readonly backups: {dir: Dir; name: string}[] = [];
	private anchored = false;
	private realApp = '';
	/** Files made or replaced, relative to the app folder. */
	readonly written: string[] = [];

	readonly appDir: string;

	private constructor(appDir: string) {
		this.appDir = appDir;
	}

	/**
	 * Opens (creating when needed) `<root>/<model>/<app>`. The apps root may be reached through links
	 * (it is the user's choice); the model and app folders may not.
	 */
	static open(root: string, model: string, app: string): AppWriter {
		const writer = new AppWriter(path.join(root, model, app));
		try {
			mkdirSync(root, {recursive: true});
			const rootDir = writer.handle(openSync(root, O_RDONLY | O_DIRECTORY), root);
			writer.anchored = anchoredAt(rootDir.fd);
			const modelDir = writer.openChild(rootDir, model, path.join(root, model));
			const appDir = writer.openChild(modelDir, app, writer.appDir);
			writer.realApp = realpathSync(writer.appDir);
			writer.dirs.set('', appDir);
			if (!writer.anchored) writer.verify(appDir, writer.appDir);
			return writer;
		} catch (error) {
			writer.rollback();
			throw writer.failure(writer.appDir, error);
		}
	}

	/** Writes one file. `replace`: it may exist (and is then replaced); else it must not. */
	writeFile(relative: string, content: Uint8Array, options: {mode: number | null; replace: boolean}): void {
		const parts = relative.split('/');
		const name = parts.pop()!;
		const display = path.join(this.appDir, ...parts, name);
		try {
			const dir = this.folder(parts);
			const temp = tempName('tmp');
			const fd = openSync(this.at(dir, temp), NEW_FILE_FLAGS, options.mode ?? 0o666);
			const undoTemp = {what: path.join(dir.path, temp), run: () => unlinkSync(this.at(dir, temp))};
			this.undo.push(undoTemp);
			try {
				for (let offset = 0; offset < content.length; ) offset += writeSync(fd, content, offset, content.length - offset);
				// The mode was set at open, from the first byte; chmod once more past the umask.
				if (options.mode !== null) fchmodSync(fd, options.mode);
			} finally {
				closeSync(fd);
			}
			if (!this.anchored) this.verifyFile(dir, temp);
			if (options.replace) {
				// A hard link keeps the file being replaced, so a rollback can put it back.
				const backup = tempName('bak');
				let kept = false;
				try {
					linkSync(this.at(dir, name), this.at(dir, backup));
					kept = true;
				} catch (error) {
					if (errno(error) !== 'ENOENT') throw error;
				}
				if (kept) this.backups.push({dir, name: backup});
				renameSync(this.at(dir, temp), this.at(dir, name));
				this.undo.splice(this.undo.indexOf(undoTemp), 1);
				this.undo.push({what: display, run: () => (kept ? renameSync(this.at(dir, backup), this.at(dir, name)) : unlinkSync(this.at(dir, name)))});
			} else {
				this.linkNew(dir, temp, name);
				this.undo.push({what: display, run: () => unlinkSync(this.at(dir, name))});
			}
			this.written.push(relative);
		} catch (error) {
			throw this.failure(display, error);
		}
	}

	/** Keeps what was written: drops the backups of replaced files, closes the folders. */
	finish(): void {
		for (const {dir, name} of this.backups) {
			try {
				unlinkSync(this.at(dir, name));
			} catch {
				// already gone: nothing to keep
			}
		}
		this.backups.length = 0;
		this.undo.length = 0;
		this.close();
	}

	/** Undoes everything this writer made, newest first; returns what could not be undone. */
	rollback(): string[] {
		const left: string[] = [];
		for (const step of this.undo.reverse()) {
			try {
				step.run();
			} catch (error) {
				// Gone already, or a folder someone else has put files in since: leave it.
				if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(errno(error) ?? '')) left.push(`${step.what} (${fsReason(error)})`);
			}
		}
		this.undo.length = 0;
		this.backups.length = 0;
		this.written.length = 0;
		this.close();
		return left;
	}

	private close(): void {
		for (const dir of this.handles.splice(0)) {
			try {
				closeSync(dir.fd);
			} catch {
				// closed already
			}
		}
		this.dirs.clear();
	}

	private handle(fd: number, display: string): Dir {
		const dir = {fd, path: display};
		this.handles.push(dir);
		return dir;
	}

	/** How to reach `name` inside `dir`: through the handle when anchored, else by path. */
	private at(dir: Dir, name: string): string {
		return this.anchored ? `/proc/self/fd/${dir.fd}/${name}` : path.join(dir.path, name);
	}

	/** The handle of a folder inside the app folder, opened (and made) one level at a time. */
	private folder(parts: readonly string[]): Dir {
		let dir = this.dirs.get('')!;
		for (let i = 0; i < parts.length; i++) {
			const key = parts.slice(0, i + 1).join('/');
			const known = this.dirs.get(key);
			if (known) {
				dir = known;
				continue;
			}
			dir = this.openChild(dir, parts[i]!, path.join(this.appDir, ...parts.slice(0, i + 1)));
			if (!this.anchored) this.verify(dir, dir.path);
			this.dirs.set(key, dir);
		}
		return dir;
	}

	/** Makes (when absent, recording it for rollback) and opens the folder `name` in `parent`, refusing a symlink. */
	private openChild(parent: Dir, name: string, display: string): Dir {
		try {
			mkdirSync(this.at(parent, name));
			this.undo.push({what: display, run: () => rmdirSync(this.at(parent, name))});
		} catch (error) {
			if (errno(error) !== 'EEXIST') throw error;
		}
		try {
			return this.handle(openSync(this.at(parent, name), DIR_FLAGS), display);
		} catch (error) {
			const code = errno(error);
			if (code !== 'ENOTDIR' && code !== 'ELOOP') throw error;
			if (lstatSync(this.at(parent, name), {throwIfNoEntry: false})?.isSymbolicLink()) {
				throw new UnsafePathError(`${display} is a symbolic link; berth does not write through links (it could leave the app folder)`);
			}
			throw new WriteError(`${display} is not a folder; berth needs a folder there`, error);
		}
	}

	/** Moves the finished temp file to a new name; fails if anything is there now (never replaces it). */
	private linkNew(dir: Dir, temp: string, name: string): void {
		try {
			linkSync(this.at(dir, temp), this.at(dir, name));
		} catch (error) {
			const code = errno(error);
			// File systems without hard links: rename, after checking the name is still free.
			if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
			if (lstatSync(this.at(dir, name), {throwIfNoEntry: false})) throw Object.assign(new Error('exists'), {code: 'EEXIST'});
			renameSync(this.at(dir, temp), this.at(dir, name));
			return;
		}
		unlinkSync(this.at(dir, temp));
	}

	/** Without /proc: the folder handle must be the folder its path names, inside the app folder. */
	private verify(dir: Dir, display: string): void {
		const real = realpathSync(dir.path);
		const held = fstatSync(dir.fd);
		const named = statSync(real);
		if ((real !== this.realApp && !real.startsWith(this.realApp + path.sep)) || held.ino !== named.ino || held.dev !== named.dev) {
			throw new UnsafePathError(`${display} changed while berth was writing (it now leads to ${real}); nothing is written outside the app folder`);
		}
	}

	/** Without /proc: the temp file must be where its folder's handle is, else it is removed. */
	private verifyFile(dir: Dir, temp: string): void {
		try {
			this.verify(dir, dir.path);
		} catch (error) {
			try {
				unlinkSync(path.join(dir.path, temp));
			} catch {
				// not there (or not ours): the check above already failed the write
			}
			throw error;
		}
	}

	private failure(display: string, error: unknown): BerthError {
		if (error instanceof BerthError) return error;
		return new WriteError(`could not write ${display}: ${fsReason(error)}`, error);
	}
}

/** Does /proc/self/fd/<fd> reach the very folder this handle holds? (Linux: yes.) */
function anchoredAt(fd: number): boolean {
	try {
		const held = fstatSync(fd);
		const named = statSync(`/proc/self/fd/${fd}`);
		return held.ino === named.ino && held.dev === named.dev;
	} catch {
		return false;
	}
}
