/**
 * A seeded book of accounts for the venue simulation (docs/methodology/simulation.md#venue):
 * hedged option books, basis trades, directional leverage, short-volatility sellers and
 * multi-collateral accounts, each sized to start healthy under the model being simulated.
 *
 * Units: USD notionals; contract size 1 (one contract = one unit of the underlying); collateral
 * in asset units. Deterministic: the same seed, count and market give the same book.
 */
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio, Position } from '../../core/portfolio/portfolio.js';
import { SeededRng } from '../../core/statistics/seeded-rng.js';
import { makePortfolio } from './sim-portfolio.js';

/** Account archetypes, in the order of {@link ARCHETYPE_WEIGHTS}. */
export type AccountKind = 'hedged-options' | 'basis' | 'directional' | 'short-vol' | 'multi-collateral';

/** Share of each archetype in the book (sums to 1). */
export const ARCHETYPE_WEIGHTS: readonly (readonly [AccountKind, number])[] = [
  ['hedged-options', 0.15],
  ['basis', 0.2],
  ['directional', 0.35],
  ['short-vol', 0.15],
  ['multi-collateral', 0.15],
];

/** One simulated account. */
export interface SimAccount {
  readonly id: string;
  readonly kind: AccountKind;
  readonly portfolio: Portfolio;
}

/**
 * Initial requirement of a portfolio and the equity the model compares it with, USD (the model
 * being simulated, at the start market).
 */
export type RequirementFn = (pf: Portfolio) => { readonly initialUsd: number; readonly equityUsd: number };

/** Options of {@link generateVenue}. */
export interface VenueOptions {
  /** collateral = IM × U(lo, hi) (default [1.3, 3]) */
  readonly cushion?: readonly [number, number];
  /**
   * directional accounts hold at least notional / leverage (3–20×) of collateral (default true);
   * false: every account is funded at IM × cushion only (the thin-funding replays)
   */
  readonly leverageFloor?: boolean;
  /** position notional range, USD, log-uniform (default [1e4, 1e6]) */
  readonly notionalUsd?: readonly [number, number];
}

function pick<T>(u: number, xs: readonly T[]): T {
  return xs[Math.min(xs.length - 1, Math.floor(u * xs.length))]!;
}

/** Option ids of the market on `underlying` with the given expiry rank (0 = nearest). */
function chain(market: MarginMarket, underlying: string, expiryRank: number) {
  const opts = [...market.instruments.values()]
    .map((m) => m.instrument)
    .filter((i) => i.kind === 'option' && i.underlying === underlying);
  const expiries = [...new Set(opts.map((i) => (i.kind === 'option' ? i.expiryMs : 0)))].sort(
    (a, b) => a - b,
  );
  const expiry = expiries[Math.min(expiryRank, expiries.length - 1)];
  const strikes = [
    ...new Set(opts.map((i) => (i.kind === 'option' && i.expiryMs === expiry ? i.strike : NaN))),
  ]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const id = (strike: number, type: 'call' | 'put') =>
    opts.find(
      (i) => i.kind === 'option' && i.expiryMs === expiry && i.strike === strike && i.optionType === type,
    )?.id;
  return { strikes, id };
}

/**
 * Generates `n` accounts: positions by archetype, then collateral scaled so that the model's
 * equity is IM × U(1.3, 3) (two passes, for models whose equity or requirement depends on the
 * collateral). Directional accounts hold at least notional / leverage (3–20×) of collateral.
 * @param seed     RNG seed (same seed → same book)
 * @param n        number of accounts, ≥ 0
 * @param market   the start market (instruments of {@link createSimTemplate})
 * @param require  the model's IM and equity of a portfolio at the start market
 */
