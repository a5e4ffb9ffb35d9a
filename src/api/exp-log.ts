import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ParamOverride } from '../exp/params-override.js';
import { experimentLogPath } from '../exp/queue-store.js';
import { consoleReporter } from '../report/console-reporter.js';
import type { EventSink } from '../scheduler/events.js';
import { experimentsTmp } from './exp-workspace.js';

/** The log of an experiment run out of sight (queue, sweep): the stages' output as `repro` prints it. */
export interface ExperimentLog {
  readonly path: string;
  readonly onEvent: EventSink;
  line(text: string): void;
  close(): Promise<void>;
}

export async function openExperimentLog(root: string, name: string, overrides: readonly ParamOverride[]): Promise<ExperimentLog> {
  const path = experimentLogPath(experimentsTmp(root), name);
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(path);
  const line = (text: string): void => void file.write(`${text}\n`);
  line(`experiment ${name}${overrides.map((o) => ` -S ${o.file}:${o.key}=${JSON.stringify(o.value)}`).join('')}`);
  return {
    path,
    onEvent: consoleReporter({ stdout: file, stderr: file }),
    line,
    close: () => new Promise<void>((done) => file.end(done)),
  };
}
