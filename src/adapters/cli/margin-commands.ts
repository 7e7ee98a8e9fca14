/**
 * `xmargin margin | compare | whatif | models`: margin models over a market file and a portfolio
 * file (docs/formats.md). Text tables by default, JSON with --json.
 */
import { z } from 'zod';
import { parseWithSchema } from '../../core/params/parse.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';
import { parsePortfolio } from '../../core/portfolio/portfolio-file.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { DEFAULT_PLAUSIBILITY, type PlausibilityBounds } from '../../core/portfolio/plausibility.js';
import {
  createMarginContext,
  type MarginContext,
  type MarginModel,
  type MarginResult,
} from '../../core/margin/margin-model.js';
import { getMarginModel, MARGIN_MODELS, STATISTICAL_MODELS } from '../../core/margin/registry.js';
import { loadMarketHistory } from '../marketdata/history/load-market-history.js';
import { buyingPower, compareModels, type ModelComparison } from '../../core/margin/efficiency.js';
import {
  computePortfolioGreeks,
  exposedUnderlyings,
  findLiquidationPrices,
  judgeWhatIf,
  type LiquidationReport,
  type PortfolioGreeks,
  type VerdictRules,
  type WhatIfVerdict,
} from '../../core/analytics/index.js';
import { toAccountRisk, type HealthStatus } from '../../core/margin/account-risk.js';
import { readJsonFile } from './read-json-file.js';
import { formatTable } from './format-table.js';
import { formatGreeks, formatLiquidation, healthText, usd } from './trader-view-text.js';

/** Common inputs of the margin commands. */
export interface MarginInputs {
  readonly portfolio: Portfolio;
  readonly ctx: MarginContext;
  /** what was left out of the inputs (expired instruments), for stderr */
  readonly warnings: readonly string[];
  /** the plausibility bounds the inputs were read with */
  readonly bounds: PlausibilityBounds;
}

/**
 * Reads and resolves --market and --portfolio; loads the shipped price history when one of
 * `models` is statistical (es, var), or, with `forVols`, when an underlying of the portfolio has
 * no listed option to take its daily vol from (analytics/daily-vol.ts).
 */
export function loadInputs(
  marketPath: string,
  portfolioPath: string,
  models: readonly string[],
  opts: { forVols?: boolean; bounds?: PlausibilityBounds } = {},
): MarginInputs {
  const bounds = opts.bounds ?? DEFAULT_PLAUSIBILITY;
  const market = buildMarginMarket(readJsonFile(marketPath, '--market'), { bounds });
  const portfolio = parsePortfolio(readJsonFile(portfolioPath, '--portfolio'), market, { bounds });
  const warnings = [...(market.expired ?? [])].map(
    ([id, ms]) =>
      `--market: instrument ${id} expired at ${new Date(ms).toISOString()} (valuation ${new Date(market.valuationMs).toISOString()}): left out`,
  );
  const optionUnderlyings = new Set(
    [...market.instruments.values()]
      .filter((m) => m.instrument.kind === 'option')
      .map((m) => m.instrument.underlying),
  );
  const stable = new Set(['USD', 'USDC', 'USDT', 'DAI', market.quoteCurrency]);
  const needsHistory =
    models.some((m) => STATISTICAL_MODELS.has(m)) ||
    (opts.forVols === true &&
      exposedUnderlyings(portfolio, market).some((u) => !stable.has(u) && !optionUnderlyings.has(u)));
  return {
    portfolio,
    ctx: createMarginContext(market, needsHistory ? loadMarketHistory(market) : undefined),
    warnings,
    bounds,
  };
}

/** A model and its params (defaults, or --params FILE merged over them). */
export function modelWithParams(
  name: string,
  paramsPath?: string,
): { model: MarginModel<unknown>; params: unknown } {
  const model = getMarginModel(name);
  return {
    model,
    params:
      paramsPath === undefined
        ? model.defaultParams
        : model.parseParams(readJsonFile(paramsPath, '--params')),
  };
}

/** Text report of one model's result. */
export function formatMarginResult(r: MarginResult, view?: TraderView): string {
  const lines = [
    `model ${r.model} (params ${r.paramsVersion})`,
    `market ${r.snapshotId} at ${new Date(r.valuationMs).toISOString()}`,
    `equity ${usd(r.equityUsd)}   initial margin ${usd(r.initialUsd)}   maintenance ${usd(r.maintenanceUsd)}   (USD)`,
    `excess ${usd(r.equityUsd - r.initialUsd)} USD` +
      (view ? `   health ${healthText(view)} = equity / maintenance` : ''),
  ];
  if (r.worstScenario)
    lines.push(
      `worst scenario: ${r.worstScenario.label} (${r.worstScenario.id}), P&L ${usd(r.worstScenario.pnlUsd)}`,
    );
  for (const c of r.components) {
    const ends = c.detail?.drivingScenarioEnds;
    if (Array.isArray(ends) && ends.length > 0)
      lines.push(`${c.name}: driven by the windows ending ${ends.join(', ')}`);
  }
  lines.push(
    '',
    formatTable(
      ['component', 'initial', 'maintenance'],
      r.components.map((c) => [c.name, usd(c.initialUsd), usd(c.maintenanceUsd)]),
    ),
  );
  lines.push(
    '',
    formatTable(
      ['contribution', 'initial', 'share'],
      [...r.contributions]
        .sort((a, b) => Math.abs(b.initialUsd) - Math.abs(a.initialUsd))
        .map((c) => [
          c.key,
          usd(c.initialUsd),
          r.initialUsd > 0 ? `${((100 * c.initialUsd) / r.initialUsd).toFixed(1)}%` : '-',
        ]),
    ),
  );
  if (view) lines.push('', formatLiquidation(view.liquidation), '', formatGreeks(view.greeks));
  return lines.join('\n');
}

