import { dag } from '../../api/dag.js';
import { drawing, renderAscii, renderDot, renderMermaid } from '../../report/render-dag.js';

export async function dagCommand(targets: string[], opts: { mermaid?: boolean; dot?: boolean; outs?: boolean; json?: boolean }): Promise<void> {
  const nodes = await dag({ targets });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ stages: nodes }, null, 2)}\n`);
    return;
  }
  const d = drawing(nodes, opts.outs ?? false);
  const text = opts.mermaid ? renderMermaid(d) : opts.dot ? renderDot(d) : renderAscii(d);
  process.stdout.write(`${text}\n`);
}
