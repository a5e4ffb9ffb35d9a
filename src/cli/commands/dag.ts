import { dag } from '../../api/dag.js';
import { drawing, renderAscii, renderDot, renderMermaid } from '../../report/render-dag.js';

export async function dagCommand(targets: string[], opts: { mermaid?: boolean; dot?: boolean; outs?: boolean }): Promise<void> {
  const d = drawing(await dag({ targets }), opts.outs ?? false);
  const text = opts.mermaid ? renderMermaid(d) : opts.dot ? renderDot(d) : renderAscii(d);
  process.stdout.write(`${text}\n`);
}
