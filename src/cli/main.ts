#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createRequire } from 'node:module';
import { runAction } from './run-action.js';

// A reader that stops early (`dvcts status | head`) closes the pipe: what is left unwritten is
// dropped, and the command goes on to a clean end (a repro still records what ran, releases its
// lock) instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

// Only commander is loaded at start-up; each command imports what it needs when it runs.
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const program = new Command('dvcts')
  .description('Data pipelines with dataset versioning: reproducible stages, content-addressed data.')
  .version(version)
  .showSuggestionAfterError(true)
  .exitOverride(usageExit);

const transferJobs = (): Option => new Option('-j, --jobs <n>', 'objects transferred at once (default: the remote\'s jobs, else 4 x cores)').argParser(positiveInt);

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
  .option('--no-run-cache', 'run stale stages even if their outputs for the same inputs are in the run-cache')
  .option('--pull', "first fetch the recorded data the workspace lacks, and look stale stages up in the remote's run-cache")
  .option('-r, --remote <name>', 'remote for --pull and the queue executor (default: the default remote)')
  .addOption(new Option('--executor <kind>', 'where stages run: local, or queue (BullMQ workers; default: executor.type in config, else local)').choices(['local', 'queue']))
  .option('--queue <url>', "the queue executor's Redis: redis://[:PASSWORD@]HOST:PORT, rediss:// for TLS (default: executor.queue)")
  .option('--queue-name <name>', 'BullMQ queue shared with the workers (default: executor.queue_name, else dvcts)')
  .option('--no-wait', 'fail at once if another dvcts process holds the project lock')
  .option('-q, --quiet', 'print only failures')
  .option('--json', 'print what ran, was restored or skipped (and durations) as JSON on stdout')
  .action(runAction(async (targets: string[], o) => (await import('./commands/repro.js')).reproCommand(targets, o)));

program
  .command('worker')
  .description('run stages for `repro --executor queue`: take jobs from a BullMQ queue, data by id through a remote (needs DVCTS_QUEUE_SECRET)')
  .requiredOption('--queue <url>', 'the Redis of the queue: redis://[:PASSWORD@]HOST:PORT, rediss:// for TLS')
  .requiredOption('--remote <url>', 'the remote the coordinator uses: a folder or s3://bucket/prefix (credentials from the AWS environment)')
  .option('--remote-endpoint <url>', 'S3-compatible server of an s3:// remote')
  .option('--queue-name <name>', 'BullMQ queue (default: dvcts)')
  .addOption(new Option('-c, --concurrency <n>', 'jobs at once').default(1).argParser(positiveInt))
  .option('--name <name>', 'shown in the coordinator\'s log as [stage@NAME] (default: host-pid)')
  .option('--scratch <dir>', "the worker's cache and job workspaces (default: in the system temp folder)")
  .option('--builtins-only', 'refuse `cmd:` stages: run built-ins only')
  .addOption(new Option('--lock-timeout <seconds>', 'a worker that stops (killed, cut off) loses its running jobs to the others after this').default(30).argParser(positiveInt))
  .action(runAction(async (o) => (await import('./commands/worker.js')).workerCommand(o)));

program
  .command('status')
  .description('show which stages are stale and exactly why; with --cloud, what the cache and a remote lack')
  .argument('[targets...]', 'stages to check (default: all); with --cloud, pointer files, data paths or stages')
  .option('--json', 'machine-readable output')
  .option('-q, --quiet', 'print nothing; exit 1 when anything is stale, 0 when all is up to date')
  .option('-c, --cloud', 'compare the local cache with a remote instead')
  .option('-r, --remote <name>', 'remote for --cloud (default: the default remote)')
  .option('--rev <rev>', 'with --cloud: the data recorded at this git revision instead of the work tree\'s')
  .addOption(transferJobs())
  .option('-A, --all-commits', 'with --cloud: also the data of every commit')
  .option('-a, --all-branches', 'with --cloud: also the data of every branch tip')
  .option('-T, --all-tags', 'with --cloud: also the data of every tag')
  .action(
    runAction(async (targets: string[], o) =>
      o.cloud ? (await import('./commands/cloud-status.js')).cloudStatusCommand(targets, o) : (await import('./commands/status.js')).statusCommand(targets, o),
    ),
  );

