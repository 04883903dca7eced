import {ENGINE_HELP, ENGINE_OPTION, engineOption} from './engine-option.ts';
import type {Command} from './command.ts';
import type {Output} from './output.ts';
import {BerthError, UsageError} from '../core/errors.ts';
import {formatAppRef, parseAppRef, parseModelId} from '../core/ids.ts';
import {openStore} from '../core/ports/store.ts';
import {ADOPT_RANGE, parsePortRange, type PortRange} from '../core/ports/free-port.ts';
import {discoverWorkspace, type WorkspaceApp} from '../core/workspace/discover.ts';
import {findCompose} from '../core/compose/detect.ts';
import {adoptComposeProblem, ADOPT_MIN_COMPOSE, type AdoptResult} from '../core/compose/adopt.ts';
import {adoptReport, type AdoptReport} from '../core/compose/adopt-report.ts';

const usage = 'adopt <model>/app<N> | --model M | --all [--dry-run] [--undo] [--range FROM-TO] [--json]';

type Row = AdoptReport;

/** The apps a selection names: one app, a model's apps, or all of them. */
function selectApps(apps: readonly WorkspaceApp[], values: Record<string, unknown>, positionals: string[], root: string): WorkspaceApp[] {
	const chosen = [positionals.length > 0, values['model'] !== undefined, values['all'] === true].filter(Boolean).length;
	if (chosen !== 1) throw new UsageError(`name what to adopt: one <model>/app<N>, --model M or --all. Usage: berth ${usage}`);
	if (positionals.length > 0) {
		const ref = parseAppRef(positionals[0]!);
		const app = apps.find(a => a.model === ref.model && a.number === ref.number);
		if (!app) throw new BerthError(`${formatAppRef(ref)} has no folder under ${root}. Pass the right --root.`, {code: 'no-app'});
		return [app];
	}
	if (values['model'] !== undefined) {
		const model = parseModelId(String(values['model']));
		const list = apps.filter(a => a.model === model);
		if (list.length === 0) throw new BerthError(`model ${model} has no apps under ${root}.`, {code: 'no-app'});
		return list;
	}
	return [...apps];
}

function describePort(p: AdoptResult['ports'][number]): string {
	const ips = p.hostIps.map(ip => ip ?? '*').join(',');
	return `${p.service} ${p.target}/${p.protocols.join('+')} on ${ips}: ${p.original.join(',')} -> ${p.allocated}`;
}

function printRow(out: Output, row: Row): void {
	const style = row.status === 'failed' ? 'red' : ['adopted', 'would-adopt', 'undone', 'would-undo'].includes(row.status) ? 'green' : 'dim';
	out.line(`${out.paint('bold', row.app)} ${out.paint(style, row.status)}: ${row.message}`);
	for (const p of row.ports) out.line(`  ${row.status === 'undone' ? 'released ' : ''}${describePort(p)}`);
	for (const r of row.released) if (row.status !== 'undone' && row.status !== 'would-undo') out.line(`  released ${r.slot} (${r.port}): no longer published`);
	for (const c of row.containerNames) out.line(`  ${c.service} container_name: ${c.original} -> ${c.replaced}`);
	for (const k of row.kept.filter(k => /own allocated/.test(k.reason)))
		out.line(out.paint('dim', `  left as is: ${k.service} ${k.published}:${k.target}/${k.protocol} (${k.reason})`));
	for (const h of row.hazards) out.line(`  ${out.paint('yellow', 'cannot be made safe:')} ${h.service ? `${h.service}: ` : ''}${h.message}`);
	for (const warning of row.warnings ?? []) out.warn(warning);
}

const command: Command = {
	name: 'adopt',
	summary: 'Make a compose app safe to run beside the others (remap its fixed ports and container names)',
	usage,
	details: `For compose apps berth did not scaffold: every host port the app publishes gets a port of its own
from the port store — one per service and container port (a port published for tcp and udp gets one
number for both), on the host address the app chose — and a fixed container_name is replaced by one
derived from the app's compose project name. berth writes this into its own override file (beside the
port store, never in the app folder) and passes it last to every compose call of the app: no file of
the app is edited. The slots are named after service and container port (web-8080, dns-53-udp).

Re-running is idempotent; after the app's compose files change, run it again: new ports get slots,
vanished ones are released. An app scaffolded from a flavour needs no adoption. Needs compose v2
${ADOPT_MIN_COMPOSE} or newer (its !override tag); with compose v1 or an older v2 it fails and changes nothing.
A running app keeps its old ports until it is started again ("berth up").

Options:
  --model M          every app of model M
  --all              every app under the apps root
  --dry-run          print the remapping and what cannot be made safe; write nothing
  --undo             remove berth's override and release the adopted ports
  --range FROM-TO    where new ports come from (default ${ADOPT_RANGE.from}-${ADOPT_RANGE.to}); lowest free first
${ENGINE_HELP}

Exit status 1 when an app failed (the others are still done), 2 for a usage error.`,
	options: {model: {type: 'string'}, all: {type: 'boolean'}, 'dry-run': {type: 'boolean'}, undo: {type: 'boolean'}, range: {type: 'string'}, ...ENGINE_OPTION},
	positionals: {min: 0, max: 1},
	async run({values, positionals, root, storeFile, env, out, signal}) {
		let range: PortRange = ADOPT_RANGE;
		if (values['range'] !== undefined) {
			const parsed = parsePortRange(String(values['range']));
			if (typeof parsed === 'string') throw new UsageError(`invalid --range ${parsed}`);
			range = parsed;
		}
		const dryRun = values['dry-run'] === true;
		const undo = values['undo'] === true;
		const engine = await engineOption({values, env, out});
		const workspace = await discoverWorkspace(root, await openStore(storeFile).read());
		const apps = selectApps(
			workspace.models.flatMap(m => m.apps),
			values,
			positionals,
			root,
		);
		const binary = undo ? null : await findCompose(env);
		if (!undo) {
			const problem = adoptComposeProblem(binary, env);
			if (problem) throw new BerthError(problem, {code: 'compose-too-old'});
		}
		const rows: Row[] = [];
		// One app at a time: each takes the store's lock, and probes run in order within the range.
		for (const app of apps) {
			if (signal.aborted) break;
			const row = await adoptReport(app, {storeFile, binary, env, dryRun, range, names: workspace.names, signal, undo, ...(engine ? {engine} : {})});
			rows.push(row);
		}
		const count = (status: string) => rows.filter(r => r.status === status).length;
		const failed = count('failed');
		if (out.json) {
			const statuses = ['adopted', 'would-adopt', 'unchanged', 'nothing-to-adopt', 'flavour', 'undone', 'would-undo', 'not-adopted', 'failed'];
			out.data({
				dryRun,
				undo,
				apps: rows,
				summary: Object.fromEntries(statuses.map(s => [s, count(s)])),
			});
			return failed > 0 ? 1 : 0;
		}
		for (const row of rows) printRow(out, row);
		if (rows.length > 1 || dryRun) {
			const done = undo
				? dryRun
					? `${count('would-undo')} would be undone`
					: `${count('undone')} undone`
				: dryRun
					? `${count('would-adopt')} would be adopted`
					: `${count('adopted')} adopted`;
			out.line(
				`${rows.length} app(s): ${done}, ${count('unchanged') + count('nothing-to-adopt') + count('not-adopted')} unchanged, ${count('flavour')} flavour app(s) skipped, ${failed} failed.${dryRun ? ' Dry run: nothing written.' : ''}`,
			);
		}
		return failed > 0 ? 1 : 0;
	},
};

export default command;
