/**
 * Collateral allocation across a user's sub-accounts (docs/methodology/optimiser.md#allocation):
 * the transfers after which every sub-account keeps (1 + buffer)·IM covered by the collateral it
 * posts, and the most value is left free (withdrawable, or to deploy), net of transfer costs.
 * Also which asset to post where, given each model's haircuts.
 *
 *   posted y_av ≥ 0, free f_av ≥ 0, transfers t_avw ≥ 0:
 *   y_av + f_av = holding_av + Σ_w t_awv − Σ_w t_avw                       (conservation)
 *   E_v + Σ_a (1 − haircut_av)·price_a·y_av ≥ (1 + buffer_v)·IM_v          (coverage)
 *   maximise Σ price_a·f_av − cost·Σ z_avw,   t_avw ≤ H_a·z_avw,  Σ z ≤ K  (fixed costs: MILP)
 *
 * IM_v and E_v are the sub-account's positions alone under its model (option MtM and unrealised
 * P&L in E_v; owed balances stay where they are). Under a scenario model that shocks collateral
 * with the positions (portfolio, deribit-pm, derive-pm2, es, var), a non-stable asset held may be
 * a hedge (BTC against a short BTC future), so it stays pinned where it is, part of the base;
 * stablecoins and the collateral of haircut models move. The haircut view can still differ from
 * a model's own treatment, so each sub-account is
 * VERIFIED by its model on the posted collateral only; a shortfall raises its coverage row by the
 * shortfall and the LP is solved again (bounded); otherwise ERR_OPTIMISATION_UNVERIFIED.
 * Reference: the transport form of collateral optimisation (ANCHORS §6.1 names CME's Margin
 * Optimizer and OpenGamma as the services doing this for institutions).
 */
import { z } from 'zod';
import { RiskError, XmarginError, requireInput } from '../errors.js';
import { requirementToUnits } from '../ledger/convert.js';
import { DEFAULT_RATE_MODEL_PARAMS } from '../margin/rate-based-models.js';
import { createMarginContext, type MarginContext, type MarginModel } from '../margin/margin-model.js';
import type { HaircutParams } from '../margin/collateral-haircuts.js';
import { getMarginModel } from '../margin/registry.js';
import { parseWithSchema } from '../params/parse.js';
import { PortfolioFileSchema, resolvePortfolioFile } from '../portfolio/portfolio-file.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { CollateralBalance, Portfolio } from '../portfolio/portfolio.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import { LpBuilder, isMip, lpDualBound, type LpSolver } from './lp-problem.js';
import type { OptimiserParams } from './optimiser-params.js';

/** Schema of an allocation file (docs/formats.md#allocation). */
export const AllocationFileSchema = z.strictObject({
  transferCostUsd: z.number().min(0).exactOptional(),
  maxTransfers: z.int().min(0).exactOptional(),
  subAccounts: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(64),
        model: z.string().min(1),
        buffer: z.number().min(0).max(10).exactOptional(),
        portfolio: PortfolioFileSchema,
      }),
    )
    .min(1),
});

/** One sub-account of an allocation. */
export interface AllocationAccount {
  readonly id: string;
  readonly model: MarginModel<unknown>;
  readonly params: unknown;
  /** coverage above IM, fraction (0.1 = IM·1.1 covered) */
  readonly buffer: number;
  readonly portfolio: Portfolio;
  /** the account's own market (a venue's marks and prices); default: the allocation's market */
  readonly ctx?: MarginContext;
  /** the least equity the account must keep besides (1 + buffer)·IM, USD (default 0) */
  readonly floorUsd?: number;
  /** haircut per asset at this account, fraction in [0, 1], over the model's own (1 = not accepted) */
  readonly haircuts?: Readonly<Record<string, number>>;
}

/** Parses an allocation file against a market. @throws ValidationError, InvalidInputError, RiskError */
export function parseAllocationFile(
  doc: unknown,
  market: MarginMarket,
): { accounts: AllocationAccount[]; transferCostUsd: number; maxTransfers?: number } {
  const f = parseWithSchema(AllocationFileSchema, doc, 'allocation file');
  const ids = new Set<string>();
  const accounts = f.subAccounts.map((s, i) => {
    requireInput(!ids.has(s.id), `subAccounts[${i}].id`, s.id, 'must be unique');
    ids.add(s.id);
    const model = getMarginModel(s.model);
    return {
      id: s.id,
      model,
      params: model.defaultParams,
      buffer: s.buffer ?? 0.1,
      portfolio: resolvePortfolioFile(s.portfolio, market),
    };
  });
  return {
    accounts,
    transferCostUsd: f.transferCostUsd ?? 0,
    ...(f.maxTransfers !== undefined ? { maxTransfers: f.maxTransfers } : {}),
  };
}