export function generateVenue(
  seed: number,
  n: number,
  market: MarginMarket,
  require: RequirementFn,
  opts: VenueOptions = {},
): SimAccount[] {
  const rng = new SeededRng(seed);
  const [cLo, cHi] = opts.cushion ?? [1.3, 3];
  const [nLo, nHi] = opts.notionalUsd ?? [1e4, 1e6];
  const price = (a: string) => market.prices.get(a)!;
  const perps = ['BTC', 'ETH', 'SOL'].filter((a) => market.instruments.has(`${a}-PERP`));
  const optionUnderlyings = ['BTC', 'ETH'].filter((a) => chain(market, a, 0).strikes.length > 0);
  const accounts: SimAccount[] = [];
  for (let k = 0; k < n; k++) {
    // Every account draws exactly 8 uniforms: the book's positions do not depend on the model.
    const u = Array.from({ length: 8 }, () => rng.nextUniform());
    let acc = 0;
    let kind: AccountKind = 'directional';
    for (const [name, w] of ARCHETYPE_WEIGHTS) {
      acc += w;
      if (u[0]! < acc) {
        kind = name;
        break;
      }
    }
    const notional = Math.exp(Math.log(nLo) + u[1]! * (Math.log(nHi) - Math.log(nLo)));
    const cushion = cLo + u[2]! * (cHi - cLo);
    const positions: Position[] = [];
    const collateral: Record<string, number> = {};
    let minCashUsd = 0;
    const optU = optionUnderlyings.length > 0 ? pick(u[6]!, optionUnderlyings) : undefined;
    if ((kind === 'hedged-options' || kind === 'short-vol') && optU === undefined) kind = 'directional';
    if (kind === 'hedged-options' || kind === 'short-vol') {
      const c = chain(market, optU!, u[3]! < 0.5 ? 0 : 1);
      const q = notional / price(optU!);
      const mid = c.strikes[Math.floor(c.strikes.length / 2)]!;
      if (kind === 'hedged-options') {
        const lo = c.strikes[0]!;
        const hi = c.strikes[c.strikes.length - 1]!;
        positions.push(
          { instrument: c.id(mid, 'call')!, size: -q },
          { instrument: c.id(mid, 'put')!, size: -q },
          { instrument: c.id(lo, 'put')!, size: q },
          { instrument: c.id(hi, 'call')!, size: q },
        );
      } else {
        positions.push(
          { instrument: c.id(c.strikes[1] ?? mid, 'put')!, size: -q },
          { instrument: c.id(c.strikes[c.strikes.length - 2] ?? mid, 'call')!, size: -q },
        );
      }
    } else if (kind === 'basis') {
      const useFuture = market.instruments.has('BTC-FUT') && u[3]! < 0.5;
      const id = useFuture ? 'BTC-FUT' : 'BTC-PERP';
      const q = notional / price('BTC');
      positions.push({ instrument: id, size: -q, entryPrice: market.instruments.get(id)!.markPrice });
      collateral['BTC'] = q;
    } else if (kind === 'directional') {
      const a = pick(u[7]!, perps);
      const id = `${a}-PERP`;
      const side = u[4]! < 0.55 ? 1 : -1;
      const leverage = 3 + u[5]! * 17;
      positions.push({ instrument: id, size: (side * notional) / price(a), entryPrice: price(a) });
      if (opts.leverageFloor !== false) minCashUsd = notional / leverage;
    } else {
      for (const a of perps.slice(0, 2)) {
        const side = (a === 'BTC' ? u[4]! : u[5]!) < 0.5 ? 1 : -1;
        positions.push({
          instrument: `${a}-PERP`,
          size: (side * notional) / 2 / price(a),
          entryPrice: price(a),
        });
      }
      collateral['BTC'] = (0.3 * notional) / price('BTC');
      collateral['ETH'] = (0.2 * notional) / price('ETH');
    }
    // Collateral: first pass from the requirement with no USDC, second pass corrects for haircuts.
    const base = makePortfolio(positions, { ...collateral, USDC: 0 });
    const r0 = require(base);
    let cash = Math.max(minCashUsd, r0.initialUsd * cushion - r0.equityUsd);
    let pf = makePortfolio(positions, { ...collateral, USDC: cash });
    const r1 = require(pf);
    const short = r1.initialUsd * cushion - r1.equityUsd;
    if (short > 0) {
      cash += short;
      pf = makePortfolio(positions, { ...collateral, USDC: cash });
    }
    accounts.push({ id: `acct-${String(k).padStart(4, '0')}`, kind, portfolio: pf });
  }
  return accounts;
}
