import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('validation through the CLI', () => {
  it('collects every error, renders each at its YAML line, exits 2 and runs nothing', () => {
    project = TempProject.init({
      'params.yaml': 'train:\n  lr: 0.1\n',
      'pipelines/bad.yaml': `stages:
  clean:
    cmd: cp raw.txt clean.txt
    dep: [raw.txt]
    outs: [clean.txt]
  both:
    cmd: echo
    uses: split
  lr:
    cmd: train --lr \${train.lrate}
    outs: [../outside.txt]
  twin:
    cmd: echo > ping.txt
    outs: [ping.txt]
  base:
    cmd: mkdir -p data
    outs: [data]
  nested:
    cmd: echo > data/inner.txt
    outs: [data/inner.txt]
  ping:
    cmd: cp pong.txt ping.txt
    deps: [pong.txt]
    outs: [ping.txt]
  pong:
    cmd: cp ping.txt pong.txt
    deps: [ping.txt]
    outs: [pong.txt]
`,
    });
    const r = project.dvcts('repro');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatchInlineSnapshot(`
      "pipelines/bad.yaml:4:5: error[E_UNKNOWN_KEY]: unknown key "dep" in stage "clean"
          4 |     dep: [raw.txt]
            |     ^^^
        hint: did you mean "deps"?
      pipelines/bad.yaml:6:3: error[E_CMD_USES]: stage "both" has both "cmd" and "uses"
          6 |   both:
            |   ^^^^
        hint: keep one: \`cmd\` runs a shell command, \`uses\` a built-in
      pipelines/bad.yaml:8:11: error[E_SPLIT_ARITY]: split reads one table into one folder: it needs exactly 1 dep and 1 out (got 0 and 0) (stage "both", uses: split)
          8 |     uses: split
            |           ^^^^^
        hint: use one stage per table
      pipelines/bad.yaml:10:21: error[E_INTERP_MISSING]: no value for "train.lrate" in \${train.lrate}
         10 |     cmd: train --lr \${train.lrate}
            |                     ^^^^^^^^^^^^^^
        hint: define it in params.yaml or in the \`vars:\` of this file
      pipelines/bad.yaml:11:12: error[E_PATH_OUTSIDE]: path "../outside.txt" leaves the project (stage "lr")
         11 |     outs: [../outside.txt]
            |            ^^^^^^^^^^^^^^
        hint: move the data inside the project, or track it with \`dvcts add\` from a path inside it
      pipelines/bad.yaml:20:12: error[E_OUT_NESTED]: output "data/inner.txt" of stage "pipelines/bad.yaml:nested" is inside output "data" of stage "pipelines/bad.yaml:base"
         20 |     outs: [data/inner.txt]
            |            ^^^^^^^^^^^^^^
        hint: an output may not live inside another stage's output directory
      pipelines/bad.yaml:21:3: error[E_CYCLE]: dependency cycle: ping -> pong -> ping
         21 |   ping:
            |   ^^^^
        hint: stages on the cycle: pipelines/bad.yaml:ping, pipelines/bad.yaml:pong; remove one of these deps or outs
      pipelines/bad.yaml:24:12: error[E_OUT_CONFLICT]: output "ping.txt" of stage "pipelines/bad.yaml:ping" is also an output of stage "pipelines/bad.yaml:twin"
         24 |     outs: [ping.txt]
            |            ^^^^^^^^
        hint: each path may be written by one stage only
      8 error(s); nothing was run.
      "
    `);
  });

  it('dvcts schema prints a JSON Schema that names the stage fields', () => {
    project = TempProject.init();
    const schema = JSON.parse(project.dvcts('schema').expectOk().stdout) as { $schema: string };
    expect(schema.$schema).toContain('json-schema.org');
    expect(JSON.stringify(schema)).toContain('always_changed');
  });
});
