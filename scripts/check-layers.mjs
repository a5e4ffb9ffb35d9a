// Checks the folder layering of src/ (DESIGN.md, "Module layout"): a folder may import only
// itself and folders listed before it in LAYERS, so no folder-level cycle can exist; every
// folder of src/ is in LAYERS; src/stages/ holds only built-in folders (each with a
// definition.ts) and a built-in never imports another. Type-only imports count too.
// Usage: node scripts/check-layers.mjs [srcDir]   (exit 1 and one line per problem)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const LAYERS = [
  'core', // pure types, ids, diagnostics, errors, the built-in contract
  'util', // file-system helpers without project knowledge (atomic writes)
  'scm', // isomorphic-git: revisions, ignore files, files at a revision
  'pipeline',
  'graph',
  'cache',
  'lockfile',
  'table', // streaming CSV/TSV/JSONL shared by built-ins
  'stages', // one folder per built-in
  'train',
  'scheduler',
  'executor',
  'remote',
  'exp',
  'report',
  'api', // holds the one list of built-ins and hands it down
  'cli',
];

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Top folder under src and, for stages, the built-in folder. */
function placeOf(src, path) {
  const parts = relative(src, path).split(sep);
  return { layer: parts.length > 1 ? parts[0] : '', builtin: parts[0] === 'stages' && parts.length > 2 ? parts[1] : undefined };
}

export function checkLayers(src) {
  const problems = [];
  const rank = new Map(LAYERS.map((name, i) => [name, i]));
  for (const name of readdirSync(src)) {
    if (statSync(join(src, name)).isDirectory() && !rank.has(name)) problems.push(`src/${name}/ is not in the layer order (scripts/check-layers.mjs, DESIGN.md)`);
  }
  const stages = join(src, 'stages');
  for (const name of safeReaddir(stages)) {
    const path = join(stages, name);
    if (!statSync(path).isDirectory()) problems.push(`src/stages/${name}: src/stages/ holds only built-in folders`);
    else if (!safeReaddir(path).some((f) => /^definition\.(ts|js)$/.test(f))) problems.push(`src/stages/${name}/ has no definition.ts: not a built-in`);
  }
  for (const file of sourceFiles(src)) {
    const from = placeOf(src, file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith('.')) continue;
      const to = placeOf(src, resolve(dirname(file), spec));
      const where = relative(resolve(src, '..'), file);
      if (to.layer === '' || from.layer === '') continue;
      if (to.layer !== from.layer && !(rank.get(to.layer) < rank.get(from.layer))) {
        problems.push(`${where}: imports ${spec} — src/${from.layer}/ may not import src/${to.layer}/ (listed after it)`);
      }
      if (from.builtin !== undefined && to.builtin !== undefined && from.builtin !== to.builtin) {
        problems.push(`${where}: the built-in ${from.builtin} imports the built-in ${to.builtin}`);
      }
    }
  }
  return problems;
}

function safeReaddir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkLayers(resolve(process.argv[2] ?? 'src'));
  for (const p of problems) console.error(p);
  process.exit(problems.length > 0 ? 1 : 0);
}
