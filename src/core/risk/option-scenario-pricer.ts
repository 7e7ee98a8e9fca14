/**
 * Revalues options under S scenarios with the scenario kernel (pricing/black76-scenarios.ts),
 * for the risk-array builders (grid and historical). The builder gives the forward moves of the
 * options' underlying (shared by every option on it) and fills `vol[j]` for each priced column;
 * `revalue` writes (B76(F·g, K, t, σ', r) − B76(F, K, t, σ, r))·contractSize·w[s] into
 * `out[base + s]` for every member of a group.
 *
 * - Groups: options with the same forward, strike, expiry, vol and rate (a call and its put)
 *   share one out-of-the-money evaluation per scenario (`group`).
 * - Columns: with `scatter`, scenario s reads priced column scatter[s], so scenarios that move
 *   the underlying identically are priced once (historical sets repeat windows).
 *
 * Repricing is against the model price at the unshocked inputs, computed by the same kernel, so
 * a scenario that moves nothing has exactly zero P&L. Scratch columns are allocated once per builder.
 */
import { InvariantError } from '../errors.js';
import {
  kernelDiscount,
  otmBlack76Scenarios,
  priceBlack76Kernel,
  priceFromOtm,
  type Black76Option,
  type ForwardMoves,
} from '../pricing/black76-scenarios.js';
import type { MarkedInstrument } from '../portfolio/margin-market.js';

/** An option row of a risk array: its market entry and the offset of its row. */
export interface PricedRow {
  readonly m: MarkedInstrument;
  readonly base: number;
}

export class OptionScenarioPricer {
  /** shocked vols per priced column, filled by the caller */
  readonly vol: Float64Array;
  private readonly otm: Float64Array;
  private readonly shocked: Float64Array;

  /** @param nColumns  the most priced columns a call will use */
  constructor(readonly nColumns: number) {
    this.vol = new Float64Array(nColumns);
    this.otm = new Float64Array(nColumns);
    this.shocked = new Float64Array(nColumns);
  }

  /** The option's market inputs, checked (the market builder guarantees them). */
  static inputsOf(m: MarkedInstrument): { forward: number; vol: number; tYears: number; rate: number } {
    if (
      m.instrument.kind !== 'option' ||
      m.forward === undefined ||
      m.vol === undefined ||
      m.tYears === undefined
    ) {
      throw new InvariantError('option without forward/vol/tYears in the market', { id: m.instrument.id });
    }
    return { forward: m.forward, vol: m.vol, tYears: m.tYears, rate: m.rate ?? 0 };
  }

  /**
   * Groups option rows whose scenario prices are equal up to put-call parity (same underlying,
   * forward, strike, expiry, vol and rate), in first-seen order. Keyed by number (strike, then
   * expiry), so no key string is formatted per option.
   */
  static group(rows: readonly PricedRow[]): PricedRow[][] {
    const groups: PricedRow[][] = [];
    const byStrike = new Map<number, Map<number, PricedRow[][]>>();
    for (const r of rows) {
      const inst = r.m.instrument;
      const x = OptionScenarioPricer.inputsOf(r.m);
      const strike = inst.kind === 'option' ? inst.strike : 0;
      let byExpiry = byStrike.get(strike);
      if (!byExpiry) byStrike.set(strike, (byExpiry = new Map()));
      let candidates = byExpiry.get(x.tYears);
      if (!candidates) byExpiry.set(x.tYears, (candidates = []));
      const same = candidates.find((g) => {
        const y = OptionScenarioPricer.inputsOf(g[0]!.m);
        return (
          g[0]!.m.instrument.underlying === inst.underlying &&
          y.forward === x.forward &&
          y.vol === x.vol &&
          y.rate === x.rate
        );
      });
      if (same) same.push(r);
      else {
        const g = [r];
        candidates.push(g);
        groups.push(g);
      }
    }
    return groups;
  }

  /**
   * Writes each member's unit P&L for scenarios 0..S−1 (module header).
   * @param nPriced  priced columns (moves and `vol` entries); S = scatter?.length ?? nPriced
   * @param weight   per-scenario P&L multiplier (default 1)
   * @param scatter  scenario → priced column (default: the identity)
   */
  revalue(
    members: readonly PricedRow[],
    moves: ForwardMoves,
    nPriced: number,
    out: Float64Array,
    weight?: Float64Array,
    scatter?: Int32Array,
  ): void {
    const first = members[0]!.m;
    const x = OptionScenarioPricer.inputsOf(first);
    const inst = first.instrument;
    if (inst.kind !== 'option')
      throw new InvariantError('OptionScenarioPricer.revalue on a non-option', { id: inst.id });
    const base: Black76Option = {
      isCall: true,
      forward: x.forward,
      strike: inst.strike,
      tYears: x.tYears,
      rate: x.rate,
    };
    otmBlack76Scenarios(base, moves, this.vol, this.otm, nPriced);
    const S = scatter ? scatter.length : nPriced;
    for (const { m, base: row } of members) {
      const mi = m.instrument;
      if (mi.kind !== 'option')
        throw new InvariantError('OptionScenarioPricer.revalue on a non-option', { id: mi.id });
      const o = { ...base, isCall: mi.optionType === 'call' };
      const now = priceBlack76Kernel(o, x.vol);
      const cs = mi.contractSize;
      const df = kernelDiscount(o);
      const isCall = o.isCall;
      const f = o.forward;
      const k = o.strike;
      const g = moves.growth;
      const otm = this.otm;
      // P&L per priced column (same arithmetic as pricesFromOtm), then per scenario.
      const p = this.shocked;
      for (let j = 0; j < nPriced; j++) p[j] = (priceFromOtm(isCall, f * g[j]!, k, otm[j]!, df) - now) * cs;
      if (scatter) {
        if (weight) for (let s = 0; s < S; s++) out[row + s] = p[scatter[s]!]! * weight[s]!;
        else for (let s = 0; s < S; s++) out[row + s] = p[scatter[s]!]!;
      } else if (weight) for (let s = 0; s < S; s++) out[row + s] = p[s]! * weight[s]!;
      else for (let s = 0; s < S; s++) out[row + s] = p[s]!;
    }
  }
}
