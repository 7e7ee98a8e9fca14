/**
 * @module optimise/candidates
 *
 * The trades the optimiser may propose: per instrument, its lot size, its largest buy and sell,
 * and its execution cost, as a convex piecewise-linear function of the size so that the LP
 * charges it exactly (books) or from above (square-root curves):
 *
 *   cost(x) = Σ_pieces unitCost_k·fill_k (spread + slippage vs the mark)  +  fee·|x|  +  gas·[x ≠ 0]
 *
 * Where the cost comes from, in order:
 * 1. a candidate file (`parseCandidateFile`): an order book in contracts (levels: USD per unit of
 *    underlying) or a square-root curve per instrument, with optional lot, size limit and fee;
 * 2. the market's depth curve of the underlying asset (perpetuals and futures);
 * 3. the documented square-root defaults (optimiser-params.ts) on the instrument's mark.
 * Book pieces are the levels themselves (slope = the level's distance from the reference, ≥ 0);
 * a square-root curve C(q) is replaced by its secants at q_j = qmax·(j/N)², which lie above the
 * convex curve, so the LP never understates a cost. The exact cost of the answer is recomputed
 * with `computeExecutionCost` and reported.
 * Units: sizes in contracts; costs USD; delta in units of underlying; vega USD per vol point.
 */
import { z } from 'zod';
import { InvalidInputError, RiskError, requireInput } from '../errors.js';
import { createDepthCurve, type DepthCurve } from '../market/depth-curve.js';
import { computeExecutionCost } from '../market/execution-cost.js';
import { parseWithSchema } from '../params/parse.js';
import type { MarginMarket, MarkedInstrument } from '../portfolio/margin-market.js';
import { computeBlack76Greeks } from '../pricing/black76.js';
import type { OptimiserParams } from './optimiser-params.js';

/** One linear piece of an execution-cost curve. */
export interface CostPiece {
  /** contracts this piece covers (> 0) */
  readonly widthContracts: number;
  /** spread and slippage per contract on this piece, USD (≥ 0, non-decreasing along the curve) */
  readonly unitCostUsd: number;
}

/** A tradable candidate. */
export interface Candidate {
  readonly instrument: string;
  readonly kind: 'perpetual' | 'future' | 'option';
  readonly underlying: string;
  readonly contractSize: number;
  /** USD per unit of underlying */
  readonly markPrice: number;
  /** contracts per lot; 0 = any size */
  readonly lotSize: number;
  /** largest buy and sell, contracts (≥ 0) */
  readonly maxBuy: number;
  readonly maxSell: number;
  readonly buyPieces: readonly CostPiece[];
  readonly sellPieces: readonly CostPiece[];
  /** fee per contract traded, USD */
  readonly feePerContractUsd: number;
  /** fixed cost of trading at all, USD */
  readonly gasUsd: number;
  /** delta per contract, units of underlying; vega per contract, USD per vol point */
  readonly deltaPerContract: number;
  readonly vegaPerContract: number;
  /** cash paid per contract bought (premium), USD; 0 for perpetuals and futures */
  readonly premiumPerContractUsd: number;
  /** where the cost comes from */
  readonly costSource: 'file' | 'market-depth' | 'default';
  /** exact spread + slippage of a signed size, USD (the curve itself, not the pieces) */
  readonly slippageUsd: (contracts: number) => number;
}

const Level = z.strictObject({ price: z.number(), qty: z.number() });
const CandidateEntry = z.strictObject({
  instrument: z.string().min(1),
  lotSize: z.number().min(0).exactOptional(),
  maxSize: z.number().positive().exactOptional(),
  feePerContractUsd: z.number().min(0).exactOptional(),
  gasUsd: z.number().min(0).exactOptional(),
  depth: z.union([
    z.strictObject({ kind: z.literal('book'), bids: z.array(Level), asks: z.array(Level) }),
    z.strictObject({
      kind: z.literal('sqrt'),
      referencePrice: z.number(),
      halfSpread: z.number(),
      impactCoefficient: z.number(),
      dailyVolume: z.number(),
    }),
  ]),
});
/** Schema of a candidate file (docs/formats.md#candidates). */
export const CandidateFileSchema = z.strictObject({ candidates: z.array(CandidateEntry) });
export type CandidateFile = z.output<typeof CandidateFileSchema>;

