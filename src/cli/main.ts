#!/usr/bin/env node
import { Command, Option } from 'commander';
import { createRequire } from 'node:module';
import { runAction } from './run-action.js';

// Only commander is loaded at start-up; each command imports what it needs when it runs.
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const program = new Command('dvcts')
  .description('Data pipelines with dataset versioning: reproducible stages, content-addressed data.')
  .version(version)
  .showSuggestionAfterError(true);

const jobs = (): Option => new Option('-j, --jobs <n>', 'stages to run at once (default: cores, or core.jobs)').argParser(positiveInt);

program
  .command('init')
  .description('create .dvcts/ (config, cache, tmp) in the current folder')
  .option('-f, --force', 'rewrite the default config of an existing project')
  .action(runAction(async (o: { force?: boolean }) => (await import('./commands/init.js')).initCommand(o)));

program
  .command('repro')
  .description('run the stale stages of the targets (default: every pipeline) in dependency order')
  .argument('[targets...]', 'file.yaml:stage, stage, stage@key, a foreach group, or a pipeline file')
  .option('-f, --force', 'run the selected stages even if they are up to date')
  .option('-s, --single-item', 'run only the targets, not the stages they depend on')
  .option('--downstream', 'run the targets and every stage that depends on them')
  .option('--dry', 'print what would run and why, run nothing')
  .addOption(jobs())
  .option('-k, --keep-going', 'after a failure, keep running the stages that do not depend on it')
  .option('--no-wait', 'fail at once if another dvcts process holds the project lock')
  .option('-q, --quiet', 'print only failures')
  .action(runAction(async (targets: string[], o) => (await import('./commands/repro.js')).reproCommand(targets, o)));

program
  .command('status')
  .description('show which stages are stale and exactly why')
  .argument('[targets...]', 'stages to check (default: all)')
  .option('--json', 'machine-readable output')
  .action(runAction(async (targets: string[], o) => (await import('./commands/status.js')).statusCommand(targets, o)));

program
  .command('dag')
  .description('show the pipeline graph')
  .argument('[targets...]', 'show only these stages and what they need')
  .addOption(new Option('--mermaid', 'Mermaid flowchart').conflicts('dot'))
  .option('--dot', 'Graphviz dot')
  .option('--outs', 'show outputs instead of stages')
  .action(runAction(async (targets: string[], o) => (await import('./commands/dag.js')).dagCommand(targets, o)));

program
  .command('schema')
  .description('print the JSON Schema of pipeline files (for editor completion and checks)')
  .action(runAction(async () => (await import('./commands/schema.js')).schemaCommand()));

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--jobs must be a positive integer, got "${value}"`);
  return n;
}

await program.parseAsync(process.argv);
