#!/usr/bin/env node
'use strict';
// dvcts's command-line entry: copied to dist/bin/dvcts.js by scripts/bundle-cli.mjs, beside the
// bundle's CommonJS chunks (dist/bin/package.json makes the folder CommonJS).
//
// Why not plain `require`: Node 20 compiles every module from source at every start (it has no
// compile cache for ES modules, and none for CommonJS before Node 22). Here each chunk is compiled
// as a vm.Script with V8's code cache (`<chunk>.cache`, made by the build's warm-up run), so the
// functions a command ran at build time are not parsed and compiled again: a no-op `status` of
// 10k files went from 2.94x to 2.44x `node -e 0`, `--version` from 1.27x to 1.11x. A cache V8 rejects (another Node version,
// other V8 flags) or a missing one costs nothing but the compile it would have saved.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { basename, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

/**
 * DVCTS_CODE_CACHE=write (the build's warm-up): write the cache of every chunk that had none or a
 * rejected one. =report: say on stderr, per chunk loaded, whether its cache was used.
 */
const MODE = process.env.DVCTS_CODE_CACHE;
const chunks = new Map();
const uncached = [];

/** import() of a package, resolved from this folder as from the chunk's (all live here). */
const importPackage = (specifier) => import(specifier);
/** A chunk's require: another chunk (`./name`) or anything else, resolved from this folder. */
const outside = createRequire(__filename);
const requireFromChunk = (id) => (id.startsWith('./') ? loadChunk(join(__dirname, id)) : outside(id));

function loadChunk(file) {
  const known = chunks.get(file);
  if (known !== undefined) return known.exports;
  const module = { exports: {} };
  chunks.set(file, module);
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  // `__dvcts_url` stands for the chunk's import.meta.url and `__dvcts_import` for its import() of a
  // package (both rewritten so by the bundler); ES modules are strict, so their chunks stay strict.
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __dvcts_url, __dvcts_import) {'use strict';${source}\n})`, { filename: file, cachedData });
  const verdict = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  if (MODE === 'write' && verdict !== 'used') uncached.push({ file, script });
  if (MODE === 'report') process.stderr.write(`code cache ${verdict}: ${basename(file)}\n`);
  script.runInThisContext()(module.exports, requireFromChunk, module, file, __dirname, pathToFileURL(file).href, importPackage);
  return module.exports;
}

if (MODE === 'write') {
  // At exit, so the cache holds every function the command compiled, not only the top level.
  process.once('exit', () => {
    for (const { file, script } of uncached) {
      writeFileSync(`${file}.cache.tmp`, script.createCachedData());
      renameSync(`${file}.cache.tmp`, `${file}.cache`);
    }
  });
}

loadChunk(join(__dirname, 'cli.js'));
