import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tempPathBeside } from '../util/atomic-write.js';

/**
 * A file that appears at its final path only when complete: bytes go to a temp file in the same
 * folder (same file system, so the rename is atomic) and `commit()` renames it. A crash or
 * `abort()` never leaves a half-written output behind.
 */
export interface AtomicFile {
  readonly path: string;
  /** Resolves once the bytes are accepted; waits for the disk when the stream buffer is full. */
  write(chunk: Buffer | string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Bytes the stream may hold before `write` waits. Writers hand over 1 MiB blocks; with the
 * default 16 KiB every block waited for its own write, so reading and parsing stood still while
 * the disk worked. A few blocks of slack lets them overlap, still in constant memory.
 */
const WRITE_BUFFER_BYTES = 8 << 20;

export async function createAtomicFile(path: string): Promise<AtomicFile> {
  await mkdir(dirname(path), { recursive: true });
  // The shared temp name: a killed writer's leftover is recognised and swept like any other.
  const tmp = tempPathBeside(path);
  const stream = createWriteStream(tmp, { highWaterMark: WRITE_BUFFER_BYTES });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  let failure: Error | undefined;
  stream.on('error', (e) => (failure = e));
  let finished = false;

  return {
    path,
    async write(chunk) {
      if (failure) throw failure;
      if (!stream.write(chunk)) await drained(stream);
    },
    async commit() {
      if (finished) return;
      finished = true;
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
      if (failure) throw failure;
      await rename(tmp, path);
    },
    async abort() {
      if (finished) return;
      finished = true;
      await new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.destroy();
      });
      await rm(tmp, { force: true });
    },
  };
}

function drained(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (e: Error): void => {
      stream.off('drain', onDrain);
      reject(e);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
