import { error, type Diagnostic } from '../core/diagnostics.js';
import type { ParamRef } from '../core/spec.js';
import { didYouMean } from '../core/suggest.js';
import { allKeyPaths, lookupPath, parseKeyPath } from './key-path.js';
import { toPlain } from './located.js';
import type { ProjectFiles } from './project-files.js';

/**
 * A declared param (`params: [train.lr]`) whose key is not in its params file is an error at its
 * line, with the closest keys the file has: found when the pipeline is loaded, before anything
 * runs (DVC stops `repro` at run time: "Parameters 'x' are missing from 'params.yaml'").
 */
export async function checkDeclaredParams(files: ProjectFiles, stage: string, refs: readonly ParamRef[], diagnostics: Diagnostic[]): Promise<void> {
  for (const ref of refs) {
    if (ref.key === undefined) continue;
    const parsed = await files.readYaml(ref.file);
    diagnostics.push(...parsed.diagnostics); // reported once: the loader removes repeats
    if (parsed.missing) {
      diagnostics.push(error('E_PARAM_MISSING', `param "${ref.key}" of stage "${stage}": params file "${ref.file}" does not exist`, ref.range, `create ${ref.file} with "${ref.key}", or remove it from the stage's params`));
      continue;
    }
    if (parsed.root === undefined) continue; // not valid YAML: reported above
    const content = toPlain(parsed.root);
    if (lookupPath(content, parseKeyPath(ref.key) ?? []).found) continue;
    const hint = didYouMean(ref.key, allKeyPaths(content)) ?? `add "${ref.key}" to ${ref.file}, or remove it from the stage's params`;
    diagnostics.push(error('E_PARAM_MISSING', `param "${ref.key}" of stage "${stage}" is not in ${ref.file}`, ref.range, hint));
  }
}
