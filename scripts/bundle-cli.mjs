// Bundles the CLI (run by `npm run build` after tsc): dist/cli/main.js and the dist/ modules it
// imports, with commander and yaml, into a few files under dist/bin/ (one entry file, plus one chunk
// per group of lazily imported commands). Start-up pays for each ESM module it resolves, reads and
// links: a no-op `status` loaded about 90 files, and the bundle cut its CPU time by a third
// (bench many-files). Every other package stays external (loaded from node_modules as before).
//
// Modules that locate files next to themselves (`new URL('./run.js', import.meta.url)`, the
// package.json, worker scripts) see their own dist/ URL: `import.meta.url` is rewritten per module,
// so built-in runners and workers still load the unbundled dist/ files.
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = resolve(REPO, 'dist');
const OUT = resolve(DIST, 'bin');
const BUNDLED_PACKAGES = new Set(['commander', 'yaml']);

const ownUrl = {
  name: 'own-import-meta-url',
  transform(code, id) {
    if (!id.startsWith(DIST + sep)) return null;
    if (/import\.meta\.(dirname|filename)/.test(code)) throw new Error(`${id}: use import.meta.url (the CLI bundle rewrites only that)`);
    if (!code.includes('import.meta.url')) return null;
    const rel = relative(OUT, id).split(sep).join('/');
    return { code: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), map: null };
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
  input: { dvcts: resolve(DIST, 'cli', 'main.js') },
  platform: 'node',
  // yaml's ESM build (the one bundlers get) instead of its CommonJS one: hoisted and tree-shaken
  // instead of evaluated whole inside a require wrapper at start-up.
  resolve: { alias: { yaml: resolve(REPO, 'node_modules', 'yaml', 'browser', 'index.js') } },
  plugins: [ownUrl, lazyChildProcess],
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !BUNDLED_PACKAGES.has(id.split('/')[0]),
  logLevel: 'warn',
  preserveEntrySignatures: false,
});
// Minified (fewer bytes for V8 to scan at every start), and small shared chunks copied into the
// chunks that use them: a no-op status loaded 29 modules, each a read, resolve and link.
await bundle.write({
  dir: OUT,
  format: 'esm',
  minify: true,
  codeSplitting: { experimentalInlineCommonChunks: { maxSize: 12 * 1024 } },
  entryFileNames: '[name].js',
  chunkFileNames: 'dvcts-[name]-[hash].js',
  cleanDir: true,
});
await bundle.close();
