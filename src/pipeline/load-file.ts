import { error, warning, type Diagnostic } from '../core/diagnostics.js';
import type { StageSpec } from '../core/spec.js';
import type { BuiltinRegistry } from '../core/builtin.js';
import type { UnpackStyle } from './dict-unpack.js';
import { expandStage } from './expand.js';
import { fieldNames, STAGE_FIELDS, TOP_FIELDS, type FieldInfo } from './fields.js';
import { describeNode, entryOf, type LEntry, type LMap } from './located.js';
import { baseDirOf, lockFileOf } from './paths.js';
import type { ProjectFiles } from './project-files.js';
import { buildStage } from './stage-builder.js';
import { reportUnknownKey } from './stage-fields.js';
import type { VarsContext } from './vars-context.js';
import { loadFileVars } from './vars-loader.js';

const GENERATOR_KEYS = new Set(['foreach', 'do', 'matrix']);
/** Fields of a `do:` body: nested foreach/matrix is not part of DVC's language either. */
const DO_FIELDS: readonly FieldInfo[] = STAGE_FIELDS.filter((f) => !GENERATOR_KEYS.has(f.name));
/**
 * DVC reserves these in stage names: `@` for generated stages, `:` for `file:stage` targets.
 * Control characters (a newline, NUL, ...) would break lock files, logs and targets.
 */
const INVALID_NAME_CHARS = /[:/\\@\u0000-\u001f\u007f]/;

/**
 * Loads the stages of one pipeline file; every problem goes to `diagnostics`, and stages with
 * problems (as far as they could be read) to `invalid`.
 */
export async function loadPipelineFile(
  files: ProjectFiles,
  file: string,
  builtins: BuiltinRegistry,
  unpack: UnpackStyle,
  diagnostics: Diagnostic[],
  invalid: StageSpec[] = [],
): Promise<StageSpec[]> {
  const parsed = await files.readYaml(file, {
    duplicateCode: (mapPath) => (mapPath.length === 1 && mapPath[0] === 'stages' ? 'E_DUPLICATE_STAGE' : 'E_DUPLICATE_KEY'),
  });
  diagnostics.push(...parsed.diagnostics);
  if (parsed.missing) {
    diagnostics.push(error('E_FILE_NOT_FOUND', `pipeline file "${file}" does not exist`, undefined, 'check the path (relative to the project root)'));
    return [];
  }
  const root = parsed.root;
  if (root === undefined || (root.kind === 'scalar' && root.value === null)) return [];
  if (root.kind !== 'map') {
    diagnostics.push(error('E_TYPE', `a pipeline file must be a mapping with "stages:", got ${describeNode(root)}`, root.range));
    return [];
  }
  checkTopLevelKeys(root, diagnostics);
  const baseDir = baseDirOf(file);
  const ctx = await loadFileVars(files, baseDir, entryOf(root, 'vars')?.value, diagnostics);
  const stagesNode = entryOf(root, 'stages')?.value;
  if (stagesNode === undefined || (stagesNode.kind === 'scalar' && stagesNode.value === null)) return [];
  if (stagesNode.kind !== 'map') {
    diagnostics.push(error('E_TYPE', `"stages" must be a mapping of stage names to stages, got ${describeNode(stagesNode)}`, stagesNode.range));
    return [];
  }
  const context: FileContext = { files, file, baseDir, lockFile: lockFileOf(file), builtins, unpack, ctx, names: new Set(), invalid };
  const stages: StageSpec[] = [];
  for (const entry of stagesNode.entries) stages.push(...(await loadStageEntry(context, entry, diagnostics)));
  return stages;
}

interface FileContext {
  readonly files: ProjectFiles;
  readonly file: string;
  readonly baseDir: string;
  readonly lockFile: string;
  readonly builtins: BuiltinRegistry;
  readonly unpack: UnpackStyle;
  readonly ctx: VarsContext;
  /** Stage names taken so far in this file, generated ones included. */
  readonly names: Set<string>;
  readonly invalid: StageSpec[];
}

async function loadStageEntry(context: FileContext, entry: LEntry, diagnostics: Diagnostic[]): Promise<StageSpec[]> {
  const name = entry.key;
  context.names.add(name);
  if (INVALID_NAME_CHARS.test(name) || name.trim() === '') {
    diagnostics.push(error('E_STAGE_NAME', `invalid stage name ${JSON.stringify(name)}`, entry.keyRange, 'stage names may not be empty or contain ":", "/", "\\", "@" or control characters such as a line break'));
    return [];
  }
  const body = entry.value;
  if (body.kind !== 'map') {
    diagnostics.push(error('E_TYPE', `stage "${name}" must be a mapping of fields, got ${describeNode(body)}`, body.range, 'give it at least `cmd:` or `uses:`'));
    return [];
  }
  const beforeKeyCheck = diagnostics.length;
  checkStageKeys(body, name, diagnostics);
  // A misspelt key leaves the stage out, but its other fields are still checked (all errors at once).
  const keysOk = diagnostics.length === beforeKeyCheck;
  const stages: StageSpec[] = [];
  for (const instance of expandStage(name, entry.keyRange, body, context.ctx, diagnostics)) {
    if (instance.group !== undefined && context.names.has(instance.name)) {
      diagnostics.push(error('E_DUPLICATE_STAGE', `generated stage "${instance.name}" collides with another stage of this file`, entry.keyRange, 'make the foreach/matrix values unique, or rename one of the stages'));
      continue;
    }
    context.names.add(instance.name);
    const built = await buildStage(
      {
        file: context.file,
        lockFile: context.lockFile,
        baseDir: context.baseDir,
        name: instance.name,
        ...(instance.group !== undefined ? { group: instance.group } : {}),
        nameRange: entry.keyRange,
        body: instance.body,
        ctx: instance.ctx,
        files: context.files,
        builtins: context.builtins,
        unpack: context.unpack,
      },
      diagnostics,
    );
    if (built.valid && keysOk) stages.push(built.spec);
    else context.invalid.push(built.spec);
  }
  return stages;
}

function checkTopLevelKeys(root: LMap, diagnostics: Diagnostic[]): void {
  for (const entry of root.entries) {
    const info = TOP_FIELDS.find((f) => f.name === entry.key);
    if (!info) reportUnknownKey(entry, 'the pipeline file', TOP_FIELDS.filter((f) => !f.ignored), diagnostics);
    else if (info.ignored) diagnostics.push(warning('W_IGNORED_KEY', `"${entry.key}" is ignored by dvcts: ${info.description}`, entry.keyRange));
  }
}

/** Unknown keys are checked once per written stage (not once per generated one). */
function checkStageKeys(body: LMap, name: string, diagnostics: Diagnostic[]): void {
  for (const entry of body.entries) {
    if (!STAGE_FIELDS.some((f) => f.name === entry.key)) reportUnknownKey(entry, `stage "${name}"`, STAGE_FIELDS, diagnostics);
  }
  const doBody = entryOf(body, 'do')?.value;
  if (doBody?.kind !== 'map') return;
  for (const entry of doBody.entries) {
    if (GENERATOR_KEYS.has(entry.key)) {
      diagnostics.push(error('E_FOREACH', `"${entry.key}" inside "do" of stage "${name}": nested generation is not supported`, entry.keyRange, 'generate the combinations with one `matrix:` instead'));
    } else if (!fieldNames(DO_FIELDS).includes(entry.key)) {
      reportUnknownKey(entry, `"do" of stage "${name}"`, DO_FIELDS, diagnostics);
    }
  }
}
