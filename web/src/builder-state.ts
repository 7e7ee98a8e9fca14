/**
 * @module builder-state
 * The position builder's state and its place in the URL, so that a book can be shared as a link:
 * `#/builder?base=alice%2Fmain&model=portfolio&leg=BTC-PERP:1&leg=BTC-30D-21000-C:-2&cash=USDC:10000`.
 * Decoding is tolerant (a malformed entry is dropped, never thrown): a link typed by hand still
 * opens. Pure: unit-tested in test/web/builder-state.test.ts.
 */

/** A hypothetical leg: signed contracts of an instrument. */
export interface BuilderLeg {
  readonly instrument: string;
  readonly size: number;
}

/** Extra collateral: an amount of an asset as a decimal string (negative = borrowed). */
export interface BuilderCash {
  readonly asset: string;
  readonly amount: string;
}

/** What the builder shows. */
export interface BuilderState {
  /** `accountId/subAccountId` to start from, or null for an empty book */
  readonly base: string | null;
  /** the model of the liquidation prices and P&L lines; null: the base's mode, else portfolio */
  readonly model: string | null;
  readonly legs: readonly BuilderLeg[];
  readonly collateral: readonly BuilderCash[];
}

/** An empty book. */
export const EMPTY_BUILDER: BuilderState = { base: null, model: null, legs: [], collateral: [] };

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The query string of a state (without `?`). */
export function encodeBuilderQuery(s: BuilderState): string {
  const q = new URLSearchParams();
  if (s.base !== null) q.set('base', s.base);
  if (s.model !== null) q.set('model', s.model);
  for (const l of s.legs) q.append('leg', `${l.instrument}:${l.size}`);
  for (const c of s.collateral) q.append('cash', `${c.asset}:${c.amount}`);
  return q.toString();
}

/** The state of a query string (with or without `?`); malformed entries are dropped. */
export function decodeBuilderQuery(query: string): BuilderState {
  const q = new URLSearchParams(query.replace(/^\?/, ''));
  const pair = (v: string): [string, string] | null => {
    const i = v.lastIndexOf(':');
    return i <= 0 ? null : [v.slice(0, i), v.slice(i + 1)];
  };
  const legs: BuilderLeg[] = [];
  for (const v of q.getAll('leg')) {
    const p = pair(v);
    const size = p === null ? NaN : Number(p[1]);
    if (p !== null && Number.isFinite(size) && size !== 0) legs.push({ instrument: p[0], size });
  }
  const collateral: BuilderCash[] = [];
  for (const v of q.getAll('cash')) {
    const p = pair(v);
    if (p !== null && DECIMAL.test(p[1])) collateral.push({ asset: p[0], amount: p[1] });
  }
  const base = q.get('base');
  const model = q.get('model');
  return {
    base: base !== null && /^[^/]+\/[^/]+$/.test(base) ? base : null,
    model: model !== null && /^[a-z0-9-]{1,32}$/.test(model) ? model : null,
    legs,
    collateral,
  };
}

/** The hash of the builder page showing `s`. */
export function toBuilderHash(s: BuilderState): string {
  const q = encodeBuilderQuery(s);
  return q === '' ? '#/builder' : `#/builder?${q}`;
}
