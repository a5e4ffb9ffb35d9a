import { CACHE_ERRORS } from '../cache/errors.js';
import type { BuiltinRegistry } from '../core/builtin.js';
import type { ErrorSpec, ErrorTable } from '../core/error-catalogue.js';
import { CORE_ERRORS } from '../core/errors.js';
import { EXECUTOR_ERRORS } from '../executor/errors.js';
import { EXP_ERRORS } from '../exp/errors.js';
import { GRAPH_ERRORS } from '../graph/errors.js';
import { LOCKFILE_ERRORS } from '../lockfile/errors.js';
import { PIPELINE_ERRORS } from '../pipeline/errors.js';
import { REMOTE_ERRORS } from '../remote/errors.js';
import { SCHEDULER_ERRORS } from '../scheduler/errors.js';
import { SCM_ERRORS } from '../scm/errors.js';
import { TABLE_ERRORS } from '../table/errors.js';
import { TRAIN_ERRORS } from '../train/errors.js';
import { builtins as defaultBuiltins } from './builtins.js';
import { API_ERRORS } from './errors.js';

/**
 * The whole catalogue at run time: every layer's table in layer order, then each built-in's.
 * A new layer's `errors.ts` is added to this list (test/error-catalogue.test.ts fails on a code
 * used in src/ that no table here declares); a built-in's table comes with its definition.
 */
export function errorTables(builtins: BuiltinRegistry = defaultBuiltins): ErrorTable[] {
  const layers = [CORE_ERRORS, SCM_ERRORS, PIPELINE_ERRORS, GRAPH_ERRORS, CACHE_ERRORS, LOCKFILE_ERRORS, TABLE_ERRORS, TRAIN_ERRORS, SCHEDULER_ERRORS, EXECUTOR_ERRORS, REMOTE_ERRORS, EXP_ERRORS, API_ERRORS];
  const stages = [...builtins.values()].sort((a, b) => a.name.localeCompare(b.name)).flatMap((b) => (b.errors ? [b.errors] : []));
  return [...layers, ...stages];
}

/** The catalogue entry of a code, e.g. for its general hint. */
export function errorSpecOf(code: string, builtins?: BuiltinRegistry): ErrorSpec | undefined {
  for (const table of errorTables(builtins)) {
    const spec = (table.errors as Readonly<Record<string, ErrorSpec>>)[code];
    if (spec) return spec;
  }
  return undefined;
}

/** The hint to show: the one given for this case, else the catalogue's general one. */
export function hintFor(code: string, given: string | undefined, builtins?: BuiltinRegistry): string | undefined {
  return given ?? errorSpecOf(code, builtins)?.hint;
}