program
  .command('dag')
  .description('show the pipeline graph')
  .argument('[targets...]', 'show only these stages and what they need')
  .addOption(new Option('--mermaid', 'Mermaid flowchart').conflicts('dot'))
  .option('--dot', 'Graphviz dot')
  .option('--outs', 'show outputs instead of stages')
  .addOption(new Option('--json', 'the stages, their outputs and upstream stages as JSON').conflicts(['mermaid', 'dot']))
  .action(runAction(async (targets: string[], o) => (await import('./commands/dag.js')).dagCommand(targets, o)));

program
  .command('schema')
  .description('print the JSON Schema of pipeline files (for editor completion and checks)')
  .action(runAction(async () => (await import('./commands/schema.js')).schemaCommand()));

program
  .command('add')
  .description('track data files or folders: store them in the cache and write PATH.dvcts pointer files for git')
  .argument('<paths...>', 'files or folders inside the project')
  .option('--json', 'what was added (ids, sizes, pointer files) as JSON')
  .option('-q, --quiet', 'no progress and no git advice; only results and errors')
  .option('--no-wait', 'fail at once if another dvcts process holds the project lock')
  .action(runAction(async (paths: string[], o) => (await import('./commands/add.js')).addCommand(paths, o)));

program
  .command('checkout')
  .description('make the workspace data match the pointer and lock files (of the work tree, or of a git revision)')
  .argument('[targets...]', 'pointer files, data paths or stages (default: everything tracked)')
  .option('--rev <rev>', 'read pointer and lock files at this git revision (HEAD and tracked files stay as they are)')
  .option('--relink', 're-create unchanged files too, with the configured link types')
  .option('-f, --force', 'overwrite unrecorded workspace changes (they are saved to the cache first)')
  .option('--json', 'restored, unchanged, skipped and overwritten paths as JSON')
  .option('-q, --quiet', 'no progress; only results and errors')
  .option('--no-wait', 'fail at once if another dvcts process holds the project lock')
  .action(runAction(async (targets: string[], o) => (await import('./commands/checkout.js')).checkoutCommand(targets, o)));

program
  .command('diff')
  .description('files added, deleted and modified in tracked data between two revisions, or a revision and the workspace')
  .argument('[a]', 'old revision (default: HEAD)')
  .argument('[b]', 'new revision (default: the workspace)')
  .option('--json', 'machine-readable output')
  .action(runAction(async (a: string | undefined, b: string | undefined, o) => (await import('./commands/diff.js')).diffCommand(a, b, o)));

program
  .command('gc')
  .description('remove cache objects that no pointer file, lock file or run-cache record in the scope references')
  .option('-w, --workspace', 'keep only what the work tree references (default)')
  .option('-A, --all-commits', 'also keep what every commit references')
  .option('-a, --all-branches', 'also keep what the tip of every local branch references')
  .option('-T, --all-tags', 'also keep what every tag references')
  .option('--dry', 'print what would be removed, remove nothing')
  .option('-c, --cloud', 'remove unreferenced objects from a remote instead of the local cache')
  .option('-r, --remote <name>', 'remote for --cloud (default: the default remote)')
  .addOption(transferJobs())
  .addOption(
    new Option('--keep-recent <minutes>', 'with --cloud: never remove objects written less than this long ago (another clone may be pushing)').default(60).argParser(nonNegativeNumber),
  )
  .option('--json', 'counts and bytes as JSON')
  .option('-q, --quiet', 'no progress; only the result and errors')
  .option('-f, --force', 'also collect a cache reached through a symbolic link (shared with other projects)')
  .option('--no-wait', 'fail at once if another dvcts process holds the project lock')
  .action(runAction(async (o) => (await import('./commands/gc.js')).gcCommand(o)));

/** push, fetch and pull share their options. */
function transferCommand(name: 'push' | 'fetch' | 'pull', description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('[targets...]', 'pointer files, data paths or stages (default: everything recorded)')
    .option('-r, --remote <name>', 'remote to use (default: the default remote)')
    .option('--rev <rev>', 'the data that pointer and lock files record at this git revision, instead of the work tree\'s')
    .addOption(transferJobs())
    .option('--run-cache', name === 'push' ? 'also push the run-cache records and the outputs they name' : "also fetch the remote's run-cache records and the outputs they name")
    .option('-A, --all-commits', 'also the data of every commit')
    .option('-a, --all-branches', 'also the data of every branch tip')
    .option('-T, --all-tags', 'also the data of every tag')
    .option('--no-wait', 'fail at once if another dvcts process holds the project lock');
}

