import { SingleBar } from 'cli-progress';
import type { TransferObserver } from '../remote/index.js';
import { formatBytes } from './format-bytes.js';

export interface TransferProgress {
  readonly observer: TransferObserver;
  /** Removes the bar (call before printing the summary). */
  stop(): void;
}

/**
 * A progress bar of bytes and objects on stderr when it is a TTY; nothing at all when piped,
 * so logs and scripts see only the summary lines.
 */
export function transferProgress(verb: string, stream: NodeJS.WriteStream = process.stderr): TransferProgress {
  if (stream.isTTY !== true) return { observer: {}, stop: () => {} };
  let bar: SingleBar | undefined;
  let objects = 0;
  let totalObjects = 0;
  let bytes = 0;
  let totalBytes = 0;
  const startedAt = Date.now();
  const payload = () => {
    const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
    return { objects, totalObjects, moved: formatBytes(bytes), size: formatBytes(totalBytes), speed: `${formatBytes(bytes / seconds)}/s` };
  };
  const render = (): void => {
    if (bar === undefined) {
      bar = new SingleBar(
        { stream, format: `${verb} [{bar}] {percentage}% | {objects}/{totalObjects} objects | {moved}/{size} | {speed}`, hideCursor: true, clearOnComplete: true, fps: 5 },
      );
      bar.start(Math.max(totalBytes, 1), bytes, payload());
    }
    bar.setTotal(Math.max(totalBytes, 1));
    bar.update(totalBytes === 0 ? (totalObjects === 0 ? 0 : objects / totalObjects) : bytes, payload());
  };
  return {
    observer: {
      planned(n, size) {
        totalObjects += n;
        totalBytes += size;
        if (totalObjects > 0) render();
      },
      moved(n, size) {
        objects += n;
        bytes += size;
        if (bar !== undefined) render();
      },
    },
    stop: () => bar?.stop(),
  };
}
