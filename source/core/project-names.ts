import {formatAppRef, type AppRef} from './ids.ts';
import {nodeCrypto} from './node-crypto.ts';

/**
 * Compose project names, unique by construction. The one rule, used by discovery, allocation and
 * every lifecycle command:
 * 1. A name already pinned for the app (its store allocation, else its .berth.json) is kept.
 * 2. Else the readable base `<model with runs of other characters as "-">-app<N>` (e.g.
 *    `anthropic-claude-3-7-sonnet-app1`), when no other known model derives the same base, or when
 *    this model is the one whose id is already its base (`rtcol-x` beside `rtcol.x`).
 * 3. Else `<base model>_<hex of sha256(model)>-app<N>`: the base never holds "_", so a hashed name is
 *    never a base name; the hex is 8 digits, longer only where two models of one base share a prefix.
 * A candidate another app has pinned is passed over for the next one, so a derived name never equals
 * a pinned one. Names pinned by hand (or by an older berth) can still coincide: `projectNameConflicts`
 * reports them.
 */

/** Compose's rule for a project name: lowercase letters, digits, "-" and "_", starting with a letter or digit. */
export const PROJECT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

const HASH_DIGITS = 8;

/** The model part of a base name: lowercase, every run of other characters as one "-", never a "_". */
export function modelBase(model: string): string {
	return (
		model
			.toLowerCase()
			.replace(/[^a-z0-9-]+/g, '-')
			.replace(/-{2,}/g, '-')
			.replace(/^-+|-+$/g, '') || 'model'
	);
}

/** The readable name of an app, e.g. `anthropic-claude-3-7-sonnet-app1` for `anthropic_claude-3.7-sonnet/app1`. */
export function baseProjectName(app: AppRef): string {
	return `${modelBase(app.model)}-app${app.number}`;
}

function modelHash(model: string): string {
	return nodeCrypto().createHash('sha256').update(model).digest('hex');
}

/**
 * What is known about the other apps when a name is derived: the models (of the store and of the apps
 * root) grouped by base, and the apps that pinned each name.
 */
export class ProjectNameIndex {
	private readonly byBase = new Map<string, Set<string>>();
	private readonly models = new Set<string>();
	/** Name -> the apps that pinned it: a string for one (the common case, built at 10,000 allocations per CLI call), an array for more. */
	private readonly owners = new Map<string, string | string[]>();

	/** The index of a store's allocations: each pins its name. */
	static ofAllocations(allocations: Iterable<{model: string; app: number; projectName: string}>): ProjectNameIndex {
		// One tight loop: this runs inside the store lock, over every allocation of the store.
		const index = new ProjectNameIndex();
		for (const a of allocations) {
			if (!index.models.has(a.model)) index.addModel(a.model);
			const id = `${a.model}/app${a.app}`;
			const owners = index.owners.get(a.projectName);
			if (owners === undefined) index.owners.set(a.projectName, id);
			else index.addApp({model: a.model, number: a.app}, a.projectName);
		}
		return index;
	}

	addModel(model: string): void {
		if (this.models.has(model)) return;
		this.models.add(model);
		const base = modelBase(model);
		const models = this.byBase.get(base);
		if (models) models.add(model);
		else this.byBase.set(base, new Set([model]));
	}

	/** An app and, when it has one, the name pinned for it. */
	addApp(app: AppRef, pinned: string | null): void {
		this.addModel(app.model);
		if (pinned === null) return;
		const id = formatAppRef(app);
		const owners = this.owners.get(pinned);
		if (owners === undefined) this.owners.set(pinned, id);
		else if (typeof owners === 'string') {
			if (owners !== id) this.owners.set(pinned, [owners, id]);
		} else if (!owners.includes(id)) owners.push(id);
	}

	modelsWithBase(base: string): ReadonlySet<string> {
		return this.byBase.get(base) ?? new Set();
	}

	ownersOf(name: string): readonly string[] {
		const owners = this.owners.get(name);
		return owners === undefined ? [] : typeof owners === 'string' ? [owners] : owners;
	}
}

/** The candidates of rule 2 and 3, in order of preference. */
function* derivedCandidates(app: AppRef, indexes: readonly ProjectNameIndex[]): Generator<string> {
	const base = modelBase(app.model);
	const others = new Set<string>();
	for (const index of indexes) for (const model of index.modelsWithBase(base)) if (model !== app.model) others.add(model);
	if (others.size === 0 || app.model === base) yield baseProjectName(app);
	const hash = modelHash(app.model);
	// Shortest prefix no other model of this base shares: two unpinned apps never meet on one name.
	const otherHashes = [...others].map(modelHash);
	let digits = HASH_DIGITS;
	while (digits < hash.length && otherHashes.some(other => other.startsWith(hash.slice(0, digits)))) digits++;
	for (; digits <= hash.length; digits++) yield `${base}_${hash.slice(0, digits)}-app${app.number}`;
	// Only reached when every hashed name was pinned by hand by other apps.
	for (let k = 2; ; k++) yield `${base}_${hash}_${k}-app${app.number}`;
}

/** Where an app's name may be pinned; the store allocation wins over the app state file. */
export interface NamePins {
	allocation?: {projectName: string} | null | undefined;
	state?: {projectName: string} | null | undefined;
}

/** The name pinned for an app (rule 1), or `null`. */
export function pinnedProjectName(pins: NamePins): string | null {
	return pins.allocation?.projectName ?? pins.state?.projectName ?? null;
}

function pinnedByOther(name: string, id: string, indexes: readonly ProjectNameIndex[]): boolean {
	return indexes.some(index => index.ownersOf(name).some(owner => owner !== id));
}

/**
 * The compose project name of `app`: the pinned one when there is one (rule 1), else derived against
 * `indexes`. `fresh` is for a new allocation, which must not take a name another app holds: a pinned
 * name that another app also pinned is then given up for a derived one.
 */
export function resolveProjectName(app: AppRef, pins: NamePins, indexes: readonly ProjectNameIndex[], options: {fresh?: boolean} = {}): string {
	const id = formatAppRef(app);
	const pinned = pinnedProjectName(pins);
	if (pinned !== null && !(options.fresh && pinnedByOther(pinned, id, indexes))) return pinned;
	for (const name of derivedCandidates(app, indexes)) {
		if (!pinnedByOther(name, id, indexes)) return name;
	}
	throw new Error('unreachable: the candidates never end');
}

export interface ProjectNameConflict {
	kind: 'shared-project-name';
	projectName: string;
	/** The apps sharing it, as `<model>/app<N>`. */
	apps: string[];
	message: string;
}

/** Every name given to more than one app: their stacks would replace each other's containers. */
export function projectNameConflicts(apps: Iterable<{id: string; projectName: string}>): ProjectNameConflict[] {
	const byName = new Map<string, string[]>();
	for (const app of apps) {
		const ids = byName.get(app.projectName) ?? [];
		if (!ids.includes(app.id)) ids.push(app.id);
		byName.set(app.projectName, ids);
	}
	const conflicts: ProjectNameConflict[] = [];
	for (const [projectName, ids] of byName) {
		if (ids.length < 2) continue;
		ids.sort();
		conflicts.push({
			kind: 'shared-project-name',
			projectName,
			apps: ids,
			message: `compose project name ${projectName} is shared by ${ids.join(' and ')}: "berth up" of one replaces the other's containers. Give one a name of its own: release it ("berth ports release <app>") and allocate it again`,
		});
	}
	return conflicts.sort((a, b) => (a.projectName < b.projectName ? -1 : a.projectName > b.projectName ? 1 : 0));
}
