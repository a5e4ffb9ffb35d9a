/**
 * The field table of the pipeline language: one entry per key, with its value type and help text.
 * The validator (unknown keys, types) and the JSON Schema (`dvcts schema`) are both built from it,
 * so they cannot disagree.
 */
export type FieldType =
  | 'string'
  | 'boolean'
  | 'commands' // a string or a list of strings
  | 'paths' // list of paths
  | 'outs' // list of paths or one-key mappings `path: {options}`
  | 'plots' // like outs, with plot display options
  | 'params' // list of keys or `file: [keys] | null`
  | 'options' // `with:` mapping, checked against the built-in's schema
  | 'vars' // list of files or inline mappings
  | 'foreach' // list, mapping or `${...}`
  | 'matrix' // mapping of name -> list or `${...}`
  | 'stage' // a stage body (foreach's `do`)
  | 'stages' // mapping of name -> stage
  | 'any';

export interface FieldInfo {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  /** A DVC key that dvcts accepts but does not act on: a warning, not an error. */
  readonly ignored?: true;
}

export const TOP_FIELDS: readonly FieldInfo[] = [
  { name: 'vars', type: 'vars', description: 'Values for ${...} interpolation: params files (`file` or `file:key`) and inline mappings. params.yaml is always loaded first; mappings merge, a value defined twice is an error (as in DVC).' },
  { name: 'stages', type: 'stages', description: 'The stages of this pipeline, by name.' },
  { name: 'params', type: 'any', description: 'DVC top-level params (ignored by dvcts).', ignored: true },
  { name: 'metrics', type: 'any', description: 'DVC top-level metrics (ignored by dvcts; declare metrics on a stage).', ignored: true },
  { name: 'plots', type: 'any', description: 'DVC top-level plots (ignored by dvcts; declare plots on a stage).', ignored: true },
  { name: 'artifacts', type: 'any', description: 'DVC artifacts (ignored by dvcts).', ignored: true },
  { name: 'datasets', type: 'any', description: 'DVC datasets (ignored by dvcts).', ignored: true },
];

export const STAGE_FIELDS: readonly FieldInfo[] = [
  { name: 'cmd', type: 'commands', description: 'Shell command(s) to run (a list runs in order and stops at the first failure). Exactly one of `cmd` and `uses`. `${deps}` / `${outs}` expand to the stage paths.' },
  { name: 'uses', type: 'string', description: 'A built-in stage (encoding, dropna, split, synonyms, backtranslate, ...). Exactly one of `cmd` and `uses`; options go under `with`.' },
  { name: 'with', type: 'options', description: 'Options of the built-in named by `uses`.' },
  { name: 'wdir', type: 'string', description: 'Working directory of the stage; deps/outs/params paths are relative to it.' },
  { name: 'deps', type: 'paths', description: 'Files or folders the stage reads: a change reruns it.' },
  { name: 'outs', type: 'outs', description: 'Files or folders the stage writes, cached. Options: `- path: {cache: false, persist: true, desc: ...}`.' },
  { name: 'params', type: 'params', description: 'Tracked parameters: `key` (in params.yaml of wdir), `{file.yaml: [keys]}`, or `file.yaml:` for every key.' },
  { name: 'metrics', type: 'outs', description: 'Metrics files written by the stage (JSON/YAML), tracked like outs.' },
  { name: 'plots', type: 'plots', description: 'Plot data files written by the stage (CSV/JSON), tracked like outs.' },
  { name: 'desc', type: 'string', description: 'What the stage does.' },
  { name: 'frozen', type: 'boolean', description: 'Never rerun this stage (its outs are still checked out).' },
  { name: 'always_changed', type: 'boolean', description: 'Rerun this stage on every repro.' },
  { name: 'vars', type: 'vars', description: 'Extra values for ${...} in this stage (files relative to wdir).' },
  { name: 'meta', type: 'any', description: 'Free-form data kept with the stage; dvcts does not read it.' },
  { name: 'foreach', type: 'foreach', description: 'Generate one stage per item of a list (`name@item`) or mapping (`name@key`); the body is under `do`.' },
  { name: 'do', type: 'stage', description: 'The stage generated for each `foreach` item (`${item}`, `${key}`).' },
  { name: 'matrix', type: 'matrix', description: 'Generate one stage per combination of these lists (`name@v1-v2`); `${item.<name>}` in the body.' },
];

/** Out options by kind; plots also accept DVC's plot display options. */
export const OUT_OPTION_FIELDS: readonly FieldInfo[] = [
  { name: 'cache', type: 'boolean', description: 'false: tracked in the lock file but not stored in the cache.' },
  { name: 'persist', type: 'boolean', description: 'true: not removed before the stage runs.' },
  { name: 'desc', type: 'string', description: 'What this output is.' },
];

export const PLOT_OPTION_FIELDS: readonly FieldInfo[] = [
  ...OUT_OPTION_FIELDS,
  { name: 'x', type: 'string', description: 'Column or field for the x axis.' },
  { name: 'y', type: 'string', description: 'Column or field for the y axis.' },
  { name: 'template', type: 'string', description: 'Plot template (linear, scatter, confusion, ...).' },
  { name: 'title', type: 'string', description: 'Plot title.' },
  { name: 'x_label', type: 'string', description: 'Label of the x axis.' },
  { name: 'y_label', type: 'string', description: 'Label of the y axis.' },
];

export function fieldNames(fields: readonly FieldInfo[]): string[] {
  return fields.map((f) => f.name);
}