transferCommand('push', 'send the data the pointer and lock files record (and with --run-cache, the run-cache) to a remote').action(
  runAction(async (targets: string[], o) => (await import('./commands/transfer.js')).pushCommand(targets, o)),
);
transferCommand('fetch', 'download the recorded data from a remote into the cache (re-hashed), without touching the workspace').action(
  runAction(async (targets: string[], o) => (await import('./commands/transfer.js')).fetchCommand(targets, o)),
);
transferCommand('pull', 'fetch, then check out: the recorded data from a remote into the workspace')
  .option('-f, --force', 'overwrite unrecorded workspace changes (they are saved to the cache first)')
  .action(runAction(async (targets: string[], o) => (await import('./commands/transfer.js')).pullCommand(targets, o)));

const remote = program.command('remote').description('configure remotes: where push, pull and fetch send and get data');
const remoteCommands = async (): Promise<typeof import('./commands/remote.js')> => import('./commands/remote.js');
remote
  .command('add')
  .description('add a remote: a folder (/path, file:///path, relative to the project) or s3://bucket/prefix')
  .argument('<name>')
  .argument('<url>')
  .option('-d, --default', 'make it the default remote')
  .option('--local', 'write it to .dvcts/config.local.yaml (this machine only) instead of .dvcts/config.yaml')
  .option('-f, --force', 'replace a remote of the same name')
  .action(runAction(async (name: string, url: string, o) => (await remoteCommands()).remoteAddCommand(name, url, o)));
remote
  .command('list')
  .description('list the remotes (credentials are never shown)')
  .option('--json', 'machine-readable output')
  .action(runAction(async (o) => (await remoteCommands()).remoteListCommand(o)));
remote
  .command('remove')
  .description('remove a remote from both config files (the data on it stays)')
  .argument('<name>')
  .action(runAction(async (name: string) => (await remoteCommands()).remoteRemoveCommand(name)));
remote
  .command('modify')
  .description('set one option of a remote (credentials always go to .dvcts/config.local.yaml)')
  .argument('<name>')
  .argument('<key>', 'url, jobs, endpoint, region, path_style, profile, access_key_id, secret_access_key, session_token, connect_timeout, read_timeout, retries')
  .argument('[value]')
  .option('--local', 'write it to .dvcts/config.local.yaml (this machine only)')
  .option('-u, --unset', 'remove the option')
  .action(runAction(async (name: string, key: string, value: string | undefined, o) => (await remoteCommands()).remoteModifyCommand(name, key, value, o)));
remote
  .command('default')
  .description('print the default remote, or set it')
  .argument('[name]')
  .option('--local', 'set it in .dvcts/config.local.yaml (this machine only)')
  .option('-u, --unset', 'no default remote')
  .action(runAction(async (name: string | undefined, o) => (await remoteCommands()).remoteDefaultCommand(name, o)));

program
  .command('install')
  .description('install git hooks that run `dvcts checkout` after git checkout and git merge')
  .action(runAction(async () => (await import('./commands/install.js')).installCommand()));

program
  .command('unprotect')
  .description('make linked (hard/sym) workspace files editable without touching the cache')
  .argument('<paths...>', 'tracked files or folders')
  .action(runAction(async (paths: string[]) => (await import('./commands/unprotect.js')).unprotectCommand(paths)));

program
  .command('fsck')
  .description('re-hash every cache object and check that all data the pointer and lock files record is present and intact')
  .option('--json', 'machine-readable output')
  .addOption(new Option('-j, --jobs <n>', 'objects to verify at once (default: cores, at least 4)').argParser(positiveInt))
  .option('-q, --quiet', 'no progress; only the report')
  .action(runAction(async (o) => (await import('./commands/fsck.js')).fsckCommand(o)));

const metrics = program.command('metrics').description('read and compare the metrics files that stages declare');
metrics
  .command('show')
  .description('print every metric of the selected stages (default: all), flattened to dotted keys')
  .argument('[targets...]', 'stages whose metrics to show')
  .option('--json', 'machine-readable output')
  .action(runAction(async (targets: string[], o) => (await import('./commands/metrics.js')).metricsShowCommand(targets, o)));
comparison(metrics.command('diff'), 'metrics')
  .option('--targets <stages...>', 'only the metrics of these stages')
  .action(runAction(async (a: string | undefined, b: string | undefined, o) => (await import('./commands/metrics.js')).metricsDiffCommand(a, b, o)));

