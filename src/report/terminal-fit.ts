/**
 * Fitting text and tables to a terminal's width: the one place that decides how a table's
 * columns share the width (which columns a narrow terminal leaves out, how wide the others are)
 * and how long lines wrap. Pure: the width comes from the caller (`src/cli/terminal.ts` on the
 * command line), and a null width means full width (files, pipes, `--wide`).
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** Columns of text, or null for no limit. */
export type Width = number | null;

/** Below this a column's text wraps into more lines than it is worth: a narrow terminal leaves out a droppable column instead. */
const COMFORTABLE_COLUMN = 20;

/** What each column costs besides its text in a borderless table: one space either side and one rule (`│ a │ b │`). */
export function tableOverhead(columns: number): number {
  return 3 * columns + 1;
}

/** Display width of text in terminal columns: its widest line. */
export function displayWidth(text: string): number {
  return text.split('\n').reduce((widest, line) => Math.max(widest, stringWidth(line)), 0);
}

/** Where a word too long for a line is best broken: after the separators of architecture strings, lists and paths. */
const BREAK_AFTER = /[|+,;/]/;

/**
 * Words wider than `width` split into pieces of at most `width`, each ending at a separator where
 * one is near enough (an architecture string breaks between its operations, not inside one). Only
 * a piece's end can become a line end, since two pieces together never fit one line.
 */
export function breakLongWords(text: string, width: number): string {
  return text
    .split(' ')
    .map((word) => {
      if (stringWidth(word) <= width) return word;
      const pieces: string[] = [];
      let rest = [...word];
      while (rest.length > width) {
        let cut = width;
        for (let i = width; i > width / 2; i--) {
          if (BREAK_AFTER.test(rest[i - 1]!)) {
            cut = i;
            break;
          }
        }
        pieces.push(rest.slice(0, cut).join(''));
        rest = rest.slice(cut);
      }
      return [...pieces, rest.join('')].join(' ');
    })
    .join(' ');
}

/** Text wrapped at word boundaries to `width` columns, words longer than that broken; null leaves it as it is. */
export function wrapCell(text: string, width: Width): string {
  if (width === null || displayWidth(text) <= width) return text;
  const w = Math.max(1, width);
  return wrapAnsi(text.split('\n').map((line) => breakLongWords(line, w)).join('\n'), w, { hard: true, trim: true });
}

/**
 * One line wrapped to `width` columns; its continuation lines are indented by its own leading
 * spaces plus `hang`, so that a wrapped line reads as one item.
 */
export function wrapLine(line: string, width: Width, hang = 2): string {
  if (width === null || stringWidth(line) <= width) return line;
  const indent = /^ */.exec(line)![0].length;
  const restIndent = Math.min(indent + hang, Math.max(0, width - 10));
  // Pieces of long words fit the narrower continuation lines too.
  const text = breakLongWords(line.slice(indent), Math.max(1, width - restIndent));
  const first = wrapAnsi(text, Math.max(1, width - indent), { hard: true, trim: true }).split('\n');
  const head = ' '.repeat(indent) + first[0];
  const rest = first.slice(1).join(' ');
  if (rest === '') return head;
  const wrapped = wrapAnsi(rest, Math.max(1, width - restIndent), { hard: true, trim: true }).split('\n');
  return [head, ...wrapped.map((l) => ' '.repeat(restIndent) + l)].join('\n');
}

/** Every line of a text wrapped to `width` (see wrapLine). */
export function wrapLines(text: string, width: Width): string {
  if (width === null) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

/**
 * Columns sharing `total` columns of text: each gets its natural width while that is at most an
 * equal share of what is left, the widest share the rest equally (whole columns; the remainder
 * goes to the widest).
 */
export function shareWidth(natural: readonly number[], total: number): number[] {
  const widths = natural.map(() => 0);
  const order = natural.map((_, i) => i).sort((a, b) => natural[a]! - natural[b]! || a - b);
  let left = Math.max(0, total);
  order.forEach((column, k) => {
    const w = Math.min(natural[column]!, Math.floor(left / (order.length - k)));
    widths[column] = w;
    left -= w;
  });
  for (let k = order.length - 1; k >= 0 && left > 0; k--) {
    const column = order[k]!;
    if (widths[column]! < natural[column]!) {
      widths[column]! += 1;
      left -= 1;
    }
  }
  return widths;
}

export interface TableFit {
  /** Columns kept, by index into the head. */
  readonly keep: readonly number[];
  /** Text width of each kept column (wrap its cells to it); natural widths at full width. */
  readonly widths: readonly number[];
  /** Heads of the columns left out, in table order. */
  readonly dropped: readonly string[];
}

/**
 * How a table fits `width` columns: as it is when it does; else the columns in `dropFirst` (heads,
 * least useful first) are left out one by one while the kept columns could not each have
 * COMFORTABLE_COLUMN (or their natural width, if narrower); then the kept columns share the
 * width (shareWidth) and their cells wrap.
 */
export function fitTable(head: readonly string[], rows: readonly (readonly string[])[], width: Width, dropFirst: readonly string[] = []): TableFit {
  const natural = head.map((h, i) => Math.max(1, displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const all = head.map((_, i) => i);
  if (width === null || natural.reduce((a, b) => a + b, 0) + tableOverhead(head.length) <= width) return { keep: all, widths: natural, dropped: [] };
  let keep = all;
  const comfortable = (cols: readonly number[]) => cols.reduce((sum, i) => sum + Math.min(natural[i]!, COMFORTABLE_COLUMN), 0) + tableOverhead(cols.length) <= width;
  for (const name of dropFirst) {
    if (comfortable(keep)) break;
    const index = head.indexOf(name);
    if (index >= 0 && keep.length > 1) keep = keep.filter((i) => i !== index);
  }
  const widths = shareWidth(
    keep.map((i) => natural[i]!),
    width - tableOverhead(keep.length),
  ).map((w) => Math.max(1, w));
  return { keep, widths, dropped: all.filter((i) => !keep.includes(i)).map((i) => head[i]!) };
}

/**
 * The one line under a table that left columns out: "(not shown: A, B and 2 more; --wide shows
 * them)", naming as many as the width allows.
 */
export function droppedNote(dropped: readonly string[], width: Width): string {
  const note = (named: number) => {
    const names = dropped.slice(0, named).join(', ');
    const more = dropped.length - named;
    return `(not shown: ${more === 0 ? names : `${names}${named > 0 ? ' and ' : ''}${more} more`}; --wide shows ${dropped.length === 1 ? 'it' : 'them'})`;
  };
  for (let named = dropped.length; named > 0; named--) if (width === null || stringWidth(note(named)) <= width) return note(named);
  return note(0);
}
