/**
 * Collateral haircuts as requirement components, so that every model reports the same
 * mark-to-market equity and results compare directly:
 *
 *   asset held (qty > 0):    IM += value·imHaircut,          MM += value·mmHaircut
 *   liability (qty < 0):     IM += |value|·(imLiabilityWeight − 1), MM += |value|·(mmLiabilityWeight − 1)
 *
 * (equivalent to valuing assets at (1 − haircut) and liabilities at weight > 1). Haircuts are
 * fractions in [0, 1], IM ≥ MM; liability weights ≥ 1, IM ≥ MM. Unlisted assets use `default`.
 */
import { z } from 'zod';
import type { CollateralValue } from '../portfolio/valuation.js';

export interface Haircut {
  readonly im: number;
  readonly mm: number;
}

export interface HaircutParams {
  readonly haircuts: Readonly<Record<string, Haircut>>;
  readonly defaultHaircut: Haircut;
  readonly liabilityWeight: Haircut;
}

export const HaircutSchema = z.strictObject({ im: z.number().min(0).max(1), mm: z.number().min(0).max(1) });
export const LiabilityWeightSchema = z.strictObject({
  im: z.number().min(1).max(10),
  mm: z.number().min(1).max(10),
});

/** Rule violations (IM ≥ MM for every haircut and the liability weight). */
export function checkHaircuts(p: HaircutParams): [string, string][] {
  const out: [string, string][] = [];
  for (const [a, h] of Object.entries(p.haircuts))
    if (h.mm > h.im) out.push([`haircuts.${a}.mm`, `must be <= im (${h.im}); got ${h.mm}`]);
  if (p.defaultHaircut.mm > p.defaultHaircut.im)
    out.push(['defaultHaircut.mm', `must be <= im; got ${p.defaultHaircut.mm}`]);
  if (p.liabilityWeight.mm > p.liabilityWeight.im)
    out.push(['liabilityWeight.mm', `must be <= im; got ${p.liabilityWeight.mm}`]);
  return out;
}

/** Haircut requirement of one collateral balance. */
export function haircutRequirement(c: CollateralValue, p: HaircutParams): { imUsd: number; mmUsd: number } {
  if (c.valueUsd >= 0) {
    const h = p.haircuts[c.asset] ?? p.defaultHaircut;
    return { imUsd: c.valueUsd * h.im, mmUsd: c.valueUsd * h.mm };
  }
  const v = -c.valueUsd;
  return { imUsd: v * (p.liabilityWeight.im - 1), mmUsd: v * (p.liabilityWeight.mm - 1) };
}
