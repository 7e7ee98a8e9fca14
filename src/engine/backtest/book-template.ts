/**
 * Book templates for the backtest (docs/methodology/backtesting.md#books): a book is described
 * relative to the valuation date, so that it can be re-instantiated at every step of a history
 * in which any fixed instrument would long have expired.
 *
 * A leg is an underlying, a kind (perpetual, dated future, option), a tenor in days (dated legs),
 * a strike as a multiple of spot (options) and a size, either a USD notional (units of underlying
 * = notionalUsd / spot at the step) or a fixed number of contracts. Collateral is either a USD
 * amount (units = amountUsd / price at the step) or a fixed number of units. Perpetuals and
 * futures may carry an entry price as a premium over spot (entry = spot × (1 + premium)); without
 * one their P&L is taken as settled, as in the portfolio format.
 *
 * Units: USD for notionals and amounts, days for tenors (fractional allowed), ms UTC for times;
 * contract size 1 (one contract = one unit of the underlying).
 */
import { InvalidInputError } from '../../core/errors.js';
import { fromUnits } from '../../core/ledger/convert.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio, Position } from '../../core/portfolio/portfolio.js';
import { makePortfolio } from '../simulation/sim-portfolio.js';

const DAY_MS = 86_400_000;

/** Size of a leg: a USD notional of the underlying, or a fixed number of contracts (signed, long > 0). */
export type LegSize = { readonly notionalUsd: number } | { readonly contracts: number };

/** One position of a template. */
export type TemplateLeg =
  | ({
      readonly kind: 'perpetual';
      readonly underlying: string;
      /** entry = spot × (1 + entryPremium); absent = P&L settled */
      readonly entryPremium?: number;
    } & LegSize)
  | ({
      readonly kind: 'future';
      readonly underlying: string;
      /** days from the valuation time to expiry, > 0 */
      readonly tenorDays: number;
      readonly entryPremium?: number;
    } & LegSize)
  | ({
      readonly kind: 'option';
      readonly underlying: string;
      readonly tenorDays: number;
      /** strike / spot at the valuation time, > 0 */
      readonly moneyness: number;
      readonly optionType: 'call' | 'put';
    } & LegSize);

/** One collateral balance of a template: a USD amount or fixed units (negative = borrowed). */
export type TemplateCollateral = { readonly asset: string } & (
  { readonly amountUsd: number } | { readonly units: number }
);

/** A book described relative to the valuation date. */
export interface BookTemplate {
  readonly id: string;
  readonly legs: readonly TemplateLeg[];
  readonly collateral: readonly TemplateCollateral[];
}

/** A listed instrument of an instantiated book (market-file instrument entry without marks). */
export interface BacktestInstrument {
  readonly id: string;
  readonly kind: 'perpetual' | 'future' | 'option';
  readonly underlying: string;
  readonly expiryMs?: number;
  readonly strike?: number;
  readonly optionType?: 'call' | 'put';
}

/** A template made concrete at one time: instruments to list and the portfolio holding them. */
export interface InstantiatedBook {
  readonly instruments: readonly BacktestInstrument[];
  readonly portfolio: Portfolio;
}

/** `YYYYMMDDTHHMM` of a time, for instrument ids. */
function compactTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '');
}

/** Strike text of an id: up to 4 decimals, no trailing zeros. */
function strikeText(k: number): string {
  return String(Number(k.toFixed(4)));
}

/** Underlyings and collateral assets a template needs a price for. */
export function templateAssets(t: BookTemplate): string[] {
  return [...new Set([...t.legs.map((l) => l.underlying), ...t.collateral.map((c) => c.asset)])];
}

/** Longest and shortest tenor of a template's dated legs, days (undefined without dated legs). */
export function templateTenors(t: BookTemplate): { min: number; max: number } | undefined {
  const ts = t.legs.flatMap((l) => (l.kind === 'perpetual' ? [] : [l.tenorDays]));
  return ts.length === 0 ? undefined : { min: Math.min(...ts), max: Math.max(...ts) };
}

/**
 * Checks a template: finite non-zero sizes, positive tenors and moneyness, finite amounts.
 * @throws InvalidInputError naming `<book id>.legs[i].<field>`
 */
export function checkTemplate(t: BookTemplate): void {
  t.legs.forEach((l, i) => {
    const f = (name: string) => `${t.id}.legs[${i}].${name}`;
    const size = 'notionalUsd' in l ? l.notionalUsd : l.contracts;
    if (!(Number.isFinite(size) && size !== 0))
      throw new InvalidInputError(f('notionalUsd|contracts'), size, 'must be finite and non-zero');
    if (l.kind !== 'perpetual' && !(l.tenorDays > 0 && Number.isFinite(l.tenorDays)))
      throw new InvalidInputError(f('tenorDays'), l.tenorDays, 'must be > 0');
    if (l.kind === 'option' && !(l.moneyness > 0 && Number.isFinite(l.moneyness)))
      throw new InvalidInputError(f('moneyness'), l.moneyness, 'must be > 0');
    if (l.kind !== 'option' && l.entryPremium !== undefined && !(l.entryPremium > -1))
      throw new InvalidInputError(f('entryPremium'), l.entryPremium, 'must be > -1');
  });
  t.collateral.forEach((c, i) => {
    const x = 'amountUsd' in c ? c.amountUsd : c.units;
    if (!Number.isFinite(x))
      throw new InvalidInputError(`${t.id}.collateral[${i}]`, x, 'must be a finite amount');
  });
}

