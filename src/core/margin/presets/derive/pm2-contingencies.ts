/**
 * PMRM_2's contingencies (`PMRMLib_2.addPrecomputes`, `_addOptionContingency`,
 * `_getConfidenceContingency`), each attributed to the holding that causes it. All ≥ 0, in cash
 * units; MM contingencies count in both requirements, IM contingencies in IM only.
 *
 *   perp:       MM |units|·spot·mmPerpPercent;   IM |units|·spot·imPerpPercent
 *   options:    naked shorts per expiry and strike (a short call and a long put at the same strike
 *               offset, as in Derive) ·spot·mmOptionPercent (MM) / ·imOptionPercent (IM)
 *   collateral: MM value·mmHaircut;   IM value·imHaircut
 *   oracle (IM): (1 − c)·confMargin·notional when c < confThreshold, with c the book's confidence
 *               for perps (notional |units|·spot) and expiries (Σ|units|·spot), and
 *               min(own, book) for collateral (notional = value)
 */
import type { DerivePm2Params } from './pm2-params.js';
import type { Pm2Book, Pm2Collateral, Pm2Expiry } from './pm2-book.js';

/** Kinds of contingency, as reported in components. */
export type Pm2ContingencyKind = 'perp' | 'option' | 'collateral' | 'oracle';

/** One contingency charge on one holding. */
export interface Pm2Charge {
  readonly kind: Pm2ContingencyKind;
  /** instrument id or collateral key */
  readonly key: string;
  /** counted in MM and IM */
  readonly mmUsd: number;
  /** counted in IM only */
  readonly imUsd: number;
}

/** (1 − c)·confMargin·notional when c < confThreshold, else 0. */
export function confidenceContingency(confidence: number, notionalUsd: number, p: DerivePm2Params): number {
  const o = p.otherContingency;
  return confidence < o.confThreshold ? (1 - confidence) * o.confMargin * notionalUsd : 0;
}

/**
 * Naked short units per option of an expiry (Derive's strike filter): at each strike the call
 * and put amounts c, p give: both short → |c| + |p|; one short, one long → the short's excess
 * over the long; a lone short → its size. Returns the naked units by option key.
 */
export function nakedShorts(expiry: Pm2Expiry): Map<string, number> {
  const out = new Map<string, number>();
  const byStrike = new Map<
    number,
    { call?: { key: string; units: number }; put?: { key: string; units: number } }
  >();
  for (const o of expiry.options) {
    const slot = byStrike.get(o.strike) ?? {};
    slot[o.isCall ? 'call' : 'put'] = { key: o.key, units: o.units };
    byStrike.set(o.strike, slot);
  }
  for (const { call, put } of byStrike.values()) {
    for (const [leg, other] of [
      [call, put],
      [put, call],
    ] as const) {
      if (!leg || leg.units >= 0) continue;
      const cover = other && other.units > 0 ? Math.min(-leg.units, other.units) : 0;
      const naked = -leg.units - cover;
      if (naked > 0) out.set(leg.key, naked);
    }
  }
  return out;
}

function collateralCharges(c: Pm2Collateral, confidence: number, p: DerivePm2Params): Pm2Charge[] {
  return [
    {
      kind: 'collateral',
      key: c.key,
      mmUsd: c.valueUsd * c.params.mmHaircut,
      imUsd: c.valueUsd * c.params.imHaircut,
    },
    { kind: 'oracle', key: c.key, mmUsd: 0, imUsd: confidenceContingency(confidence, c.valueUsd, p) },
  ];
}

/** Every contingency charge of a book (zero charges included; callers may drop them). */
export function bookContingencies(book: Pm2Book, p: DerivePm2Params): Pm2Charge[] {
  const o = p.otherContingency;
  const charges: Pm2Charge[] = [];
  for (const l of book.linears) {
    const notional = Math.abs(l.units) * book.spot;
    charges.push({
      kind: 'perp',
      key: l.key,
      mmUsd: notional * o.mmPerpPercent,
      imUsd: notional * o.imPerpPercent,
    });
    charges.push({
      kind: 'oracle',
      key: l.key,
      mmUsd: 0,
      imUsd: confidenceContingency(book.confidence, notional, p),
    });
  }
  for (const e of book.expiries) {
    for (const [key, naked] of nakedShorts(e)) {
      const notional = naked * book.spot;
      charges.push({
        kind: 'option',
        key,
        mmUsd: notional * o.mmOptionPercent,
        imUsd: notional * o.imOptionPercent,
      });
    }
    // Oracle contingency on the expiry's gross size Σ|units|·spot, shared by size.
    for (const opt of e.options) {
      const notional = Math.abs(opt.units) * book.spot;
      charges.push({
        kind: 'oracle',
        key: opt.key,
        mmUsd: 0,
        imUsd: confidenceContingency(book.confidence, notional, p),
      });
    }
  }
  for (const c of book.collaterals)
    charges.push(...collateralCharges(c, Math.min(c.confidence, book.confidence), p));
  return charges;
}

/** Charges of collateral that sits in no book: haircuts, and its own confidence. */
export function looseCollateralContingencies(
  collateral: readonly Pm2Collateral[],
  p: DerivePm2Params,
): Pm2Charge[] {
  return collateral.flatMap((c) => collateralCharges(c, c.confidence, p));
}
