import { describe, expect, it } from 'vitest';
import { error, warning } from '../../src/core/diagnostics.js';
import { renderDiagnostic } from '../../src/report/render-diagnostics.js';
import { load } from './helpers.js';

const range = (line: number, col: number, endLine: number, endCol: number) => ({ file: 'pipelines/text.yaml', line, col, endLine, endCol });

describe('renderDiagnostic', () => {
  it('renders a loaded diagnostic with the source line and carets under the key', async () => {
    const { diagnostics, sources } = await load({
      'pipelines/text.yaml': 'stages:\n  decode:\n    cmd: x\n  clean:\n    cmd: y\n    outs: [o]\n    dep: [datasets/work/poems.csv]\n',
    });
    expect(renderDiagnostic(diagnostics[0]!, sources)).toMatchInlineSnapshot(`
      "pipelines/text.yaml:7:5: error[E_UNKNOWN_KEY]: unknown key "dep" in stage "clean"
          7 |     dep: [datasets/work/poems.csv]
            |     ^^^
        hint: did you mean "deps"?"
    `);
  });

  it('widens the gutter for long files and underlines to the line end for multi-line spans', () => {
    const source = `${'#\n'.repeat(12344)}stages: [a,\n  b]\n`;
    const d = warning('W_X', 'spans two lines', range(12345, 9, 12346, 5));
    expect(renderDiagnostic(d, new Map([['pipelines/text.yaml', source]]))).toMatchInlineSnapshot(`
      "pipelines/text.yaml:12345:9: warning[W_X]: spans two lines
       12345 | stages: [a,
             |         ^^^"
    `);
  });

  it('keeps tabs in the caret line and draws one caret for an empty span', () => {
    const d = error('E_T', 'tabbed', range(1, 4, 1, 4));
    expect(renderDiagnostic(d, new Map([['pipelines/text.yaml', '\t\tab: c\n']]))).toBe(
      'pipelines/text.yaml:1:4: error[E_T]: tabbed\n    1 | \t\tab: c\n      | \t\t ^',
    );
  });

  it('renders a diagnostic without a range as code and message only', () => {
    expect(renderDiagnostic(error('E_FILE_NOT_FOUND', 'no such file', undefined, 'check it'), new Map())).toBe(
      'error[E_FILE_NOT_FOUND]: no such file\n  hint: check it',
    );
  });

  it('colours severity only when asked', () => {
    const d = error('E_T', 'm', range(1, 1, 1, 2));
    const sources = new Map([['pipelines/text.yaml', 'x\n']]);
    expect(renderDiagnostic(d, sources)).not.toContain('\u001b[');
    const coloured = renderDiagnostic(d, sources, { color: true });
    expect(coloured).toContain('\u001b[1;31merror\u001b[0m');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderDiagnostic(d, sources));
    expect(renderDiagnostic(warning('W', 'm'), sources, { color: true })).toContain('\u001b[1;33mwarning');
  });
});
