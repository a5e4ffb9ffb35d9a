import type { StageSpec } from '../core/spec.js';
import type { LockEntry, LockedParams, LockedPath } from './types.js';
import { sortKeysDeep } from './lock-file.js';

/** Exactly why a stage must run; `status` prints these and `--json` returns them. */
export type StaleReason =
  | { readonly kind: 'never-run' }
  | { readonly kind: 'always-changed' }
  | { readonly kind: 'forced' }
  /** repro --dry: upstream stages would run first, so this one would run on their new outputs. */
  | { readonly kind: 'after-upstream'; readonly stages: readonly string[] }
  | { readonly kind: 'cmd-changed' }
  | { readonly kind: 'uses-changed'; readonly from?: string; readonly to?: string }
  | { readonly kind: 'with-changed'; readonly keys: readonly string[] }
  | { readonly kind: 'version-changed'; readonly from?: string; readonly to?: string }
  | { readonly kind: 'dep-modified' | 'dep-added' | 'dep-removed' | 'dep-missing'; readonly path: string }
  | { readonly kind: 'param-changed'; readonly file: string; readonly key: string; readonly from: unknown; readonly to: unknown }
  | { readonly kind: 'out-missing' | 'out-modified' | 'out-added' | 'out-removed'; readonly path: string };

/** What a stage looks like now: its definition plus observed deps, params and outs. */
export interface Observed {
  readonly entry: LockEntry;
  /** Paths that do not exist now (deps or outs). */
  readonly missing: ReadonlySet<string>;
}

/**
 * Compares the current observation with the lock entry, DVC's rules: a frozen stage ignores
 * changes to its definition and deps (only its outputs are checked); always_changed is always stale.
 */
export function whyStale(stage: StageSpec, now: Observed, locked: LockEntry | undefined): StaleReason[] {
  if (locked === undefined) return [{ kind: 'never-run' }];
  const reasons: StaleReason[] = [];
  if (!stage.frozen) {
    // DVC: a stage with neither deps nor outs is always changed.
    if (stage.alwaysChanged || (stage.deps.length === 0 && stage.outs.length === 0)) reasons.push({ kind: 'always-changed' });
    reasons.push(...definitionChanges(now.entry, locked));
    reasons.push(...pathChanges('dep', now.entry.deps, locked.deps, now.missing));
    reasons.push(...paramChanges(now.entry.params, locked.params));
  }
  reasons.push(...pathChanges('out', now.entry.outs, locked.outs, now.missing));
  return reasons;
}

function definitionChanges(now: LockEntry, locked: LockEntry): StaleReason[] {
  const reasons: StaleReason[] = [];
  if (!sameCommands(now.cmd, locked.cmd)) reasons.push({ kind: 'cmd-changed' });
  if (now.uses !== locked.uses) reasons.push({ kind: 'uses-changed', from: locked.uses, to: now.uses });
  else if (now.uses !== undefined) {
    if (now.version !== locked.version) reasons.push({ kind: 'version-changed', from: locked.version, to: now.version });
    const keys = changedKeys(now.with ?? {}, locked.with ?? {});
    if (keys.length > 0) reasons.push({ kind: 'with-changed', keys });
  }
  return reasons;
}

function sameCommands(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((command, i) => command === b[i]);
}

function pathChanges(
  role: 'dep' | 'out',
  now: readonly LockedPath[],
  locked: readonly LockedPath[],
  missing: ReadonlySet<string>,
): StaleReason[] {
  const reasons: StaleReason[] = [];
  const before = locked.length > 8 ? new Map(locked.map((p) => [p.path, p])) : undefined;
  for (const p of now) {
    const old = before === undefined ? findPath(locked, p.path) : before.get(p.path);
    if (missing.has(p.path)) reasons.push({ kind: `${role}-missing`, path: p.path });
    else if (old === undefined) reasons.push({ kind: `${role}-added`, path: p.path });
    else if (old.id !== p.id) reasons.push({ kind: `${role}-modified`, path: p.path });
  }
  const present = now.length > 8 ? new Set(now.map((p) => p.path)) : undefined;
  for (const p of locked) if (present === undefined ? findPath(now, p.path) === undefined : !present.has(p.path)) reasons.push({ kind: `${role}-removed`, path: p.path });
  return reasons;
}

/** A path in a short list: a scan, without a Map or a closure per stage (most stages have a few paths). */
function findPath(list: readonly LockedPath[], path: string): LockedPath | undefined {
  for (const p of list) if (p.path === path) return p;
  return undefined;
}

function paramChanges(now: LockedParams, locked: LockedParams): StaleReason[] {
  const reasons: StaleReason[] = [];
  const files = new Set([...Object.keys(now), ...Object.keys(locked)]);
  for (const file of [...files].sort()) {
    const a = now[file] ?? {};
    const b = locked[file] ?? {};
    for (const key of changedKeys(a, b)) reasons.push({ kind: 'param-changed', file, key, from: b[key], to: a[key] });
  }
  return reasons;
}

function changedKeys(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(sortKeysDeep(a[k])) !== JSON.stringify(sortKeysDeep(b[k]))).sort();
}

/** One line per reason, for humans. */
export function describeReason(r: StaleReason): string {
  switch (r.kind) {
    case 'never-run': return 'never run (no lock entry)';
    case 'always-changed': return 'always_changed: true';
    case 'forced': return 'forced (-f)';
    case 'after-upstream': return `after upstream: ${r.stages.map((id) => id.slice(id.lastIndexOf(':') + 1)).join(', ')}`;
    case 'cmd-changed': return 'cmd changed';
    case 'uses-changed': return `uses changed: ${r.from ?? '(cmd)'} -> ${r.to ?? '(cmd)'}`;
    case 'with-changed': return `with changed: ${r.keys.join(', ')}`;
    case 'version-changed': return `built-in version changed: ${r.from ?? '?'} -> ${r.to ?? '?'}`;
    case 'param-changed': return `param changed: ${r.file}:${r.key} ${fmt(r.from)} -> ${fmt(r.to)}`;
    default: return `${r.kind.replace('-', ' ')}: ${r.path}`;
  }
}

function fmt(v: unknown): string {
  return v === undefined ? '(unset)' : JSON.stringify(v);
}
