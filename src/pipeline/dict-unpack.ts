import type { KeySegment } from './key-path.js';
import type { LMap, LNode, LScalar } from './located.js';
import { scalarText } from './scalar-text.js';

/**
 * How a mapping used in `cmd` becomes arguments; DVC's `parsing.bool` and `parsing.list` settings,
 * named after Python argparse actions.
 */
export interface UnpackStyle {
  /** `store_true`: `--flag` for true, nothing for false; `boolean_optional`: `--no-flag` for false. */
  readonly bool: 'store_true' | 'boolean_optional';
  /** `nargs`: `--k 1 2`; `append`: `--k 1 --k 2`. */
  readonly list: 'nargs' | 'append';
}

export const DEFAULT_UNPACK_STYLE: UnpackStyle = { bool: 'store_true', list: 'nargs' };

export type Unpacked =
  | { readonly text: string; readonly keys: readonly KeySegment[][] }
  | { readonly nestedList: string };

/**
 * DVC's dict unpacking (`to_str(dict)` in dvc/parsing/interpolate.py): nested mappings are
 * flattened to dotted keys, each key becomes `--key value`; strings are shell-quoted, lists give
 * their items after one `--key` (a list inside a list is refused). `keys` are the key paths used,
 * relative to the mapping, so each can be tracked as a param.
 */
export function unpackDict(map: LMap, style: UnpackStyle): Unpacked {
  const words: string[] = [];
  const keys: KeySegment[][] = [];
  for (const { path, node } of flatten(map, [])) {
    const key = path.join('.');
    keys.push(path);
    if (node.kind === 'scalar' && typeof node.value === 'boolean') {
      if (node.value) words.push(`--${key}`);
      else if (style.bool === 'boolean_optional') words.push(`--no-${key}`);
    } else if (node.kind === 'seq') {
      if (node.items.some((item) => item.kind !== 'scalar')) return { nestedList: key };
      node.items.forEach((item, i) => {
        if (i === 0 || style.list === 'append') words.push(`--${key}`);
        words.push(argument(item as LScalar));
      });
    } else if (node.kind === 'scalar') {
      words.push(`--${key}`, argument(node));
    }
  }
  return { text: words.join(' '), keys };
}

/** Leaves of nested mappings in order; an empty mapping gives nothing (DVC keeps it as an empty value). */
function* flatten(map: LMap, prefix: readonly string[]): Generator<{ path: string[]; node: LNode }> {
  for (const entry of map.entries) {
    const path = [...prefix, entry.key];
    if (entry.value.kind === 'map') yield* flatten(entry.value, path);
    else yield { path, node: entry.value };
  }
}

function argument(node: LScalar): string {
  return typeof node.value === 'string' ? shellQuote(node.value) : scalarText(node);
}

/** Python's `shlex.quote` (which DVC uses): unchanged when every character is safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}
