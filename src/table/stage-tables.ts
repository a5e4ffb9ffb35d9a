import { isAbsolute, normalize, resolve } from 'node:path';
import { DvctsError } from '../core/errors.js';
import type { OptionProblem } from '../core/builtin.js';

/**
 * Which of an augmenting stage's deps/outs are its tables. The input table is the first dep that
 * is not a file named by an option (dictionary, stop-word list); the output is the first out that
 * is not a metrics file.
 */
export interface TableFiles {
  readonly input: string;
  readonly output: string;
}

/** An option's path (dictionary, stop words) made absolute: relative paths are from the stage's wdir. */
export function optionFilePath(wdir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(wdir, path);
}

export function tableFiles(
  ctx: { deps: readonly string[]; outs: readonly string[]; metrics: readonly string[]; wdir: string },
  optionFiles: readonly string[],
): TableFiles {
  const named = new Set(optionFiles.map((p) => optionFilePath(ctx.wdir, p)));
  const input = ctx.deps.find((d) => !named.has(d));
  const output = ctx.outs[0];
  if (input === undefined || output === undefined) {
    throw new DvctsError('E_STAGE_FILES', 'the stage needs one input table in `deps` and one output table in `outs`', {
      data: { deps: ctx.deps, outs: ctx.outs },
      hint: 'list the input CSV/TSV/JSONL first in `deps` and the output file in `outs`',
    });
  }
  return { input, output };
}

/**
 * Whether `dep` is the file an option names. Deps arrive project-relative with `wdir` applied;
 * the option is relative to `wdir`, hence the suffix match.
 */
function depIsOptionFile(dep: string, optionPath: string): boolean {
  const wanted = normalize(optionPath).replace(/\\/g, '/').replace(/^\.\//, '');
  const path = normalize(dep).replace(/\\/g, '/');
  return path === wanted || path.endsWith(`/${wanted}`);
}

/** Static check that a file named by an option is also a dep, so editing it reruns the stage. */
export function optionFileIsDep(option: string, path: string | undefined, deps: readonly string[]): OptionProblem[] {
  if (path === undefined || deps.some((d) => depIsOptionFile(d, path))) return [];
  return [
    {
      code: 'E_OPTION_FILE_NOT_DEP',
      path: [option],
      message: `\`${option}: ${path}\` is not listed in the stage's deps`,
      hint: `add ${path} to \`deps\` so that editing it reruns the stage`,
    },
  ];
}

/** At least one table in (a dep that is not an option's file) and one out, counted statically. */
export function tableFilesProblems(
  stage: { deps: readonly string[]; outs: readonly string[]; metrics: readonly string[] },
  optionFiles: readonly string[],
): OptionProblem[] {
  const problems: OptionProblem[] = [];
  if (!stage.deps.some((d) => !optionFiles.some((f) => depIsOptionFile(d, f)))) {
    problems.push({ code: 'E_STAGE_FILES', path: [], message: 'the stage needs its input table as a dep', hint: 'add the input CSV/TSV/JSONL to `deps`' });
  }
  if (stage.outs.length === 0) {
    problems.push({ code: 'E_STAGE_FILES', path: [], message: 'the stage needs an output table in `outs`', hint: 'add the output file to `outs`' });
  }
  return problems;
}
