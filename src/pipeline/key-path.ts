/**
 * Keys into params/vars values: dotted and indexed (`train.lr`, `a.b[0].c`, DVC also accepts `a.0`).
 * One syntax for interpolation, tracked params and `readParam`.
 */
export type KeySegment = string | number;

const SEGMENT = /^([^.[\]]+)((?:\[\d+\])*)$/;

/** Parses `a.b[0].c`; undefined when the text is not a valid key path. */
export function parseKeyPath(text: string): KeySegment[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const segments: KeySegment[] = [];
  for (const part of trimmed.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match) return undefined;
    segments.push(match[1] ?? '');
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

export function formatKeyPath(segments: readonly KeySegment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

export type Lookup = { readonly found: true; readonly value: unknown } | { readonly found: false; readonly depth: number };

/** Walks a plain value; `depth` says how many segments matched when the key is missing. */
export function lookupPath(root: unknown, segments: readonly KeySegment[]): Lookup {
  let current = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as KeySegment;
    const next = child(current, segment);
    if (next === undefined) return { found: false, depth: i };
    current = next;
  }
  return { found: true, value: current };
}

function child(value: unknown, segment: KeySegment): unknown {
  if (Array.isArray(value)) {
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : NaN;
    return Number.isInteger(index) ? value[index] : undefined;
  }
  if (value !== null && typeof value === 'object' && typeof segment === 'string' && Object.hasOwn(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return undefined;
}

/** Every key path inside a value (maps and lists included), for "did you mean" on a missing key. */
export function allKeyPaths(value: unknown, prefix: readonly KeySegment[] = [], out: string[] = []): string[] {
  if (out.length > 5000) return out; // enough for suggestions; params files can be big
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(formatKeyPath([...prefix, i]));
      allKeyPaths(v, [...prefix, i], out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(formatKeyPath([...prefix, k]));
      allKeyPaths(v, [...prefix, k], out);
    }
  }
  return out;
}
