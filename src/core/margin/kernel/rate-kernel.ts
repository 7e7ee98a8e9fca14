/**
 * @module margin/kernel/rate-kernel
 *
 * The prepared form of the rate-based models `isolated` and `cross` (rate-based-models.ts): one
 * linear pass over an account's slots, each with its own requirement (a journal holds one net
 * position per instrument, so cross's netting by instrument is already done):
 *
 *   balance:             haircut (qty·price ≥ 0: value·haircut; a liability: |value|·(weight − 1))
 *   spot instrument:     the same haircut on units·index
 *   option:              the standard option rule (standard-option-margin.ts) on units
 *   perpetual, future:   the tiered rate on |units|·index (rate-schedule.ts); isolated also locks the
 *                        position's unrealised profit max(units·(mark − entry), 0)
 *   IM = Σ, MM = min(Σ maintenance, IM)
 *
 * Per row, prepared once per market update: the option's terms, the tier schedule of the
 * underlying, the haircuts of the asset.
 */
import type { HaircutParams } from '../collateral-haircuts.js';
import type { MarginContext, MarginModel } from '../margin-model.js';
import type { RateModelParams } from '../rate-based-models.js';
import { tieredMargin, type RateTier } from '../rate-schedule.js';
import { standardOptionMargin } from '../standard-option-margin.js';
import { ROW_COLLATERAL, ROW_LINEAR, ROW_OPTION, type MarketRows } from './account-rows.js';
import type { PreparedMargin } from './prepared-margin.js';

/** IM and MM of a balance (or spot) of `value` USD under the haircut params of `asset`. */
function haircutOf(value: number, asset: string, p: HaircutParams, mm: boolean): number {
  if (value >= 0) {
    const h = p.haircuts[asset] ?? p.defaultHaircut;
    return value * (mm ? h.mm : h.im);
  }
  return -value * ((mm ? p.liabilityWeight.mm : p.liabilityWeight.im) - 1);
}

/** Prepares `isolated` or `cross` (module header). */
export function prepareRateKernel(
  model: MarginModel<RateModelParams>,
  ctx: MarginContext,
  p: RateModelParams,
  rows: MarketRows,
): PreparedMargin {
  const isolated = model.name === 'isolated';
  const n = rows.size;
  const schedule: (readonly RateTier[] | undefined)[] = new Array<readonly RateTier[] | undefined>(n);
  const strike = new Float64Array(n);
  const isCall = new Uint8Array(n);
  const asset: string[] = new Array<string>(n);
  for (let g = 0; g < n; g++) {
    if (rows.priced[g] === 0) continue;
    const u = rows.underlyings[rows.underlying[g]!]!;
    asset[g] = u;
    if (rows.kind[g] === ROW_LINEAR) schedule[g] = p.rates[u] ?? p.defaultRates;
    else if (rows.kind[g] === ROW_OPTION) {
      const inst = ctx.market.instruments.get(rows.universe.keys[g]!)!.instrument;
      if (inst.kind === 'option') {
        strike[g] = inst.strike;
        isCall[g] = inst.optionType === 'call' ? 1 : 0;
      }
    }
  }
  return {
    model: model.name,
    explain: (pf) => model.compute(pf, ctx, p),
    margin(view, ids, count, out) {
      for (let k = 0; k < count; k++) {
        const a = ids[k]!;
        let im = 0;
        let mm = 0;
        let bad = false;
        const s1 = view.start[a]! + view.count[a]!;
        for (let s = view.start[a]!; s < s1; s++) {
          const g = view.row[s]!;
          if (g >= n || rows.priced[g] === 0) {
            bad = true;
            break;
          }
          const q = view.qty[s]!;
          const kind = rows.kind[g]!;
          if (kind === ROW_COLLATERAL) {
            const v = q * rows.mark[g]!;
            im += haircutOf(v, asset[g]!, p, false);
            mm += haircutOf(v, asset[g]!, p, true);
            continue;
          }
          const units = q * rows.contractSize[g]!;
          const index = rows.index[g]!;
          if (kind === ROW_OPTION) {
            const r = standardOptionMargin(
              {
                optionType: isCall[g] === 1 ? 'call' : 'put',
                strike: strike[g]!,
                markPrice: rows.mark[g]!,
                indexPrice: index,
                units,
              },
              p.options,
            );
            im += r.imUsd;
            mm += r.mmUsd;
          } else if (kind === ROW_LINEAR) {
            const r = tieredMargin(Math.abs(units) * index, schedule[g]!);
            const e = view.entry[s]!;
            // isolated: a position's unrealised profit stays with it and cannot support the account
            const locked = isolated && !Number.isNaN(e) ? Math.max(units * (rows.mark[g]! - e), 0) : 0;
            im += r.imUsd + locked;
            mm += r.mmUsd + locked;
          } else {
            const v = units * index;
            im += haircutOf(v, asset[g]!, p, false);
            mm += haircutOf(v, asset[g]!, p, true);
          }
        }
        out.im[a] = bad ? NaN : im;
        out.mm[a] = bad ? NaN : Math.min(mm, im);
      }
    },
  };
}
