/** A closed interval [lo, hi] that a random value is drawn from. */
export type Range = readonly [number, number];

export type Fit = 'cover' | 'contain' | 'fill' | 'inside';
export type Colorspace = 'srgb' | 'grey';

export interface NormalizeOp {
  readonly kind: 'normalize';
  readonly width?: number;
  readonly height?: number;
  readonly fit: Fit;
  readonly background: string;
  readonly colorspace: Colorspace;
  readonly stats: boolean;
}
export interface CropOp {
  readonly kind: 'crop';
  readonly width: number;
  readonly height: number;
  readonly padding: number;
  readonly mode: 'center' | 'random';
}
export interface JitterOp {
  readonly kind: 'jitter';
  readonly brightness: Range;
  readonly contrast: Range;
  readonly saturation: Range;
  readonly hue: Range;
  readonly p: number;
}
export interface FlipOp {
  readonly kind: 'flip';
  readonly horizontal: boolean;
  readonly vertical: boolean;
  readonly p: number;
}
export interface RotateOp {
  readonly kind: 'rotate';
  readonly degrees: Range;
  readonly p: number;
  readonly background: string;
}
export type Op = NormalizeOp | CropOp | JitterOp | FlipOp | RotateOp;

/** An op item as validated against OP_ITEM_SCHEMA (one key, defaults applied). */
export type OpItem = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Typed ops from validated `with.ops` items; ranges resolved the Albumentations way. */
export function parseOps(items: readonly OpItem[]): Op[] {
  return items.map((item) => {
    const [name, o] = Object.entries(item)[0] as [string, Record<string, any>];
    switch (name) {
      case 'normalize':
        return { kind: 'normalize', ...o } as NormalizeOp;
      case 'crop':
        return { kind: 'crop', ...o } as CropOp;
      case 'jitter':
        return {
          kind: 'jitter',
          brightness: factorRange(o.brightness),
          contrast: factorRange(o.contrast),
          saturation: factorRange(o.saturation),
          hue: symmetricRange(o.hue),
          p: o.p,
        };
      case 'flip':
        return { kind: 'flip', ...o } as FlipOp;
      case 'rotate':
        return { kind: 'rotate', degrees: symmetricRange(o.degrees), p: o.p, background: o.background };
      default:
        throw new Error(`unknown image op ${name}`); // the schema lets no other name through
    }
  });
}

/** ColorJitter: x means [max(0, 1 - x), 1 + x]. */
function factorRange(value: number | readonly number[]): Range {
  return typeof value === 'number' ? [Math.max(0, 1 - value), 1 + value] : [value[0] as number, value[1] as number];
}

/** Hue and angles: x means [-x, x]. */
function symmetricRange(value: number | readonly number[]): Range {
  return typeof value === 'number' ? [-value, value] : [value[0] as number, value[1] as number];
}

/** Whether an op draws random numbers (and so is skipped or made central for originals). */
export function isRandomOp(op: Op): boolean {
  return op.kind === 'jitter' || op.kind === 'flip' || op.kind === 'rotate' || (op.kind === 'crop' && op.mode === 'random');
}

/**
 * The ops every output of a source shares (up to the first random one; computed once per source)
 * and the rest (applied per copy).
 */
export function splitAtFirstRandom(ops: readonly Op[]): { shared: readonly Op[]; perCopy: readonly Op[] } {
  const first = ops.findIndex(isRandomOp);
  return first === -1 ? { shared: ops, perCopy: [] } : { shared: ops.slice(0, first), perCopy: ops.slice(first) };
}
