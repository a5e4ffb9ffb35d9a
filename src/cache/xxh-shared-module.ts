/**
 * xxhash-wasm's module rewritten to import its memory as shared (`env.mem`, shared, at most
 * 4 GiB) instead of defining its own: a SharedArrayBuffer that a worker thread can read files
 * into and write them out of while the lanes hash them in place (see copy-hashing.ts). The code
 * is unchanged, so digests are the same. The rewrite expects the module's layout (no imports, one
 * memory defined by a memory section) and throws on anything else, e.g. a new xxhash-wasm build.
 */
const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const MAX_PAGES = 65536; // 4 GiB of 64 KiB pages: the most a 32-bit memory can have

function leb128(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function readLeb128(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    if (byte === undefined || shift > 28) throw new Error('xxhash.wasm: malformed section size');
    value |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value: value >>> 0, next: at };
  }
}

const ascii = (s: string): number[] => [...leb128(s.length), ...Buffer.from(s, 'ascii')];

/** `env.mem`: memory, limits flag 3 (has a maximum, shared), at least 1 page, at most MAX_PAGES. */
const IMPORT_SECTION_BODY = [1, ...ascii('env'), ...ascii('mem'), 0x02, 0x03, ...leb128(1), ...leb128(MAX_PAGES)];

export function importSharedMemory(module: Uint8Array): Uint8Array<ArrayBuffer> {
  const out: number[] = [...module.subarray(0, 8)];
  let sawMemory = false;
  for (let at = 8; at < module.length; ) {
    const id = module[at]!;
    const { value: size, next } = readLeb128(module, at + 1);
    const end = next + size;
    if (id === SECTION_IMPORT) throw new Error('xxhash.wasm: unexpected import section');
    if (id === SECTION_MEMORY) {
      // Exactly one memory; without a maximum (flag 0) its minimum is all there is to drop.
      if (module[next] !== 1 || module[next + 1] !== 0) throw new Error('xxhash.wasm: unexpected memory section');
      sawMemory = true;
    } else {
      for (let i = at; i < end; i++) out.push(module[i]!);
    }
    // Sections come in id order: the import section goes right after the type section.
    if (id === SECTION_TYPE) out.push(SECTION_IMPORT, ...leb128(IMPORT_SECTION_BODY.length), ...IMPORT_SECTION_BODY);
    at = end;
  }
  if (!sawMemory) throw new Error('xxhash.wasm: no memory section');
  return Uint8Array.from(out);
}
