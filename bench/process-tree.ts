// CPU time of a process and everything it started, from Linux's /proc.
import {readdir, readFile} from 'node:fs/promises';

/** One process of a tree, as /proc/<pid>/stat and cmdline tell it. */
export interface TreeProcess {
	pid: number;
	ppid: number;
	/** The command line, arguments joined with spaces. */
	command: string;
	/** user + system CPU seconds of the process itself and of its children it has reaped. */
	cpuSeconds: number;
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux this runs on (`getconf CLK_TCK`)

async function readProcess(pid: number): Promise<TreeProcess | null> {
	try {
		const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
		// The command name in parentheses may hold spaces: the fields start after the last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// fields[0] is field 3 (state): ppid is field 4; utime, stime, cutime, cstime are fields 14-17.
		const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
		const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ');
		return {pid, ppid: Number(fields[1]), command, cpuSeconds: ticks / CLOCK_TICKS};
	} catch {
		// Gone between the listing and the read.
		return null;
	}
}

/** `root` and every living descendant, parents first. */
export async function processTree(root: number): Promise<TreeProcess[]> {
	const pids = (await readdir('/proc')).filter(name => /^\d+$/.test(name)).map(Number);
	const all = (await Promise.all(pids.map(readProcess))).filter((p): p is TreeProcess => p !== null);
	const children = new Map<number, TreeProcess[]>();
	for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
	const top = all.find(p => p.pid === root);
	if (!top) return [];
	const tree = [top];
	for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!.pid) ?? []));
	return tree;
}

/**
 * CPU seconds used so far by `root` and all its descendants: each living process's own time plus what
 * it reaped from its children, so neither a wrapper that re-executes the real program nor a helper
 * child that already exited is missed, and nothing is counted twice.
 */
export async function treeCpuSeconds(root: number): Promise<number> {
	return (await processTree(root)).reduce((sum, p) => sum + p.cpuSeconds, 0);
}