/** Delta and vega of one contract (Black-76 for options). */
function greeksOf(m: MarkedInstrument): { delta: number; vega: number } {
  const inst = m.instrument;
  if (inst.kind !== 'option') return { delta: inst.contractSize, vega: 0 };
  const g = computeBlack76Greeks({
    type: inst.optionType,
    forward: m.forward!,
    strike: inst.strike,
    tYears: m.tYears!,
    vol: m.vol!,
    rate: m.rate ?? 0,
  });
  return { delta: g.delta * inst.contractSize, vega: (g.vega * inst.contractSize) / 100 };
}

/** Pieces of a convex curve given by its exact cost at a size, from above (module header). */
function secantPieces(cost: (q: number) => number, qMax: number, n: number): CostPiece[] {
  const out: CostPiece[] = [];
  let prevQ = 0;
  let prevC = 0;
  for (let j = 1; j <= n; j++) {
    const q = qMax * (j / n) ** 2;
    const c = cost(q);
    if (q > prevQ)
      out.push({ widthContracts: q - prevQ, unitCostUsd: Math.max(0, (c - prevC) / (q - prevQ)) });
    prevQ = q;
    prevC = c;
  }
  // Rounding can break monotonicity by an ulp; a convex curve's secant slopes never fall.
  for (let k = 1; k < out.length; k++)
    if (out[k]!.unitCostUsd < out[k - 1]!.unitCostUsd)
      out[k] = { ...out[k]!, unitCostUsd: out[k - 1]!.unitCostUsd };
  return out;
}

/** Book pieces from levels (best first); `scale` converts the curve's quantity to contracts. */
function bookPieces(
  levels: readonly { price: number; qty: number }[],
  ref: number,
  dir: 1 | -1,
  perContract: number,
  qtyPerContract: number,
): CostPiece[] {
  return levels.map((l) => ({
    widthContracts: l.qty / qtyPerContract,
    unitCostUsd: Math.max(0, dir * (l.price - ref)) * perContract,
  }));
}

function lotFloor(x: number, lot: number): number {
  return lot > 0 ? Math.floor(x / lot + 1e-9) * lot : x;
}

interface CurveSpec {
  readonly curve: DepthCurve;
  /** curve quantity per contract (contractSize for an asset's curve, 1 for a contract book) */
  readonly qtyPerContract: number;
  /** USD per (curve price unit × curve quantity unit × qtyPerContract) → per contract */
  readonly usdPerUnit: number;
  readonly source: Candidate['costSource'];
  /** liquidity limit for a square-root curve, contracts */
  readonly sqrtMax?: number;
}

