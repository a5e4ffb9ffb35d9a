import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/** Failures of the queue executor and its workers. Messages show queue URLs without passwords. */
export const EXECUTOR_ERRORS = defineErrors('executor', {
  E_QUEUE_URL_INVALID: { meaning: 'a queue URL is not redis://[user:password@]host:port[/db] or rediss://… (exit code 2)', hint: 'e.g. --queue redis://10.0.0.5:6379', data: { url: 'string' } },
  E_QUEUE_UNREACHABLE: {
    meaning: 'Redis did not answer within 10 s (refused, timed out, or its TLS certificate is not trusted)',
    hint: 'check host and port, that redis-server runs, and for rediss:// that NODE_EXTRA_CA_CERTS names its CA',
    data: { url: 'string' },
  },
  E_QUEUE_AUTH: { meaning: 'Redis refused the user name or password of the queue URL, or needs one', hint: 'put the password in the URL: redis://:PASSWORD@host:port (or user:PASSWORD@ with ACLs)', data: { url: 'string' } },
  E_QUEUE_SECRET_MISSING: {
    meaning: 'DVCTS_QUEUE_SECRET is not set: jobs are signed with it, and workers run only jobs signed with it (exit code 2)',
    hint: 'set the same long random DVCTS_QUEUE_SECRET for the coordinator and every worker (e.g. `openssl rand -hex 32`)',
  },
  E_JOB_UNSIGNED: { meaning: 'a worker was given a job without a signature and refused it', hint: 'only `dvcts repro --executor queue` with DVCTS_QUEUE_SECRET may enqueue jobs; check who writes to the queue', data: { job: 'string' } },
  E_JOB_SIGNATURE: {
    meaning: 'a job or result does not match its signature: it was altered, or signed with another DVCTS_QUEUE_SECRET; it was refused',
    hint: 'give the coordinator and the workers the same DVCTS_QUEUE_SECRET; if they have it, someone else writes to the queue',
    data: { job: 'string' },
  },
  E_JOB_SHELL_REFUSED: { meaning: 'a worker started with --builtins-only was given a `cmd:` stage', hint: 'run shell stages locally, or start workers without --builtins-only', data: { stage: 'string', worker: 'string' } },
  E_WORKER_BUILTIN: {
    meaning: 'a worker does not have the built-in a stage uses, or has another version of it',
    hint: 'run the same dvcts version on the coordinator and the workers',
    data: { stage: 'string', uses: 'string', version: 'string', worker: 'string' },
  },
  E_WORKER_INPUT_MISSING: {
    meaning: 'a worker could not fetch a dependency of the stage from its remote',
    hint: 'the workers must use the remote the coordinator pushes to (dvcts worker --remote, repro -r)',
    data: { stage: 'string', paths: 'string[]', worker: 'string', remote: 'string' },
  },
  E_UNDECLARED_INPUT: {
    meaning: 'a stage failed on a worker reading a file of the project that is not among its deps: a worker has only the declared deps',
    hint: 'add the file to the stage\'s deps (a local run hides this pipeline bug)',
    data: { stage: 'string', paths: 'string[]' },
  },
  E_WORKER_LOST: {
    meaning: 'a job failed on the workers for a reason other than the stage itself (a worker killed too often, its remote or disk failing) after every retry',
    hint: 'read the worker\'s message; the workers\' own logs say more',
    data: { stage: 'string', reason: 'string' },
  },
  E_EXECUTOR_CONFIG: { meaning: 'the executor settings (repro options or `executor:` in .dvcts/config.yaml) are invalid (exit code 2)', hint: 'see "Running on a cluster" in the README', data: { where: 'string' } },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof EXECUTOR_ERRORS> {}
}