/** A transfer of the answer. */
export interface CollateralTransfer {
  readonly asset: string;
  readonly from: string;
  readonly to: string;
  /** asset units (rounded up to the asset's decimals) and USD */
  readonly amount: string;
  readonly valueUsd: number;
  /** the transfer's cost: the fixed cost per transfer plus the per-value charge, USD */
  readonly costUsd: number;
}

/** Per sub-account figures. */
export interface AllocationAccountResult {
  readonly id: string;
  readonly model: string;
  readonly buffer: number;
  /** with today's collateral */
  readonly before: { initialUsd: number; equityUsd: number; excessUsd: number };
  /** with the collateral posted after the transfers (the free part withdrawn) */
  readonly after: { initialUsd: number; equityUsd: number; coverage: number };
  /** max((1 + buffer)·IM, floor) recomputed by the model on the posted collateral, USD */
  readonly requiredUsd: number;
  /** per asset: posted and free, asset units */
  readonly posted: Readonly<Record<string, number>>;
  readonly free: Readonly<Record<string, number>>;
}

/** The allocation. */
export interface AllocationResult {
  readonly transfers: readonly CollateralTransfer[];
  readonly accounts: readonly AllocationAccountResult[];
  /** value left free across the sub-accounts, USD, and the transfer costs */
  readonly freeUsd: number;
  readonly transferCostUsd: number;
  /** today, without transfers: Σ max(0, equity − (1 + buffer)·IM) and Σ max(0, (1 + buffer)·IM − equity), USD */
  readonly freeTodayUsd: number;
  readonly shortfallTodayUsd: number;
  readonly solver: {
    name: string;
    kind: 'LP' | 'MILP';
    objectiveUsd: number;
    boundUsd: number;
    gapUsd: number;
    iterations: number;
  };
}

/** Models that revalue non-stable collateral in their scenarios (module header). */
const SCENARIO_MODELS: ReadonlySet<string> = new Set(['portfolio', 'deribit-pm', 'derive-pm2', 'es', 'var']);
const STABLE: ReadonlySet<string> = new Set(['USD', 'USDC', 'USDT', 'DAI']);

/** Whether a balance stays where it is: owed, or a non-stable asset under a scenario model. */
function pinned(v: AllocationAccount, asset: string, c: CollateralBalance): boolean {
  return c.units < 0n || (SCENARIO_MODELS.has(v.model.name) && !STABLE.has(asset));
}

/** IM haircut of an asset at an account: its own override, else its model's. */
function haircutAt(a: AllocationAccount, asset: string): number {
  const own = a.haircuts?.[asset];
  if (own !== undefined) return own;
  const hp = haircutsOf(a);
  return (hp.haircuts[asset] ?? hp.defaultHaircut).im;
}

function haircutsOf(a: AllocationAccount): HaircutParams {
  const p = a.params as Partial<HaircutParams>;
  return p.haircuts && p.defaultHaircut && p.liabilityWeight
    ? (p as HaircutParams)
    : DEFAULT_RATE_MODEL_PARAMS;
}

/**
 * Solves the allocation (module header).
 * @throws RiskError ERR_OPTIMISATION_INFEASIBLE when the collateral cannot cover every buffer;
 *         ERR_SOLVER; ERR_OPTIMISATION_UNVERIFIED when a model still finds a shortfall
 */
