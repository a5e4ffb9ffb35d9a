import { error, type Diagnostic, type SourceRange } from '../core/diagnostics.js';
import type { BuiltinDefinition, OptionProblem } from '../core/builtin.js';
import { toPlain, type LNode } from './located.js';
import { OPTION_UNKNOWN, validateOptions, type OptionPath } from './validate-options.js';

export interface StagePaths {
  readonly deps: readonly string[];
  readonly outs: readonly string[];
  readonly metrics: readonly string[];
}

/**
 * Checks a built-in stage's `with:` against its OptionSchema, then (when the schema is satisfied)
 * against its own `check()`. Every problem is a diagnostic with its own code at the offending YAML node.
 * Returns the options with defaults applied, or undefined when they are invalid.
 * `unresolved`: ranges of `${...}` that failed to interpolate (already reported); a problem with
 * the value holding one is not reported, problems of the other options are.
 */
export function checkBuiltinOptions(
  builtin: BuiltinDefinition<any>,
  withNode: LNode | undefined,
  fallbackRange: SourceRange,
  paths: StagePaths,
  stage: string,
  diagnostics: Diagnostic[],
  unresolved: readonly SourceRange[] = [],
): Record<string, unknown> | undefined {
  const raw = withNode === undefined || (withNode.kind === 'scalar' && withNode.value === null) ? {} : toPlain(withNode);
  const schemaResult = validateOptions(builtin.options, raw);
  const report = (problem: OptionProblem) => {
    const at = locate(withNode, problem, fallbackRange);
    if (at.scalar && unresolved.some((r) => contains(at.range, r))) return;
    diagnostics.push(error(problem.code, `${problem.message} (stage "${stage}", uses: ${builtin.name})`, at.range, problem.hint));
  };
  schemaResult.problems.forEach(report);
  if (schemaResult.problems.length > 0) return undefined;
  const options = schemaResult.value as Record<string, unknown>;
  const checked = builtin.check?.(options, paths) ?? [];
  checked.forEach(report);
  return checked.length > 0 || unresolved.length > 0 ? undefined : options;
}

function contains(outer: SourceRange, inner: SourceRange): boolean {
  const starts = (r: SourceRange): number => r.line * 1e6 + r.col;
  const ends = (r: SourceRange): number => r.endLine * 1e6 + r.endCol;
  return outer.file === inner.file && starts(outer) <= starts(inner) && ends(inner) <= ends(outer);
}

/** The YAML node a problem path points at: the key for unknown options, else the value (and whether it is a scalar). */
function locate(withNode: LNode | undefined, problem: OptionProblem, fallback: SourceRange): { range: SourceRange; scalar: boolean } {
  if (withNode === undefined) return { range: fallback, scalar: false };
  let node: LNode = withNode;
  let keyRange: SourceRange | undefined;
  for (const segment of problem.path as OptionPath) {
    const next = childOf(node, segment);
    if (!next) return { range: node.range, scalar: node.kind === 'scalar' };
    node = next.node;
    keyRange = next.keyRange;
  }
  if (problem.code === OPTION_UNKNOWN && keyRange) return { range: keyRange, scalar: false };
  return { range: node.range, scalar: node.kind === 'scalar' };
}

function childOf(node: LNode, segment: string | number): { node: LNode; keyRange?: SourceRange } | undefined {
  if (node.kind === 'seq' && typeof segment === 'number') {
    const item = node.items[segment];
    return item ? { node: item } : undefined;
  }
  if (node.kind === 'map') {
    const entry = node.entries.find((e) => e.key === String(segment));
    return entry ? { node: entry.value, keyRange: entry.keyRange } : undefined;
  }
  return undefined;
}
