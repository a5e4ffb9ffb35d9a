import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PlotData } from './plot-data.js';
import { vegaLiteSpec } from './specs.js';

/**
 * The plots page: one HTML file that works offline. Vega-Lite specs are compiled to Vega here,
 * and Vega's own built bundle is inlined (never a CDN); the page renders every chart as SVG
 * when it loads and writes any rendering error into the page and the console.
 */
export async function plotsPage(plots: readonly PlotData[], revisions: readonly string[]): Promise<string> {
  const { compile } = await import('vega-lite');
  const specs = plots.map((p) => ({ id: p.id, spec: compile(vegaLiteSpec(p) as never).spec }));
  const vega = await readFile(join(dirname(createRequire(import.meta.url).resolve('vega')), 'vega.min.js'), 'utf8');
  const title = `dvcts plots: ${revisions.join(' vs ')}`;
  const sections = specs.map((s, i) => `<section><h2>${escapeHtml(s.id)}</h2><div class="chart" id="chart-${i}"></div></section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
section { margin-bottom: 2.5em; }
h2 { font-size: 1em; font-family: ui-monospace, monospace; }
.error { color: #b00; white-space: pre-wrap; }
</style>
<script>${inlineScript(vega)}</script>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${plots.length === 0 ? '<p>No stage of the selection declares plots or writes a confusion matrix.</p>' : sections}
<script>
const specs = ${inlineScript(JSON.stringify(specs.map((s) => s.spec)))};
Promise.all(specs.map((spec, i) => {
  const container = document.getElementById('chart-' + i);
  return new vega.View(vega.parse(spec), { renderer: 'svg', container, hover: true }).runAsync().catch((e) => {
    console.error(e);
    container.innerHTML = '<p class="error"></p>';
    container.firstChild.textContent = String(e);
  });
})).then(() => { document.body.dataset.rendered = String(specs.length); });
</script>
</body>
</html>
`;
}

/** Text placed inside <script>: "</script" (any case) and "<!--" must not appear in it. */
function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
