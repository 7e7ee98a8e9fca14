/**
 * @module adapters/http/wire
 *
 * The API's JSON forms of engine values. Exact amounts travel as decimal strings of base units
 * (`units`) next to a human decimal string (`amount`) and a USD value (float, for display);
 * bigint fields of operations and journal entries are decimal strings of base units.
 */
import { formatDecimal } from '../../core/ledger/decimal.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { JournalEntry } from '../../engine/journal.js';
import type { Operation } from '../../engine/operations.js';

/** An exact balance on the wire. */
export interface WireAmount {
  readonly asset: string;
  /** signed base units, decimal string */
  readonly units: string;
  /** signed whole units, decimal string (exact) */
  readonly amount: string;
  /** value at the current index price, USD (null when the asset has no price) */
  readonly usd: number | null;
}

/** `units` of `asset` with its decimals, valued at `market`'s index price (if any). */
export function toWireAmount(
  asset: string,
  units: bigint,
  decimals: number,
  market: MarginMarket | undefined,
): WireAmount {
  const amount = formatDecimal(units, decimals, { trimZeros: true });
  const price = market?.prices.get(asset);
  return { asset, units: units.toString(), amount, usd: price === undefined ? null : Number(amount) * price };
}

/** Any value with bigint replaced by decimal strings (deep). */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v);
    return out;
  }
  return value;
}

/** A journal entry on the wire (postings' units as decimal strings). */
export function toWireEntry(entry: JournalEntry): unknown {
  return jsonSafe(entry);
}

/** An operation on the wire (bigint fields as decimal strings). */
export function toWireOperation(op: Operation): unknown {
  return jsonSafe(op);
}