/** The trader's view of the account under the model: health, liquidation prices, greeks. */
export interface TraderView {
  readonly health: number | null;
  readonly status: HealthStatus;
  readonly liquidation: LiquidationReport;
  readonly greeks: PortfolioGreeks;
}

/** Liquidation prices and greeks of the --portfolio under the model (the account's own view). */
export function runTraderView(inputs: MarginInputs, model: string, paramsPath?: string): TraderView {
  const { model: m, params } = modelWithParams(model, paramsPath);
  const liquidation = findLiquidationPrices(inputs.portfolio, inputs.ctx, m, params);
  const risk = toAccountRisk(liquidation.equityUsd, liquidation.initialUsd, liquidation.maintenanceUsd);
  return {
    health: risk.health,
    status: risk.status,
    liquidation,
    greeks: computePortfolioGreeks(inputs.portfolio, inputs.ctx.market),
  };
}

/** `margin` output. */
export function runMargin(inputs: MarginInputs, model: string, paramsPath?: string): MarginResult {
  const { model: m, params } = modelWithParams(model, paramsPath);
  return m.compute(inputs.portfolio, inputs.ctx, params);
}

/** `compare` output: every model (defaults) side by side, optional buying power. */
export function runCompare(inputs: MarginInputs, opts: { instrument?: string; models?: readonly string[] }) {
  const models = (opts.models ?? MARGIN_MODELS.map((m) => m.name)).map((n) => modelWithParams(n));
  const { rows, errors } = compareModels(inputs.portfolio, inputs.ctx, models);
  const power =
    opts.instrument === undefined
      ? undefined
      : rows.map((r) => {
          const m = models.find((x) => x.model.name === r.model)!;
          return {
            model: r.model,
            buy: buyingPower(inputs.portfolio, opts.instrument!, 'buy', inputs.ctx, m.model, m.params),
            sell: buyingPower(inputs.portfolio, opts.instrument!, 'sell', inputs.ctx, m.model, m.params),
          };
        });
  return { rows, errors, instrument: opts.instrument, buyingPower: power };
}

/** Text of `compare`. */
export function formatCompare(out: ReturnType<typeof runCompare>): string {
  const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
  const lines = [
    formatTable(
      [
        'model',
        'initial',
        'maintenance',
        'equity',
        'excess (idle)',
        'released vs isolated',
        '%',
        'worst scenario',
      ],
      out.rows.map((r: ModelComparison) => [
        r.model,
        usd(r.initialUsd),
        usd(r.maintenanceUsd),
        usd(r.equityUsd),
        usd(r.excessUsd),
        r.releasedVsIsolatedUsd === undefined ? '-' : usd(r.releasedVsIsolatedUsd),
        pct(r.releasedVsIsolatedPct),
        r.result.worstScenario?.id ?? '',
      ]),
    ),
  ];
  for (const e of out.errors) lines.push(`${e.model}: not applicable (${e.code}: ${e.message})`);
  if (out.buyingPower) {
    lines.push(
      '',
      `buying power in ${out.instrument} (contracts that fit before initial margin exceeds equity):`,
    );
    lines.push(
      formatTable(
        ['model', 'buy', 'sell'],
        out.buyingPower.map((b) => [b.model, b.buy.toFixed(4), b.sell.toFixed(4)]),
      ),
    );
  }
  lines.push(
    '',
    'released vs isolated = excess(model) − excess(isolated); excess = equity − initial margin (USD).',
  );
  return lines.join('\n');
}

const TradesSchema = z.strictObject({
  trades: z.array(z.strictObject({ instrument: z.string().min(1), size: z.number() })).min(1),
});

/** `whatif` output: the verdict under the model (analytics/whatif-verdict.ts). */
export function runWhatIf(
  inputs: MarginInputs,
  tradesPath: string,
  model: string,
  paramsPath?: string,
  rules: VerdictRules = {},
): WhatIfVerdict {
  const trades = parseWithSchema(TradesSchema, readJsonFile(tradesPath, '--trades'), 'trades file').trades;
  const { model: m, params } = modelWithParams(model, paramsPath);
  return judgeWhatIf(inputs.portfolio, trades, inputs.ctx, m, params, { bounds: inputs.bounds, ...rules });
}

/** `models` listing. */
export function formatModels(): string {
  return formatTable(
    ['model', 'description', 'source'],
    MARGIN_MODELS.map((m) => [m.name, m.description, m.source]),
  );
}
