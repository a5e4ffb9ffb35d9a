/** ANSI styling, applied only when the stream is a TTY (and NO_COLOR is unset). */
export interface Style {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function styleFor(stream: { readonly isTTY?: boolean }): Style {
  const on = stream.isTTY === true && process.env.NO_COLOR === undefined;
  const id = (s: string): string => s;
  return on
    ? { bold: wrap(1, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22) }
    : { bold: id, red: id, yellow: id, green: id, dim: id };
}
