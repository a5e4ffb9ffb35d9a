import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import type { RoundTripEngine } from './engine.js';
import { translateAligned, withoutUnknownMarks } from './paragraphs.js';

/**
 * The Apertium command-line translator (Debian `apertium` + a language-pair package such as
 * `apertium-eng-spa`). One batch = one `apertium -u source-pivot | apertium -u pivot-source`
 * pipeline (run by bash), both directions working side by side as in a shell pipe.
 */
export class ApertiumCli implements RoundTripEngine {
  readonly name = 'apertium';
  private processes = 0;

  private constructor(
    private readonly executable: string,
    private readonly source: string,
    private readonly pivot: string,
  ) {}

  /** Finds `apertium` on PATH and checks that both directions are installed. */
  static async open(source: string, pivot: string): Promise<ApertiumCli> {
    const executable = await findOnPath('apertium');
    if (executable === undefined) {
      throw new DvctsError('E_ENGINE_MISSING', `apertium not found on PATH: apt-get install apertium apertium-${source}-${pivot}`, {
        data: { engine: 'apertium', executable: 'apertium', path: process.env.PATH ?? '' },
        hint: `install it (Debian/Ubuntu: apt-get install apertium apertium-${source}-${pivot}), or use engine: apy / libretranslate`,
      });
    }
    const installed = (await runToEnd(executable, ['-l'], '')).split(/\s+/).filter((d) => d !== '');
    const missing = [`${source}-${pivot}`, `${pivot}-${source}`].filter((d) => !installed.includes(d));
    if (missing.length > 0) {
      throw new DvctsError('E_ENGINE_MISSING', `apertium has no ${missing.join(' / ')} language pair: apt-get install apertium-${source}-${pivot}`, {
        data: { engine: 'apertium', missing, installed },
        hint: `install the pair (Debian: apt-get install apertium-${source}-${pivot} or apertium-${pivot}-${source}); installed: ${installed.join(', ') || 'none'}`,
      });
    }
    return new ApertiumCli(executable, source, pivot);
  }

  roundTrip(sentences: readonly string[], signal: AbortSignal): Promise<string[]> {
    return translateAligned(sentences, async (text) => withoutUnknownMarks(await this.pipeline(text, signal)));
  }

  stats(): Record<string, number> {
    return { apertium_pipelines: this.processes };
  }

  /**
   * The `apertium` script reads `/dev/stdin`, which cannot be opened when stdin is the socket
   * Node gives a child; so `cat` takes the socket and bash joins the rest with real pipes.
   */
  private async pipeline(text: string, signal: AbortSignal): Promise<string> {
    this.processes++;
    const script = 'set -o pipefail; cat | "$0" -u "$1" | "$0" -u "$2"';
    const child = spawn('bash', ['-c', script, this.executable, `${this.source}-${this.pivot}`, `${this.pivot}-${this.source}`], {
      signal,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(text);
    const { stdout, stderr } = await finished(child);
    // apertium exits 0 even when a step fails: no output for real input means it did not run.
    if (stdout.trim() === '' && text.trim() !== '') throw engineFailed(`${this.source}-${this.pivot}-${this.source}`, 0, stderr);
    return stdout;
  }
}

interface Finished {
  readonly stdout: string;
  readonly stderr: string;
}

/** Resolves with the process's output; rejects when it exits non-zero. */
function finished(child: ReturnType<typeof spawn>): Promise<Finished> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8').trim().slice(-2000);
      if (code !== 0) return reject(engineFailed(child.spawnargs.slice(1).join(' '), code, stderr));
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

function engineFailed(what: string, code: number | null, stderr: string): DvctsError {
  return new DvctsError('E_ENGINE_FAILED', `apertium (${what}) failed with exit code ${code}: ${stderr || 'no message'}`, {
    data: { engine: 'apertium', exitCode: code ?? undefined, stderr },
    hint: 'run the same direction by hand (echo hello | apertium eng-spa) to see what is wrong',
  });
}

async function runToEnd(executable: string, args: string[], input: string): Promise<string> {
  const child = spawn(executable, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(input);
  return (await finished(child)).stdout;
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
