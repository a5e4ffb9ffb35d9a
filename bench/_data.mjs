// Generated benchmark data: cheap to make, every file and every MiB different (no dedupe).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file of `bytes` bytes: one pseudo-random MiB, rotated by a different offset per MiB. */
export function writeBigFile(path, bytes) {
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((Math.imul(i + 1, 2654435761) ^ (i >>> 7)) >>> 0, i);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    for (let mib = 0; mib < bytes >>> 20; mib++) {
      const at = (mib * 4099) % block.length;
      writeSync(fd, block.subarray(at));
      writeSync(fd, block.subarray(0, at));
    }
  } finally {
    closeSync(fd);
  }
}

/** `count` files of `size` bytes in 100 subfolders of `dir`, each with its own content. */
export function writeManyFiles(dir, count, size) {
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${String(i % 100).padStart(2, '0')}`);
    if (i < 100) mkdirSync(sub, { recursive: true });
    const content = Buffer.alloc(size, `file ${i} `);
    writeFileSync(join(sub, `f${i}.bin`), content);
  }
}
