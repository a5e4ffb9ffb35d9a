import type { Confusion, Curves, PlotData } from './plot-data.js';

/**
 * Vega-Lite specs of the plots page. Curves: one line per y field, and per revision when several
 * are compared (colour = field, dash = revision). Confusion matrices: a heat map with the count
 * (or share) in each cell, one panel per revision.
 */
export function vegaLiteSpec(plot: PlotData): Record<string, unknown> {
  return plot.kind === 'curves' ? curvesSpec(plot) : confusionSpec(plot);
}

function curvesSpec(p: Curves): Record<string, unknown> {
  const values = p.series.flatMap((s) => s.rows.flatMap((r) => p.y.map((field) => ({ rev: s.rev, field, x: r[p.x], y: r[field] }))).filter((v) => typeof v.y === 'number'));
  const several = p.series.length > 1;
  const mark =
    p.template === 'scatter' ? { type: 'point', tooltip: true } : p.template === 'bar_horizontal' ? { type: 'bar', tooltip: true } : { type: 'line', point: p.template !== 'simple', tooltip: true };
  const xType = values.every((v) => typeof v.x === 'number') ? 'quantitative' : 'ordinal';
  const wholeX = values.every((v) => Number.isInteger(v.x)) ? { axis: { tickMinStep: 1, format: 'd' } } : {};
  const encoding: Record<string, unknown> =
    p.template === 'bar_horizontal'
      ? { y: { field: 'x', type: 'nominal', title: p.xLabel }, x: { field: 'y', type: 'quantitative', title: p.yLabel }, color: { field: several ? 'rev' : 'field', type: 'nominal' } }
      : {
          x: { field: 'x', type: xType, title: p.xLabel, ...wholeX },
          y: { field: 'y', type: 'quantitative', title: p.yLabel, scale: { zero: false } },
          color: { field: 'field', type: 'nominal', title: null },
          ...(several ? { strokeDash: { field: 'rev', type: 'nominal', title: 'revision' }, shape: { field: 'rev', type: 'nominal', title: 'revision' } } : {}),
          detail: { field: 'rev' },
        };
  const smooth = p.template === 'smooth' ? { transform: [{ loess: 'y', on: 'x', groupby: ['field', 'rev'], bandwidth: 0.5 }] } : {};
  return { title: p.title, width: 480, height: 280, data: { values }, ...smooth, mark, encoding };
}

function confusionSpec(p: Confusion): Record<string, unknown> {
  const several = p.revs.length > 1;
  const value = { field: 'value', type: 'quantitative', title: p.normalized ? 'share of the actual class' : 'count' };
  const cell = Math.max(24, Math.min(60, Math.floor(360 / Math.max(1, p.labels.length))));
  const sort = [...p.labels];
  return {
    title: p.title,
    data: { values: p.cells },
    ...(several ? { facet: { column: { field: 'rev', type: 'nominal', title: null, sort: [...p.revs] } }, spec: layers() } : layers()),
    resolve: { scale: { color: 'shared' } },
  };
  function layers(): Record<string, unknown> {
    return {
      transform: [{ joinaggregate: [{ op: 'max', field: 'value', as: 'max' }], groupby: ['rev'] }],
      width: cell * p.labels.length,
      height: cell * p.labels.length,
      encoding: {
        x: { field: 'actual', type: 'nominal', sort, title: p.xLabel },
        y: { field: 'predicted', type: 'nominal', sort, title: p.yLabel },
      },
      layer: [
        { mark: { type: 'rect', tooltip: true }, encoding: { color: { ...value, scale: { scheme: 'blues' } } } },
        {
          mark: { type: 'text', baseline: 'middle' },
          encoding: {
            text: { field: 'value', type: 'quantitative', format: p.normalized ? '.2f' : 'd' },
            color: { condition: { test: 'datum.value > 0.6 * datum.max', value: 'white' }, value: 'black' },
          },
        },
      ],
    };
  }
}
