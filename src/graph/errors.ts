import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/** Problems with the graph of stages and with target names. */
export const GRAPH_ERRORS = defineErrors('graph', {
  E_CYCLE: { meaning: 'the stages depend on each other in a cycle (every stage on it is named)', hint: 'remove one of the deps or outs that close the cycle' },
  E_OUT_CONFLICT: { meaning: 'two stages write the same output path', hint: 'each path may be written by one stage only' },
  E_OUT_NESTED: { meaning: 'an output lies inside another output', hint: 'list only the enclosing folder, or move one of them' },
  E_UNKNOWN_TARGET: { meaning: 'a target names no stage, group or pipeline file', hint: 'run `dvcts dag` to see the stage names', data: { target: 'string' } },
  E_AMBIGUOUS_TARGET: { meaning: 'a stage name is defined in several pipeline files', hint: 'write the target as file:stage', data: { target: 'string', files: 'string[]' } },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof GRAPH_ERRORS> {}
}