export function allocateCollateral(req: {
  accounts: readonly AllocationAccount[];
  market: MarginMarket;
  transferCostUsd: number;
  maxTransfers?: number;
  params: OptimiserParams;
  solver: LpSolver;
  ctx?: MarginContext;
  /** a charge proportional to the value moved from one account to another, fraction (default 0) */
  perValueCost?: (from: string, to: string) => number;
  /**
   * how free collateral is valued: at its price (default: what can be withdrawn), or at its
   * coverage value (1 − haircut)·price at the account (what it adds to the account's margin)
   */
  freeValue?: 'price' | 'coverage';
}): AllocationResult {
  const { accounts, market } = req;
  const shared = req.ctx ?? createMarginContext(market);
  const ctxOf = (v: AllocationAccount) => v.ctx ?? shared;
  const perValue = req.perValueCost ?? (() => 0);
  const freeValueOf = (v: AllocationAccount, a: string) =>
    req.freeValue === 'coverage' ? (1 - haircutAt(v, a)) * priceAt(v, a) : price(a);
  const assets = [...new Set(accounts.flatMap((a) => [...a.portfolio.collateral.keys()]))].sort();
  if (assets.length === 0)
    throw new RiskError(
      'ERR_OPTIMISATION_INFEASIBLE',
      'subAccounts: no sub-account holds collateral, so there is nothing to allocate',
      {
        field: 'subAccounts',
        rule: 'must hold collateral to allocate',
      },
    );
  const price = (a: string) => market.prices.get(a)!;
  /** the asset's price at the account (0: the account's market does not price it, so it cannot take it) */
  const priceAt = (v: AllocationAccount, a: string) => ctxOf(v).market.prices.get(a) ?? 0;
  const holding = (v: AllocationAccount, a: string) => {
    const c = v.portfolio.collateral.get(a);
    return c && !pinned(v, a, c)
      ? valuePortfolio({ positions: [], collateral: new Map([[a, c]]) }, ctxOf(v).market).collateral[0]!.qty
      : 0;
  };
  // Positions alone (and owed balances, which stay in place).
  const base = accounts.map((v) => {
    const owed = new Map<string, CollateralBalance>(
      [...v.portfolio.collateral].filter(([a, c]) => pinned(v, a, c)),
    );
    const pf: Portfolio = { positions: v.portfolio.positions, collateral: owed };
    const r = v.model.compute(pf, ctxOf(v), v.params);
    const today = v.model.compute(v.portfolio, ctxOf(v), v.params);
    return { r, today };
  });
  const extra = new Float64Array(accounts.length);
  const total = (a: string) => accounts.reduce((s, v) => s + Math.max(0, holding(v, a)), 0);
  for (let iteration = 1; ; iteration++) {
    const b = new LpBuilder();
    const y: number[][] = [];
    const f: number[][] = [];
    const t = new Map<string, number>();
    const z: number[] = [];
    const useBinary = req.transferCostUsd > 0 || req.maxTransfers !== undefined;
    assets.forEach((a, ai) => {
      y[ai] = [];
      f[ai] = [];
      accounts.forEach((v, vi) => {
        y[ai]![vi] = b.addCol(`post:${a}:${v.id}`, 0, priceAt(v, a) > 0 ? Infinity : 0);
        f[ai]![vi] = b.addCol(`free:${a}:${v.id}`, 0, Infinity, -freeValueOf(v, a));
      });
      for (const v of accounts)
        for (const w of accounts) {
          if (v === w || total(a) <= 0 || priceAt(w, a) <= 0) continue;
          const col = b.addCol(`move:${a}:${v.id}>${w.id}`, 0, total(a), perValue(v.id, w.id) * price(a));
          t.set(`${a}|${v.id}|${w.id}`, col);
          if (useBinary) {
            const zc = b.addCol(`use:${a}:${v.id}>${w.id}`, 0, 1, req.transferCostUsd, true);
            b.addRow(-Infinity, 0, [col, zc], [1, -total(a)]);
            z.push(zc);
          }
        }
      accounts.forEach((v, vi) => {
        const cols = [y[ai]![vi]!, f[ai]![vi]!];
        const coefs = [1, 1];
        for (const w of accounts) {
          if (w === v) continue;
          const inCol = t.get(`${a}|${w.id}|${v.id}`);
          const outCol = t.get(`${a}|${v.id}|${w.id}`);
          if (inCol !== undefined) {
            cols.push(inCol);
            coefs.push(-1);
          }
          if (outCol !== undefined) {
            cols.push(outCol);
            coefs.push(1);
          }
        }
        const hq = Math.max(0, holding(v, a));
        b.addRow(hq, hq, cols, coefs);
      });
    });
    if (req.maxTransfers !== undefined)
      b.addRow(
        -Infinity,
        req.maxTransfers,
        z,
        z.map(() => 1),
      );
    accounts.forEach((v, vi) => {
      const need =
        Math.max((1 + v.buffer) * base[vi]!.r.initialUsd, v.floorUsd ?? 0) +
        extra[vi]! -
        base[vi]!.r.equityUsd;
      const cols: number[] = [];
      const coefs: number[] = [];
      assets.forEach((a, ai) => {
        cols.push(y[ai]![vi]!);
        coefs.push((1 - haircutAt(v, a)) * priceAt(v, a));
      });
      b.addRow(need, Infinity, cols, coefs);
    });
    const problem = b.build();
    const sol = req.solver.solve(problem, {
      timeLimitSeconds: req.params.timeLimitSeconds,
      mipRelGap: req.params.mipRelGap,
    });
    if (sol.status === 'infeasible')
      throw new RiskError(
        'ERR_OPTIMISATION_INFEASIBLE',
        'subAccounts: the collateral held cannot cover (1 + buffer)·IM of every sub-account, with these transfer limits',
        { field: 'subAccounts', rule: 'collateral must cover every buffer' },
      );
    if (sol.status !== 'optimal')
      throw new XmarginError(
        'ERR_SOLVER',
        `solver ${req.solver.name} ended with status ${sol.status}; no result is reported`,
        { status: sol.status },
      );
    // Verify each sub-account on its posted collateral (rounded up to base units) alone.
    const results: AllocationAccountResult[] = [];
    let short = false;
    accounts.forEach((v, vi) => {
      const collateral = new Map<string, CollateralBalance>(
        [...v.portfolio.collateral].filter(([a, c]) => pinned(v, a, c)),
      );
      const posted: Record<string, number> = {};
      const free: Record<string, number> = {};
      assets.forEach((a, ai) => {
        const qy = sol.colValue[y[ai]![vi]!]!;
        const qf = sol.colValue[f[ai]![vi]!]!;
        if (qy > 1e-12) {
          const asset = ctxOf(v).market.assets.getAsset(a);
          collateral.set(a, {
            asset,
            units: (collateral.get(a)?.units ?? 0n) + requirementToUnits(qy, asset.decimals),
          });
          posted[a] = qy;
        }
        if (qf > 1e-12) free[a] = qf;
      });
      const r = v.model.compute({ positions: v.portfolio.positions, collateral }, ctxOf(v), v.params);
      const needUsd = Math.max((1 + v.buffer) * r.initialUsd, v.floorUsd ?? 0);
      const tol = Math.max(req.params.tolerance.abs, req.params.tolerance.rel * needUsd);
      if (r.equityUsd < needUsd - tol) {
        extra[vi] = extra[vi]! + (needUsd - r.equityUsd) + tol;
        short = true;
      }
      const today = base[vi]!.today;
      results.push({
        id: v.id,
        model: v.model.name,
        buffer: v.buffer,
        before: {
          initialUsd: today.initialUsd,
          equityUsd: today.equityUsd,
          excessUsd: today.equityUsd - today.initialUsd,
        },
        after: {
          initialUsd: r.initialUsd,
          equityUsd: r.equityUsd,
          coverage: r.initialUsd > 0 ? r.equityUsd / r.initialUsd : Infinity,
        },
        requiredUsd: needUsd,
        posted,
        free,
      });
    });
    if (short && iteration < req.params.maxIterations) continue;
    if (short)
      throw new RiskError(
        'ERR_OPTIMISATION_UNVERIFIED',
        `a sub-account's model still finds its posted collateral short of (1 + buffer)·IM after ${iteration} rounds; the allocation is refused`,
        { iterations: iteration },
      );
    const transfers: CollateralTransfer[] = [];
    for (const [k, col] of t) {
      const q = sol.colValue[col]!;
      if (!(q > 1e-9)) continue;
      const [asset, from, to] = k.split('|') as [string, string, string];
      const dec = market.assets.getAsset(asset).decimals;
      const valueUsd = q * price(asset);
      const units = requirementToUnits(q, dec);
      const s = units.toString().padStart(dec + 1, '0');
      transfers.push({
        asset,
        from,
        to,
        amount: dec > 0 ? `${s.slice(0, -dec)}.${s.slice(-dec)}`.replace(/\.?0+$/, '') : s,
        valueUsd,
        costUsd: (useBinary ? req.transferCostUsd : 0) + perValue(from, to) * valueUsd,
      });
    }
    const freeUsd = results.reduce(
      (s, r, vi) =>
        s + Object.entries(r.free).reduce((x, [a, q]) => x + q * freeValueOf(accounts[vi]!, a), 0),
      0,
    );
    const costUsd = transfers.reduce((s, x) => s + x.costUsd, 0);
    const bound = isMip(problem) ? sol.solverBound : lpDualBound(problem, sol.rowDual);
    return {
      transfers,
      accounts: results,
      freeUsd,
      transferCostUsd: costUsd,
      freeTodayUsd: accounts.reduce(
        (s, v, vi) =>
          s + Math.max(0, base[vi]!.today.equityUsd - (1 + v.buffer) * base[vi]!.today.initialUsd),
        0,
      ),
      shortfallTodayUsd: accounts.reduce(
        (s, v, vi) =>
          s + Math.max(0, (1 + v.buffer) * base[vi]!.today.initialUsd - base[vi]!.today.equityUsd),
        0,
      ),
      solver: {
        name: req.solver.name,
        kind: isMip(problem) ? 'MILP' : 'LP',
        objectiveUsd: -sol.objective,
        boundUsd: -bound,
        gapUsd: Math.max(0, sol.objective - bound),
        iterations: iteration,
      },
    };
  }
}
