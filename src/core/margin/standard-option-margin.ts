/**
 * Standard (non-portfolio) option margin, the template of large option venues (Deribit, Aevo;
 * ANCHORS §2.1), in USD per unit of underlying, with U the index price:
 *
 *   short call: IM = max(base − OTM/U, floor)·U + mark,   MM = mmBase·U + mark,   OTM = max(K − U, 0)
 *   short put:  IM = min(max(base − OTM/U, floor)·U + mark, K),  MM = min(mmBase·U + mark, K),  OTM = max(U − K, 0)
 *   long:       IM = MM = mark (the premium cannot be financed)
 *
 * The put requirement is capped at the strike, the most a short put can lose (an xmargin choice:
 * the venue formula can exceed it for deep out-of-the-money puts on a crashed underlying).
 */
import { z } from 'zod';

export interface OptionMarginParams {
  /** short requirement before the OTM reduction, fraction of U (Deribit 0.15) */
  readonly shortBase: number;
  /** minimum short requirement, fraction of U (Deribit 0.10) */
  readonly shortFloor: number;
  /** short maintenance, fraction of U (Deribit 0.075) */
  readonly mmBase: number;
}

export const OptionMarginParamsSchema = z.strictObject({
  shortBase: z.number().min(0).max(1),
  shortFloor: z.number().min(0).max(1),
  mmBase: z.number().min(0).max(1),
});

/** Requirement of `units` (signed, units of underlying) of one option. */
export function standardOptionMargin(
  o: { optionType: 'call' | 'put'; strike: number; markPrice: number; indexPrice: number; units: number },
  p: OptionMarginParams,
): { imUsd: number; mmUsd: number } {
  const q = Math.abs(o.units);
  if (o.units >= 0) return { imUsd: q * o.markPrice, mmUsd: q * o.markPrice };
  const u = o.indexPrice;
  const otm = o.optionType === 'call' ? Math.max(o.strike - u, 0) : Math.max(u - o.strike, 0);
  let im = Math.max(p.shortBase - otm / u, p.shortFloor) * u + o.markPrice;
  let mm = p.mmBase * u + o.markPrice;
  if (o.optionType === 'put') {
    im = Math.min(im, o.strike);
    mm = Math.min(mm, o.strike);
  }
  return { imUsd: q * im, mmUsd: q * Math.min(mm, im) };
}
