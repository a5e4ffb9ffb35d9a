import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { DvctsError, ExitCode } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { aliasProblem } from '../pipeline/safe-yaml.js';

/**
 * The keys `.dvcts/config.yaml` and `config.local.yaml` may hold, section by section (`remote`:
 * any remote name; its settings are checked by the remote's spec). A typo is an error at its
 * line, not a setting silently ignored.
 */
const SECTIONS: Readonly<Record<string, readonly string[] | 'names'>> = {
  cache: ['type'],
  core: ['jobs', 'remote'],
  executor: ['type', 'queue', 'queue_name'],
  parsing: ['bool', 'list'],
  remote: 'names',
};

/** Parses a config file's text; bad YAML and unknown keys are errors at `path:line:col`. */
export function parseConfigText(path: string, text: string): Document {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `${path}:${line}:${col}`;
  };
  const yamlError = doc.errors[0];
  // Aliases bounded as in every YAML dvcts reads (safe-yaml.ts): a config may come from a clone.
  const problem = yamlError === undefined ? aliasProblem(doc) : { message: yamlError.message.split('\n')[0], range: yamlError.pos };
  if (problem !== undefined) {
    throw new DvctsError('E_CONFIG_INVALID', `${at(problem.range[0])}: not valid YAML: ${problem.message}`, { data: { path }, exitCode: ExitCode.usage });
  }
  const unknown = (key: Node, name: string, known: readonly string[], where: string): DvctsError => {
    const { line, col } = lines.linePos(key.range?.[0] ?? 0);
    const hint = didYouMean(name, known);
    return new DvctsError('E_CONFIG_UNKNOWN_KEY', `${path}:${line}:${col}: unknown key "${name}"${where}${hint ? `; ${hint}` : ` (known: ${known.join(', ')})`}`, {
      data: { path, line, col, key: name },
      exitCode: ExitCode.usage,
    });
  };
  if (!isMap(doc.contents)) return doc;
  for (const section of doc.contents.items) {
    const name = keyName(section.key);
    if (name === undefined) continue;
    const keys = SECTIONS[name];
    if (keys === undefined) throw unknown(section.key as Node, name, Object.keys(SECTIONS), '');
    if (keys === 'names' || !isMap(section.value)) continue;
    for (const item of section.value.items) {
      const key = keyName(item.key);
      if (key !== undefined && !keys.includes(key)) throw unknown(item.key as Node, key, keys, ` in ${name}`);
    }
  }
  return doc;
}

function keyName(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}
