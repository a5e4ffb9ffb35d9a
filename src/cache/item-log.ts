import { createHash } from 'node:crypto';

/**
 * The on-disk format of a per-item cache namespace: an append-only log of frames, one frame per
 * batch of entries, each written with a single O_APPEND write.
 *
 *   frame   = MAGIC (4 bytes "DVI1") | payload length (u32 LE) | checksum (8 bytes) | payload
 *   payload = entry*;  entry = key digest (32 bytes) | value length (u32 LE) | value
 *   checksum = first 8 bytes of SHA-256(payload)
 *
 * Why frames with a checksum: a process killed mid-write leaves a torn frame at the end of the
 * log, and another process may append after it. The reader checks every frame; at a bad one it
 * searches forward for the next MAGIC and carries on, so a torn frame costs only its own
 * entries. Two processes never interleave inside a frame: each frame is one append.
 */
const MAGIC = Buffer.from('DVI1', 'latin1');
const HEADER_BYTES = MAGIC.length + 4 + 8;
export const DIGEST_BYTES = 32;

/** The digest a key is stored under (keys can be long: sentences, configs). */
export function keyDigest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** One frame holding `entries` (key digest, value), ready to append. */
export function encodeFrame(entries: ReadonlyArray<readonly [digest: Buffer, value: Buffer]>): Buffer {
  let payloadBytes = 0;
  for (const [, value] of entries) payloadBytes += DIGEST_BYTES + 4 + value.length;
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payloadBytes);
  let at = HEADER_BYTES;
  for (const [digest, value] of entries) {
    digest.copy(frame, at);
    frame.writeUInt32LE(value.length, at + DIGEST_BYTES);
    value.copy(frame, at + DIGEST_BYTES + 4);
    at += DIGEST_BYTES + 4 + value.length;
  }
  MAGIC.copy(frame, 0);
  frame.writeUInt32LE(payloadBytes, MAGIC.length);
  checksum(frame.subarray(HEADER_BYTES)).copy(frame, MAGIC.length + 4);
  return frame;
}

export interface LogContents {
  /** Digest (as a latin1 string, for Map keys) → value; a later entry wins. */
  readonly entries: Map<string, Buffer>;
  /** Bytes skipped because they were not a whole, intact frame (torn or corrupt). */
  readonly skippedBytes: number;
}

/** Every intact frame's entries; damaged stretches are skipped (see the format above). */
export function decodeLog(log: Buffer): LogContents {
  const entries = new Map<string, Buffer>();
  let skippedBytes = 0;
  let at = 0;
  while (at < log.length) {
    const end = intactFrameEnd(log, at);
    if (end === -1) {
      const next = log.indexOf(MAGIC, at + 1);
      const resume = next === -1 ? log.length : next;
      skippedBytes += resume - at;
      at = resume;
      continue;
    }
    for (let e = at + HEADER_BYTES; e < end; ) {
      const length = log.readUInt32LE(e + DIGEST_BYTES);
      const valueStart = e + DIGEST_BYTES + 4;
      entries.set(log.toString('latin1', e, e + DIGEST_BYTES), log.subarray(valueStart, valueStart + length));
      e = valueStart + length;
    }
    at = end;
  }
  return { entries, skippedBytes };
}

/** The end of the frame at `at` when it is whole, checks out and its entries fit; else -1. */
function intactFrameEnd(log: Buffer, at: number): number {
  if (at + HEADER_BYTES > log.length || !log.subarray(at, at + MAGIC.length).equals(MAGIC)) return -1;
  const payloadStart = at + HEADER_BYTES;
  const end = payloadStart + log.readUInt32LE(at + MAGIC.length);
  if (end > log.length) return -1;
  const payload = log.subarray(payloadStart, end);
  if (!checksum(payload).equals(log.subarray(at + MAGIC.length + 4, payloadStart))) return -1;
  // A checksum match on garbage is ~2^-64 unlikely; still, never read past the frame.
  for (let e = payloadStart; e < end; ) {
    if (e + DIGEST_BYTES + 4 > end) return -1;
    e += DIGEST_BYTES + 4 + log.readUInt32LE(e + DIGEST_BYTES);
    if (e > end) return -1;
  }
  return end;
}

function checksum(payload: Buffer): Buffer {
  return createHash('sha256').update(payload).digest().subarray(0, 8);
}