comparison(program.command('params').description('compare the tracked parameters').command('diff'), 'tracked params').action(runAction(async (a: string | undefined, b: string | undefined, o) => (await import('./commands/params.js')).paramsDiffCommand(a, b, o)));

const plots = program.command('plots').description('draw the plots files of stages (learning curves, confusion matrices) into one offline HTML page');
plots
  .command('show')
  .description('write the plots of the workspace to DIR/index.html')
  .argument('[targets...]', 'stages whose plots to draw (default: all)')
  .option('-o, --out <dir>', 'output folder', 'dvcts_plots')
  .option('--json', 'print what was drawn as JSON')
  .action(runAction(async (targets: string[], o) => (await import('./commands/plots.js')).plotsCommand(targets, [undefined], o)));
plots
  .command('diff')
  .description('overlay the plots of revisions (the workspace when only one is given)')
  .argument('[revisions...]', 'git revisions (default: HEAD and the workspace)')
  .option('--targets <stages...>', 'only the plots of these stages')
  .option('-o, --out <dir>', 'output folder', 'dvcts_plots')
  .option('--json', 'print what was drawn as JSON')
  .action(runAction(async (revs: string[], o) => (await import('./commands/plots.js')).plotsCommand(o.targets ?? [], revs.length === 0 ? ['HEAD', undefined] : revs.length === 1 ? [revs[0], undefined] : revs, o)));

const exp = program.command('exp').description('experiments: run pipelines with changed params, record each run as a git ref, compare, apply');
const expCommands = async (): Promise<typeof import('./commands/exp.js')> => import('./commands/exp.js');
exp
  .command('run')
  .description('reproduce with changed params (-S) and record the experiment as refs/exps/NAME (HEAD does not move)')
  .argument('[targets...]', 'stages to reproduce (default: every pipeline)')
  .option('-S, --set-param <[file:]key=value>', 'change a param for this run (repeat it); +key=value adds a key', collect, [])
  .option('-n, --name <name>', 'experiment name (default: exp-XXXXXX)')
  .option('--temp', 'run in a temporary copy of the workspace; the workspace does not change')
  .option('--queue', 'add it to the queue instead of running it (`dvcts queue start` runs the queue)')
  .addOption(jobs())
  .option('-q, --quiet', 'print only failures')
  .option('--json', 'print the recorded experiment as JSON')
  .action(runAction(async (targets: string[], o) => (await expCommands()).expRunCommand(targets, o)));

exp
  .command('show')
  .description('a table of the experiments: params and metrics as columns, the best value of each metric marked')
  .addOption(new Option('--json', 'machine-readable output').conflicts(['md', 'csv']))
  .addOption(new Option('--md', 'a Markdown table').conflicts('csv'))
  .option('--csv', 'CSV (for spreadsheets)')
  .option('--sort-by <column>', 'sort the experiments by a param or metric (as shown, or FILE:KEY)')
  .addOption(new Option('--sort-order <order>', 'with --sort-by').choices(['asc', 'desc']).default('asc'))
  .option('--only-changed', 'only the columns whose value differs between rows')
  .action(runAction(async (o) => (await expCommands()).expShowCommand(o)));

exp
  .command('apply')
  .description("bring an experiment's params, lock files and data into the workspace (HEAD does not move)")
  .argument('<name>')
  .option('-f, --force', 'overwrite workspace changes that neither HEAD nor any experiment records')
  .action(runAction(async (name: string, o) => (await expCommands()).expApplyCommand(name, o)));
exp
  .command('branch')
  .description("create a git branch at an experiment's commit")
  .argument('<name>', 'experiment')
  .argument('<branch>', 'new branch name')
  .action(runAction(async (name: string, branch: string) => (await expCommands()).expBranchCommand(name, branch)));
exp
  .command('remove')
  .description('delete experiments (and queue entries) by name; their data stays in the cache until gc')
  .argument('[names...]')
  .option('--all', 'every experiment')
  .option('--queue', 'every queue entry (queued, failed, finished)')
  .action(runAction(async (names: string[], o) => (await expCommands()).expRemoveCommand(names, o)));
comparison(exp.command('diff'), 'params and metrics').action(
  runAction(async (a: string | undefined, b: string | undefined, o) => (await expCommands()).expDiffCommand(a, b, o)),
);

