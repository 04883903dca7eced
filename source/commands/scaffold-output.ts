import type {Output} from './output.ts';
import type {CommitResult, Plan} from '../core/scaffold/index.ts';

/** The JSON of a plan (never the file contents: .env holds secrets). */
export function planJson(plan: Plan, result: CommitResult | null, dryRun: boolean): Record<string, unknown> {
	return {
		app: `${plan.app.model}/app${plan.app.number}`,
		model: plan.app.model,
		number: plan.app.number,
		dir: plan.appDir,
		flavour: plan.flavour,
		projectName: plan.projectName,
		ports: plan.ports,
		dryRun,
		changed: dryRun ? false : result !== null && (result.written.length > 0 || result.allocationCreated),
		wouldChange: plan.changes,
		summary: plan.summary,
		files: plan.files.map(f => ({path: f.path, action: f.action, write: f.write, ...(f.reason ? {reason: f.reason} : {})})),
		stateFile: plan.stateFile,
		warnings: plan.warnings,
		...(result ? {written: result.written, skipped: result.skipped} : {}),
	};
}

const WIDTH = 'identical'.length;

/** The plan as aligned lines: action, path, reason. */
export function printPlan(out: Output, plan: Plan, indent = '  '): void {
	for (const file of plan.files) {
		const style = file.action === 'create' ? 'green' : file.action === 'conflict' ? (file.write ? 'yellow' : 'red') : 'dim';
		const action = file.action === 'conflict' && file.write ? 'overwrite' : file.action;
		out.line(`${indent}${out.paint(style, action.padEnd(WIDTH))}  ${file.path}${file.reason ? out.paint('dim', ` — ${file.reason}`) : ''}`);
	}
	if (plan.stateFile.action !== 'unchanged')
		out.line(`${indent}${out.paint(plan.stateFile.action === 'create' ? 'green' : 'yellow', plan.stateFile.action.padEnd(WIDTH))}  ${plan.stateFile.path}`);
}

export function portsText(ports: Record<string, number>): string {
	const entries = Object.entries(ports);
	return entries.length > 0 ? entries.map(([slot, port]) => `${slot}=${port}`).join(' ') : 'no ports';
}
