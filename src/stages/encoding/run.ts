import { open } from 'node:fs/promises';
import { relative } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import { assertInputIsFile, createAtomicFile, reportPathOf, writeJsonReport } from '../../table/index.js';
import type { StageContext } from '../../core/builtin.js';
import { bomOf, charsetOf, charsetOfBom } from './charsets.js';
import type { EncodingOptions } from './definition.js';
import { detectCharset, type Detection } from './detect.js';
import { lineBlocks } from './line-blocks.js';
import { Transcoder, type Finding } from './transcode.js';

const DETECT_BYTES = 1 << 20;

export async function run(ctx: StageContext<EncodingOptions>): Promise<void> {
  const opts = ctx.options;
  const input = ctx.deps[0] as string;
  const output = ctx.outs[0] as string;
  await assertInputIsFile(input);
  const head = await readHead(input, DETECT_BYTES);
  const detection = opts.from.toLowerCase() === 'auto' ? detectCharset(head.bytes, head.wholeFile) : undefined;
  if (detection) ctx.log(`detected ${detection.encoding} (${detection.reason})`);
  const from = charsetOf(detection?.encoding ?? opts.from);
  const to = charsetOf(opts.to);

  const inputBom = charsetOfBom(head.bytes);
  if (inputBom && inputBom.family !== from.family && from.family !== 'single') {
    throw new DvctsError('E_ENCODING_BOM_MISMATCH', `${input}: starts with a ${inputBom.name} byte-order mark, but from: is ${from.name}`, {
      data: { file: input, line: 1, byteOffset: 0, bom: inputBom.name, from: from.name },
      hint: `set from: ${inputBom.name} (or auto)`,
    });
  }
  const bomLength = inputBom && inputBom.family === from.family ? bomOf(from).length : 0;
  const writeBom = to.unicode && (opts.bom === 'add' || (opts.bom === 'keep' && bomLength > 0));

  const transcoder = new Transcoder(from, to, opts.on_invalid);
  const listed: Finding[] = [];
  const counts = { undecodable: 0, unencodable: 0, linesIn: 0, dropped: 0, replaced: 0, bytesOut: 0 };
  let failed = false;
  const file = await createAtomicFile(output);
  try {
    if (writeBom) {
      await file.write(bomOf(to));
      counts.bytesOut += bomOf(to).length;
    }
    for await (const block of lineBlocks(input, from.family, bomLength, opts.max_line_bytes)) {
      ctx.signal.throwIfAborted();
      const result = transcoder.transcode(block);
      counts.linesIn += result.linesIn;
      counts.dropped += result.droppedLines;
      counts.replaced += result.replacedLines;
      for (const finding of result.findings) {
        counts[finding.kind]++;
        if (listed.length < opts.max_reported) listed.push(finding);
      }
      if (result.findings.length > 0 && opts.on_invalid === 'fail') failed = true;
      if (!failed) {
        await file.write(result.output);
        counts.bytesOut += result.output.length;
      }
    }
    if (failed) throw invalidInputError(input, from.name, to.name, listed, counts.undecodable + counts.unencodable);
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }

  const bad = counts.undecodable + counts.unencodable;
  if (bad > 0) ctx.log(`${bad} bad sequence(s): ${counts.replaced} line(s) replaced, ${counts.dropped} dropped`);
  await writeJsonReport(reportPathOf(ctx.metrics), {
    stage: 'encoding',
    input: relative(ctx.root, input),
    output: relative(ctx.root, output),
    from: from.name,
    to: to.name,
    ...(detection ? { detected: detectionReport(detection) } : {}),
    bom: { input: bomLength > 0, output: writeBom },
    on_invalid: opts.on_invalid,
    rows_in: counts.linesIn,
    rows_out: counts.linesIn - counts.dropped,
    unit: 'line',
    bytes_in: head.size,
    bytes_out: counts.bytesOut,
    dropped: { lines: counts.dropped, reason: counts.dropped > 0 ? 'line had bad sequences (on_invalid: drop-line)' : null },
    replaced_lines: counts.replaced,
    invalid: {
      count: bad,
      undecodable: counts.undecodable,
      unencodable: counts.unencodable,
      listed,
      truncated: bad > listed.length,
    },
  });
}

async function readHead(path: string, max: number): Promise<{ bytes: Buffer; wholeFile: boolean; size: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.alloc(Math.min(size, max));
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    return { bytes: bytes.subarray(0, bytesRead), wholeFile: bytesRead >= size, size };
  } finally {
    await handle.close();
  }
}

function detectionReport(d: Detection): object {
  return { encoding: d.encoding, reason: d.reason, candidates: d.candidates };
}

function invalidInputError(file: string, from: string, to: string, listed: readonly Finding[], count: number): DvctsError {
  const first = listed[0] as Finding;
  const what =
    first.kind === 'undecodable'
      ? `bytes ${first.bytes} are not valid ${from}`
      : `character ${first.codePoint} (${first.char}) cannot be encoded in ${to}`;
  return new DvctsError(
    first.kind === 'undecodable' ? 'E_ENCODING_INVALID' : 'E_ENCODING_UNENCODABLE',
    `${file}:${first.line}: ${what} (byte offset ${first.byteOffset}); ${count} bad sequence(s) in all, nothing written`,
    {
      data: { file, line: first.line, byteOffset: first.byteOffset, bytes: first.bytes, count, findings: [...listed] },
      hint:
        first.kind === 'undecodable'
          ? 'check `from:` (or try from: auto), or set on_invalid: replace or drop-line to keep going'
          : `${to} has no code for this character: choose a \`to:\` that has (utf-8 has every character), or set on_invalid: replace or drop-line`,
    },
  );
}
