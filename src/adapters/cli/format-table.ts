/**
 * Plain-text tables for the CLI: right-aligned numbers, a header rule, no colour, and at most
 * {@link tableWidth} columns wide (100 unless `--wide`): a wider table is folded into column
 * groups that each repeat the first (key) column, and a text column still too wide is wrapped
 * at spaces.
 */

/** Default width of CLI output, in columns. */
export const DEFAULT_TABLE_WIDTH = 100;

let tableWidth = DEFAULT_TABLE_WIDTH;

/** The width tables are folded to (Infinity with `--wide`). */
export function getTableWidth(): number {
  return tableWidth;
}

/** Sets the width tables are folded to for this run (run-cli.ts sets it from `--wide`). */
export function setTableWidth(width: number): void {
  tableWidth = width;
}

/** Formats a number to `digits` significant digits without exponent for ordinary sizes. */
export function formatNumber(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e12) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
    return x.toFixed(Math.min(decimals, 12));
  }
  return x.toExponential(digits - 1);
}

const NUMERIC = /^[-+]?[\d.,]+(e[-+]?\d+)?%?$|^-?Infinity$/;

/** Splits `text` into lines of at most `width` characters, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (w.length > width) {
      if (line !== '') out.push(line);
      out.push(w.slice(0, width));
      w = w.slice(width);
      line = '';
    }
    if (line === '') line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line !== '') out.push(line);
  return out;
}

/**
 * Wraps every line of `text` longer than the table width at spaces; continuation lines are
 * indented by two spaces. Tables (already within the width) pass unchanged.
 */
export function wrapLines(text: string, width = tableWidth): string {
  if (!Number.isFinite(width)) return text;
  return text
    .split('\n')
    .flatMap((line) => {
      if (line.length <= width) return [line];
      const [first, ...rest] = wrapText(line, width);
      const tail = rest.length === 0 ? [] : wrapText(rest.join(' '), width - 2).map((l) => `  ${l}`);
      return [first!, ...tail];
    })
    .join('\n');
}

function render(header: readonly string[], rows: readonly (readonly string[])[], maxWidth: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const total = () => widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1);
  // Wrap the widest text column while the table is too wide (numbers are never wrapped).
  const wrapped = new Set<number>();
  while (total() > maxWidth) {
    const candidates = widths
      .map((w, i) => ({ w, i }))
      .filter(({ i }) => i > 0 && !rows.every((r) => NUMERIC.test(r[i] ?? '')));
    const widest = candidates.sort((a, b) => b.w - a.w)[0];
    if (!widest) break;
    const target = Math.max(12, widest.w - (total() - maxWidth), header[widest.i]!.length);
    if (target >= widest.w) break;
    widths[widest.i] = target;
    wrapped.add(widest.i);
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (NUMERIC.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const body: string[] = [];
  for (const r of rows) {
    const cells = header.map((_, i) => (wrapped.has(i) ? wrapText(r[i] ?? '', widths[i]!) : [r[i] ?? '']));
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) body.push(line(cells.map((c) => c[k] ?? '')));
  }
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body].join('\n');
}

/**
 * Renders rows under a header; numeric-looking cells are right-aligned. Wider than `maxWidth`:
 * the columns after the first are folded into groups (each repeating the first column), one
 * table under the other, and text columns are wrapped (module header).
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth = tableWidth,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  if (widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1) <= maxWidth || header.length <= 2)
    return render(header, rows, maxWidth);
  const groups: number[][] = [];
  let current: number[] = [];
  let width = widths[0]!;
  for (let i = 1; i < header.length; i++) {
    if (current.length > 0 && width + 2 + widths[i]! > maxWidth) {
      groups.push(current);
      current = [];
      width = widths[0]!;
    }
    current.push(i);
    width += 2 + widths[i]!;
  }
  groups.push(current);
  return groups
    .map((g) =>
      render(
        [header[0]!, ...g.map((i) => header[i]!)],
        rows.map((r) => [r[0] ?? '', ...g.map((i) => r[i] ?? '')]),
        maxWidth,
      ),
    )
    .join('\n\n');
}
