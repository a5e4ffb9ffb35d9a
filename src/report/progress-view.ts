import cliProgress from 'cli-progress';

/** What the view needs of an output stream (process.stderr in the CLI; a fake in tests). */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressViewOptions {
  /** Where bars and plain progress lines go (status lines' stream: stderr). */
  readonly stream: OutputStream;
  /** Plain mode (stream not a TTY): at most one line per stage this often. */
  readonly plainEveryMs?: number;
  readonly now?: () => number;
}

interface Track {
  readonly startedAt: number;
  lastLineAt: number;
  bar?: cliProgress.SingleBar | undefined;
  /** The bar is the `running 12s` line, not a progress bar yet. */
  running: boolean;
}

/** A line's extra text, or a function that makes it (called only when the line is drawn). */
export type Detail = string | (() => string);

const PLAIN_EVERY_MS = 10_000;
// A bar is updated at most this often: cache work reports every file (1M files).
const REDRAW_MS = 40;

/**
 * Progress of running stages: on a TTY one cli-progress bar per stage (done/total, rate, ETA),
 * removed when the stage ends; otherwise a plain line per stage at most every `plainEveryMs`
 * (nothing at all for stages shorter than that). Lines written through `write()` go above the
 * bars so they are never torn.
 */
export class ProgressView {
  private readonly tracks = new Map<string, Track>();
  private bars: cliProgress.MultiBar | undefined;
  private readonly tty: boolean;
  private readonly plainEveryMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: ProgressViewOptions) {
    this.tty = opts.stream.isTTY === true;
    this.plainEveryMs = opts.plainEveryMs ?? PLAIN_EVERY_MS;
    this.now = opts.now ?? Date.now;
  }

  /** On a TTY, a line `label  running 12s` until the work reports progress or ends. */
  begin(label: string): void {
    if (!this.tty || this.tracks.get(label)?.bar !== undefined) return;
    const track = this.track(label);
    track.bar = this.multiBar().create(0, 0, { stage: label }, { format: '{stage} running {duration_formatted}' });
    track.running = true;
  }

  /**
   * `detail`: more about the amount done, shown after `done/total unit` (`, 3.1 MiB/1.2 GiB`); a
   * function is called only when a line is drawn (cache work reports every file of 1M).
   */
  update(label: string, done: number, total: number, unit: string, detail: Detail = ''): void {
    const now = this.now();
    const track = this.track(label);
    if (!this.due(track, now)) return;
    const seconds = (now - track.startedAt) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? formatSeconds((total - done) / rate) : '?';
    const more = typeof detail === 'string' ? detail : detail();
    track.lastLineAt = now;
    if (this.tty) {
      const payload = { stage: label, unit, detail: more, rate: formatRate(rate), remaining: eta };
      this.dropRunningLine(track);
      if (track.bar === undefined) {
        track.bar = this.multiBar().create(total, done, payload);
        this.bars!.update(); // drawn now, not at the next tick: work that ends within it is seen too
      } else {
        track.bar.setTotal(total);
        track.bar.update(done, payload);
      }
    } else {
      this.opts.stream.write(`[${label}] ${done}/${total} ${unit}${more} (${formatRate(rate)}/s, ETA ${eta})\n`);
    }
  }

  /** Work whose total is not known beforehand: `storing data 1234 files, 3.1 MiB | 812/s`. */
  count(label: string, done: number, unit: string, detail: Detail = ''): void {
    const now = this.now();
    const track = this.track(label);
    if (!this.due(track, now)) return;
    const seconds = (now - track.startedAt) / 1000;
    const rate = formatRate(seconds > 0 ? done / seconds : 0);
    const more = typeof detail === 'string' ? detail : detail();
    track.lastLineAt = now;
    if (this.tty) {
      const payload = { stage: label, unit, detail: more, rate };
      this.dropRunningLine(track);
      if (track.bar === undefined) {
        track.bar = this.multiBar().create(0, done, payload, { format: '{stage} {value} {unit}{detail} | {rate}/s' });
        this.bars!.update();
      } else track.bar.update(done, payload);
    } else {
      this.opts.stream.write(`[${label}] ${done} ${unit}${more} (${rate}/s)\n`);
    }
  }

  /** Whether a line is drawn now: a bar not yet shown (or the `running` line) at once, then at most every REDRAW_MS; plain lines every plainEveryMs. */
  private due(track: Track, now: number): boolean {
    if (!this.tty) return now - track.lastLineAt >= this.plainEveryMs;
    return track.bar === undefined || track.running || now - track.lastLineAt >= REDRAW_MS;
  }

  /** The `running 12s` line gives way to the progress the work reports. */
  private dropRunningLine(track: Track): void {
    if (!track.running) return;
    this.bars?.remove(track.bar!);
    track.bar = undefined;
    track.running = false;
  }

  private track(label: string): Track {
    let track = this.tracks.get(label);
    if (track === undefined) {
      const now = this.now();
      track = { startedAt: now, lastLineAt: now, running: false };
      this.tracks.set(label, track);
    }
    return track;
  }

  /** The stage ended (done or failed): its bar goes away. */
  end(label: string): void {
    const track = this.tracks.get(label);
    this.tracks.delete(label);
    if (track?.bar === undefined || this.bars === undefined) return;
    this.bars.remove(track.bar);
    if (![...this.tracks.values()].some((t) => t.bar !== undefined)) {
      this.bars.stop();
      this.bars = undefined;
    }
  }

  /** Every bar goes (the command is ending, e.g. interrupted). */
  stopAll(): void {
    for (const label of [...this.tracks.keys()]) this.end(label);
  }

  /** Writes `text` to `stream`; while bars are shown on the same terminal, above them. */
  write(stream: OutputStream, text: string): void {
    if (this.bars !== undefined && (stream === this.opts.stream || stream.isTTY === true)) this.bars.log(text);
    else stream.write(text);
  }

  private multiBar(): cliProgress.MultiBar {
    this.bars ??= new cliProgress.MultiBar({
      stream: this.opts.stream as NodeJS.WritableStream,
      // Fits 80 columns for the usual labels; cli-progress cuts what would wrap.
      format: '{stage} [{bar}] {value}/{total} {unit}{detail} | {rate}/s | ETA {remaining}',
      barsize: 16,
      clearOnComplete: true,
      hideCursor: false,
      // Keep the terminal's modes as they are: a killed run must not leave line wrapping off.
      linewrap: true,
      // Ctrl-C is dvcts's to handle (it stops the work first); the bars end with it.
      gracefulExit: false,
    });
    return this.bars;
  }
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

function formatSeconds(seconds: number): string {
  if (seconds <= 0) return '0s';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${Math.round(seconds % 60)}s` : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}