/**
 * Instantiates a template at `timeMs`: dated legs expire at timeMs + tenor, strikes are
 * moneyness × spot, sizes notional / spot (contract size 1).
 * @param prices  USD price per underlying and collateral asset at `timeMs`
 * @returns undefined when an asset the template needs has no finite positive price
 */
export function instantiateTemplate(
  t: BookTemplate,
  timeMs: number,
  prices: Readonly<Record<string, number>>,
): InstantiatedBook | undefined {
  const px = (a: string) => (a === 'USD' ? 1 : prices[a]);
  for (const a of templateAssets(t)) {
    const p = px(a);
    if (!(p !== undefined && Number.isFinite(p) && p > 0)) return undefined;
  }
  const instruments: BacktestInstrument[] = [];
  const positions: Position[] = [];
  for (const l of t.legs) {
    const spot = px(l.underlying)!;
    const size = 'notionalUsd' in l ? l.notionalUsd / spot : l.contracts;
    if (l.kind === 'perpetual') {
      const id = `${l.underlying}-PERP`;
      instruments.push({ id, kind: 'perpetual', underlying: l.underlying });
      positions.push({
        instrument: id,
        size,
        ...(l.entryPremium !== undefined && { entryPrice: spot * (1 + l.entryPremium) }),
      });
    } else if (l.kind === 'future') {
      const expiryMs = Math.round(timeMs + l.tenorDays * DAY_MS);
      const id = `${l.underlying}-${compactTime(expiryMs)}`;
      instruments.push({ id, kind: 'future', underlying: l.underlying, expiryMs });
      positions.push({
        instrument: id,
        size,
        ...(l.entryPremium !== undefined && { entryPrice: spot * (1 + l.entryPremium) }),
      });
    } else {
      const expiryMs = Math.round(timeMs + l.tenorDays * DAY_MS);
      const strike = l.moneyness * spot;
      const id = `${l.underlying}-${compactTime(expiryMs)}-${strikeText(strike)}-${l.optionType === 'call' ? 'C' : 'P'}`;
      instruments.push({
        id,
        kind: 'option',
        underlying: l.underlying,
        expiryMs,
        strike,
        optionType: l.optionType,
      });
      positions.push({ instrument: id, size });
    }
  }
  const collateral: Record<string, number> = {};
  for (const c of t.collateral) {
    const units = 'amountUsd' in c ? c.amountUsd / px(c.asset)! : c.units;
    collateral[c.asset] = (collateral[c.asset] ?? 0) + units;
  }
  return { instruments, portfolio: makePortfolio(positions, collateral) };
}

/**
 * The template of a priced portfolio: tenor = expiry − market time (days), moneyness = strike /
 * index price, notional = size × contract size × index price, entry premium = entry / index − 1,
 * collateral as its USD value at the market (stable or not: the book keeps its dollar scale).
 * @param market  the market the portfolio was priced against (e.g. examples/market.json)
 * @throws InvalidInputError for an instrument kind a template cannot hold (spot positions)
 */
export function templateFromPortfolio(id: string, pf: Portfolio, market: MarginMarket): BookTemplate {
  const legs: TemplateLeg[] = pf.positions.map((p, i) => {
    const m = market.instruments.get(p.instrument);
    if (m === undefined)
      throw new InvalidInputError(`${id}.positions[${i}].instrument`, p.instrument, 'must be in the market');
    const inst = m.instrument;
    const spot = market.prices.get(inst.underlying)!;
    const notionalUsd = p.size * inst.contractSize * spot;
    const premium = p.entryPrice === undefined ? {} : { entryPremium: p.entryPrice / spot - 1 };
    switch (inst.kind) {
      case 'perpetual':
        return { kind: 'perpetual', underlying: inst.underlying, notionalUsd, ...premium };
      case 'future':
        return {
          kind: 'future',
          underlying: inst.underlying,
          tenorDays: (inst.expiryMs - market.valuationMs) / DAY_MS,
          notionalUsd,
          ...premium,
        };
      case 'option':
        return {
          kind: 'option',
          underlying: inst.underlying,
          tenorDays: (inst.expiryMs - market.valuationMs) / DAY_MS,
          moneyness: inst.strike / spot,
          optionType: inst.optionType,
          notionalUsd,
        };
      default:
        throw new InvalidInputError(
          `${id}.positions[${i}].instrument`,
          p.instrument,
          'must be a perpetual, future or option',
        );
    }
  });
  const collateral: TemplateCollateral[] = [...pf.collateral.entries()].map(([asset, bal]) => ({
    asset,
    amountUsd: fromUnits(bal.units, bal.asset.decimals) * (market.prices.get(asset) ?? 1),
  }));
  const t = { id, legs, collateral };
  checkTemplate(t);
  return t;
}