function buildCandidate(
  m: MarkedInstrument,
  market: MarginMarket,
  spec: CurveSpec,
  p: OptimiserParams,
  overrides: { lotSize?: number; maxSize?: number; feePerContractUsd?: number; gasUsd?: number },
): Candidate {
  const inst = m.instrument;
  if (inst.kind === 'spot')
    throw new InvalidInputError(`candidates[${inst.id}]`, inst.kind, 'must be a perpetual, future or option');
  const cs = inst.contractSize;
  const index = market.prices.get(inst.underlying)!;
  const { curve, qtyPerContract, usdPerUnit } = spec;
  const slippageUsd = (x: number) =>
    x === 0 ? 0 : computeExecutionCost(curve, x * qtyPerContract).costUsd * usdPerUnit;
  let buyPieces: CostPiece[];
  let sellPieces: CostPiece[];
  let maxBuy: number;
  let maxSell: number;
  if (curve.kind === 'book') {
    buyPieces = bookPieces(curve.asks, curve.referencePrice, 1, qtyPerContract * usdPerUnit, qtyPerContract);
    sellPieces = bookPieces(
      curve.bids,
      curve.referencePrice,
      -1,
      qtyPerContract * usdPerUnit,
      qtyPerContract,
    );
    maxBuy = curve.askDepth / qtyPerContract;
    maxSell = curve.bidDepth / qtyPerContract;
  } else {
    const qMax = spec.sqrtMax ?? p.maxParticipation * (curve.dailyVolume / qtyPerContract);
    buyPieces = secantPieces((q) => slippageUsd(q), qMax, p.costPieces);
    sellPieces = secantPieces((q) => slippageUsd(-q), qMax, p.costPieces);
    maxBuy = qMax;
    maxSell = qMax;
  }
  if (overrides.maxSize !== undefined) {
    maxBuy = Math.min(maxBuy, overrides.maxSize);
    maxSell = Math.min(maxSell, overrides.maxSize);
  }
  const lotSize = overrides.lotSize ?? p.lots[inst.kind];
  maxBuy = lotFloor(maxBuy, lotSize);
  maxSell = lotFloor(maxSell, lotSize);
  const fee =
    overrides.feePerContractUsd ??
    (inst.kind === 'option'
      ? Math.min(p.options.feeOfIndex * index, p.options.feeCapOfPremium * m.markPrice) * cs
      : p.linear.feeRate * m.markPrice * cs);
  const g = greeksOf(m);
  return {
    instrument: inst.id,
    kind: inst.kind,
    underlying: inst.underlying,
    contractSize: cs,
    markPrice: m.markPrice,
    lotSize,
    maxBuy,
    maxSell,
    buyPieces: trimPieces(buyPieces, maxBuy),
    sellPieces: trimPieces(sellPieces, maxSell),
    feePerContractUsd: fee,
    gasUsd: overrides.gasUsd ?? p.gasUsdPerTrade,
    deltaPerContract: g.delta,
    vegaPerContract: g.vega,
    premiumPerContractUsd: inst.kind === 'option' ? m.markPrice * cs : 0,
    costSource: spec.source,
    slippageUsd,
  };
}

/** Pieces cut at the size limit. */
function trimPieces(pieces: readonly CostPiece[], max: number): CostPiece[] {
  const out: CostPiece[] = [];
  let left = max;
  for (const pc of pieces) {
    if (left <= 0) break;
    const w = Math.min(pc.widthContracts, left);
    if (w > 0) out.push({ widthContracts: w, unitCostUsd: pc.unitCostUsd });
    left -= w;
  }
  return out;
}

/** The documented default curve of an instrument (module header, sources 2 and 3). */
function defaultCurve(m: MarkedInstrument, market: MarginMarket, p: OptimiserParams): CurveSpec {
  const inst = m.instrument;
  const index = market.prices.get(inst.underlying)!;
  const cs = inst.contractSize;
  if (inst.kind !== 'option') {
    const assetCurve = market.snapshot.depthCurves.get(inst.underlying);
    if (assetCurve) return { curve: assetCurve, qtyPerContract: cs, usdPerUnit: 1, source: 'market-depth' };
    const adv = p.advUsd[inst.underlying] ?? p.defaultAdvUsd;
    const curve = createDepthCurve({
      kind: 'sqrt',
      asset: inst.id,
      referencePrice: m.markPrice,
      halfSpread: p.linear.halfSpread,
      impactCoefficient: p.linear.impact,
      dailyVolume: adv / (m.markPrice * cs),
    });
    return { curve, qtyPerContract: 1, usdPerUnit: cs, source: 'default' };
  }
  const adv = p.optionAdvUsd[inst.underlying] ?? p.defaultOptionAdvUsd;
  const halfSpread = Math.min(
    0.99,
    Math.max(p.options.halfSpreadOfPremium, (p.options.minHalfSpreadOfIndex * index) / m.markPrice),
  );
  const curve = createDepthCurve({
    kind: 'sqrt',
    asset: inst.id,
    referencePrice: m.markPrice,
    halfSpread,
    impactCoefficient: p.options.impact,
    dailyVolume: adv / (index * cs),
  });
  return { curve, qtyPerContract: 1, usdPerUnit: cs, source: 'default' };
}

