// Bundles the CLI (run by `npm run build` after tsc): dist/cli/main.js and the dist/ modules it
// imports, with commander and yaml, into CommonJS chunks under dist/bin/ (the entry chunk, plus
// one per group of lazily imported commands), loaded by dist/bin/dvcts.js (scripts/cli-entry.cjs)
// with V8's code cache, which a warm-up run of a few commands makes here. Start-up pays for each
// module it resolves, reads, compiles and links: a no-op `status` loaded about 90 files, and the
// bundle cut its CPU time by a third (bench many-files); the code cache cut another tenth.
// Every other package stays external (loaded from node_modules as before).
//
// Modules that locate files next to themselves (`new URL('./run.js', import.meta.url)`, the
// package.json, worker scripts) see their own dist/ URL: `import.meta.url` is rewritten per module,
// so built-in runners and workers still load the unbundled dist/ files.
import { copyFileSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { warmCodeCache } from './code-cache-warmup.mjs';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = resolve(REPO, 'dist');
const OUT = resolve(DIST, 'bin');
const BUNDLED_PACKAGES = new Set(['commander', 'yaml']);

const ownUrl = {
  name: 'own-import-meta-url',
  transform(code, id) {
    if (!id.startsWith(DIST + sep)) return null;
    // The chunks are CommonJS: cli-entry.cjs gives each its own URL as __dvcts_url.
    const rewritten = code.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative(OUT, id).split(sep).join('/'))}, __dvcts_url).href`);
    if (rewritten.includes('import.meta')) throw new Error(`${id}: use import.meta.url (the CLI bundle rewrites only that)`);
    return rewritten === code ? null : { code: rewritten, map: null };
  },
};

// An import() left in a chunk (of a package, e.g. sharp, @aws-sdk/client-s3: ES modules a CommonJS
// chunk cannot require) goes through __dvcts_import, the entry's own import(): a vm.Script's
// import() needs an experimental option that prints a warning on every run.
const externalDynamicImports = {
  name: 'external-dynamic-imports',
  transform(code, id) {
    if (!id.startsWith(DIST + sep) || !code.includes('import(')) return null;
    const starts = [];
    const visit = (node) => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      const source = node.type === 'ImportExpression' ? node.source : undefined;
      const bundled = source?.type === 'Literal' && (String(source.value).startsWith('.') || BUNDLED_PACKAGES.has(String(source.value).split('/')[0]));
      if (source !== undefined && !bundled) starts.push(node.start);
      for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
    };
    visit(this.parse(code));
    if (starts.length === 0) return null;
    let out = code;
    for (const start of starts.sort((a, b) => b - a)) out = `${out.slice(0, start)}__dvcts_import${out.slice(start + 'import'.length)}`;
    return { code: out, map: null };
  },
};

// commander requires node:child_process at load (for executable subcommands, which dvcts has none
// of); it pulls in net, dgram and the streams, a tenth of a no-op status. Loaded when first used.
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  transform(code, id) {
    if (!id.includes(`${sep}commander${sep}lib${sep}command.js`)) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager)) throw new Error(`${id}: commander changed; update lazyChildProcess in scripts/bundle-cli.mjs`);
    return { code: code.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"), map: null };
  },
};

const bundle = await rolldown({
  input: { cli: resolve(DIST, 'cli', 'main.js') },
  platform: 'node',
  // yaml's ESM build (the one bundlers get) instead of its CommonJS one: hoisted and tree-shaken
  // instead of evaluated whole inside a require wrapper at start-up.
  resolve: { alias: { yaml: resolve(REPO, 'node_modules', 'yaml', 'browser', 'index.js') } },
  plugins: [ownUrl, externalDynamicImports, lazyChildProcess],
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !BUNDLED_PACKAGES.has(id.split('/')[0]),
  logLevel: 'warn',
  preserveEntrySignatures: false,
});
// Minified: fewer bytes for V8 to scan where a chunk has no usable code cache.
await bundle.write({
  dir: OUT,
  format: 'cjs',
  minify: true,
  entryFileNames: 'cli.js',
  chunkFileNames: 'dvcts-[name]-[hash].js',
  cleanDir: true,
});
await bundle.close();
writeFileSync(resolve(OUT, 'package.json'), '{ "type": "commonjs" }\n');
copyFileSync(resolve(REPO, 'scripts', 'cli-entry.cjs'), resolve(OUT, 'dvcts.js'));
warmCodeCache(resolve(OUT, 'dvcts.js'));