exp
  .command('sweep')
  .description('search params: each trial an experiment (grid, seeded random, or Optuna TPE with pruning)')
  .argument('[targets...]', 'stages to reproduce in each trial (default: every pipeline)')
  .option('-S, --set-param <[file:]key=space>', 'a searched param: choice(a,b,..), uniform(lo,hi), loguniform(lo,hi), int(lo,hi); or a fixed key=value (repeat it)', collect, [])
  .requiredOption('--objective <file:key>', 'the metric to optimise, e.g. reports/train.json:val.accuracy')
  .addOption(new Option('--direction <direction>', 'default: from the metric name (loss: minimize, accuracy: maximize)').choices(['minimize', 'maximize']))
  .addOption(new Option('--trials <n>', 'trials to run (default 10; grid: every point)').argParser(positiveInt))
  .addOption(new Option('-j, --jobs <n>', 'trials run at once, each in a temporary workspace (default 1)').argParser(positiveInt))
  .addOption(new Option('--sampler <sampler>', 'grid and random are built in; tpe is Optuna (python3-optuna)').choices(['grid', 'random', 'tpe']).default('tpe'))
  .addOption(new Option('--seed <n>', 'seed of the random and tpe samplers').default(0).argParser(nonNegativeInt))
  .option('-n, --name <name>', 'sweep name: trials are NAME-00, NAME-01, ... (default sweep-XXXXXX)')
  .addOption(new Option('--startup-trials <n>', 'tpe: random trials before TPE models the results (default: a third of --trials, 2 to 10)').argParser(positiveInt))
  .option('--prune-on <file:column>', 'tpe: a per-epoch table the trial writes as it runs (e.g. the train curves CSV); hopeless trials are stopped (Optuna MedianPruner)')
  .addOption(new Option('--prune-startup-trials <n>', 'trials never pruned before pruning starts (default 5)').argParser(nonNegativeInt))
  .addOption(new Option('--prune-warmup-steps <n>', 'steps of each trial never pruned (default 0)').argParser(nonNegativeInt))
  .option('--json', 'print the sweep result as JSON')
  .action(runAction(async (targets: string[], o) => (await import('./commands/sweep.js')).expSweepCommand(targets, o)));

const queue = program.command('queue').description('run queued experiments (`exp run --queue`), in parallel, each in a temporary workspace');
const queueCommands = async (): Promise<typeof import('./commands/queue.js')> => import('./commands/queue.js');
queue
  .command('start')
  .description('run the queued experiments, oldest first; Ctrl-C puts running ones back in the queue')
  .addOption(new Option('-j, --jobs <n>', 'experiments run at once (default 1)').argParser(positiveInt))
  .action(runAction(async (o) => (await queueCommands()).queueStartCommand(o)));
queue
  .command('status')
  .description('queued, running, failed and finished experiments')
  .option('--json', 'machine-readable output')
  .action(runAction(async (o) => (await queueCommands()).queueStatusCommand(o)));
queue
  .command('logs')
  .description('the log of an experiment run from the queue')
  .argument('<name>')
  .action(runAction(async (name: string) => (await queueCommands()).queueLogsCommand(name)));
queue
  .command('kill')
  .description('stop a running queued experiment (it is marked failed)')
  .argument('<name>')
  .action(runAction(async (name: string) => (await queueCommands()).queueKillCommand(name)));

program
  .command('doctor')
  .description('what this machine can run: versions, GPUs, and which TensorFlow.js backends work (and why not)')
  .option('--json', 'machine-readable output')
  .action(runAction(async (o) => (await import('./commands/doctor.js')).doctorCommand(o)));

/** Commander's own errors (unknown command or option, bad argument) are usage errors: exit code 2. */
function usageExit(err: CommanderError): never {
  const informational = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
  process.exit(informational ? 0 : 2);
}

/** `metrics diff` / `params diff`: the two sides and the output formats. */
function comparison(command: Command, what: string): Command {
  return command
    .description(`compare ${what} between two revisions, or a revision (default HEAD) and the workspace`)
    .argument('[a]', 'old revision (default: HEAD)')
    .argument('[b]', 'new revision (default: the workspace)')
    .option('--all', `show unchanged ${what} too`)
    .addOption(new Option('--json', 'machine-readable output').conflicts('md'))
    .option('--md', 'a Markdown table');
}

/** A repeatable option's values, in order. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected an integer >= 0, got "${value}"`);
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  return n;
}

// Not awaited at the top level: the bundle is CommonJS (scripts/bundle-cli.mjs). A rejection still
// ends the process with its error, as an awaited one did.
void program.parseAsync(process.argv);