/**
 * The default candidate set: every listed perpetual, future and option with a positive mark,
 * within the liquidity limit `maxParticipation` of its daily volume (module header).
 * @throws RiskError ERR_MISSING_MARKET_DATA when the market lists no such instrument
 */
export function defaultCandidates(market: MarginMarket, p: OptimiserParams): Candidate[] {
  const out: Candidate[] = [];
  for (const m of market.instruments.values()) {
    if (m.instrument.kind === 'spot' || !(m.markPrice > 0)) continue;
    out.push(buildCandidate(m, market, defaultCurve(m, market, p), p, {}));
  }
  if (out.length === 0)
    throw new RiskError(
      'ERR_MISSING_MARKET_DATA',
      'candidates must not be empty: the market lists no perpetual, future or option with a positive mark',
      { field: 'candidates' },
    );
  return out;
}

/**
 * Candidates from a candidate file (docs/formats.md#candidates): each names a listed instrument
 * and gives its depth (an order book in contracts, prices in USD per unit of underlying, or a
 * square-root curve), and optionally a lot size, a size limit, a fee per contract and gas.
 * @throws ValidationError ERR_VALIDATION (shape: a candidate without depth); InvalidInputError
 *         ERR_INVALID_INPUT (empty set, bad levels, a spot instrument, a mark ≤ 0);
 *         RiskError ERR_UNKNOWN_INSTRUMENT naming `candidates[i].instrument`
 */
export function parseCandidateFile(doc: unknown, market: MarginMarket, p: OptimiserParams): Candidate[] {
  const file = parseWithSchema(CandidateFileSchema, doc, 'candidate file');
  requireInput(
    file.candidates.length > 0,
    'candidates',
    file.candidates.length,
    'must list at least one candidate',
  );
  const seen = new Set<string>();
  return file.candidates.map((c, i) => {
    const field = `candidates[${i}]`;
    const m = market.instruments.get(c.instrument);
    if (!m)
      throw new RiskError(
        'ERR_UNKNOWN_INSTRUMENT',
        `${field}.instrument: "${c.instrument}" is not in the market`,
        {
          field: `${field}.instrument`,
          id: c.instrument,
        },
      );
    requireInput(!seen.has(c.instrument), `${field}.instrument`, c.instrument, 'must not repeat a candidate');
    seen.add(c.instrument);
    requireInput(
      m.markPrice > 0,
      `${field}.instrument`,
      c.instrument,
      'must have a mark price > 0 in the market',
    );
    const curve = createDepthCurve(
      c.depth.kind === 'book'
        ? {
            kind: 'book',
            asset: c.instrument,
            bids: c.depth.bids,
            asks: c.depth.asks,
            referencePrice: m.markPrice,
          }
        : { ...c.depth, asset: c.instrument },
      `${field}.depth`,
    );
    const spec: CurveSpec = {
      curve,
      qtyPerContract: 1,
      usdPerUnit: m.instrument.contractSize,
      source: 'file',
    };
    const { depth: _d, instrument: _i, ...overrides } = c;
    return buildCandidate(m, market, spec, p, overrides);
  });
}

/** Exact execution cost of a signed size of a candidate: slippage + fee + gas, USD. */
export function candidateCostUsd(c: Candidate, contracts: number): number {
  if (contracts === 0) return 0;
  return c.slippageUsd(contracts) + c.feePerContractUsd * Math.abs(contracts) + c.gasUsd;
}
