/**
 * `xmargin optimise`: the trades that free the most margin (or reach a target IM at least cost,
 * or only close), solved by HiGHS and verified by the model itself; the book before and after
 * under every model side by side. docs/methodology/optimiser.md.
 */
import type { Command } from 'commander';
import { requireInput } from '../../core/errors.js';
import { compareModels } from '../../core/margin/efficiency.js';
import { MARGIN_MODELS } from '../../core/margin/registry.js';
import {
  DEFAULT_OPTIMISER_PARAMS,
  defaultCandidates,
  optimiseTrades,
  parseCandidateFile,
  parseOptimiserParams,
  type ExposureBands,
  type OptimiseGoal,
  type OptimiseResult,
} from '../../core/optimise/index.js';
import { createHighsSolver } from '../solver/highs-solver.js';
import type { CliIo } from './run-cli.js';
import { formatNumber, formatTable } from './format-table.js';
import { loadInputs, modelWithParams } from './margin-commands.js';
import { readJsonFile } from './read-json-file.js';

/** Options of the command, as commander gives them. */
interface OptimiseOptions {
  portfolio: string;
  market: string;
  model: string;
  goal: string;
  targetIm?: string;
  candidates?: string;
  budgetUsd?: string;
  maxTrades?: string;
  keepDelta?: string;
  keepVegaUsd?: string;
  params?: string;
  optimiserParams?: string;
  json?: boolean;
}

/** A number option: finite, parsed from its text. @throws InvalidInputError naming the flag */
export function numberFlag(
  flag: string,
  text: string,
  rule: (x: number) => boolean,
  ruleText: string,
): number {
  const x = Number(text);
  requireInput(text.trim() !== '' && Number.isFinite(x) && rule(x), flag, text, ruleText);
  return x;
}

/** `--keep-delta 0.5` (every underlying) or `--keep-delta BTC=0.5,ETH=10`. */
export function parseDeltaBand(text: string): NonNullable<ExposureBands['delta']> {
  if (!text.includes('='))
    return numberFlag('--keep-delta', text, (x) => x >= 0, 'must be a number >= 0 or U=BAND,...');
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [u, v] = part.split('=');
    requireInput(
      u !== undefined && u.trim() !== '' && v !== undefined,
      '--keep-delta',
      text,
      'must be a number >= 0 or U=BAND,...',
    );
    out[u.trim()] = numberFlag('--keep-delta', v, (x) => x >= 0, `must give ${u.trim()} a band >= 0`);
  }
  return out;
}

/** Runs the optimiser for the CLI; also used by tests. */
export async function runOptimise(opts: Omit<OptimiseOptions, 'json'>) {
  const goals: OptimiseGoal[] = ['release', 'target', 'close-only'];
  requireInput(
    goals.includes(opts.goal as OptimiseGoal),
    '--goal',
    opts.goal,
    `must be one of ${goals.join(', ')}`,
  );
  const goal = opts.goal as OptimiseGoal;
  requireInput(
    goal !== 'target' || opts.targetIm !== undefined,
    '--target-im',
    opts.targetIm,
    'is required with --goal target',
  );
  const targetImUsd =
    opts.targetIm === undefined
      ? undefined
      : numberFlag('--target-im', opts.targetIm, (x) => x >= 0, 'must be a number >= 0 (USD)');
  const budgetUsd =
    opts.budgetUsd === undefined
      ? undefined
      : numberFlag('--budget-usd', opts.budgetUsd, (x) => x > 0, 'must be a number > 0 (USD)');
  const maxTrades =
    opts.maxTrades === undefined
      ? undefined
      : numberFlag(
          '--max-trades',
          opts.maxTrades,
          (x) => Number.isInteger(x) && x >= 1,
          'must be an integer >= 1',
        );
  const keepVegaUsd =
    opts.keepVegaUsd === undefined
      ? undefined
      : numberFlag(
          '--keep-vega-usd',
          opts.keepVegaUsd,
          (x) => x >= 0,
          'must be a number >= 0 (USD per vol point)',
        );
  const bands: ExposureBands = {
    ...(opts.keepDelta !== undefined ? { delta: parseDeltaBand(opts.keepDelta) } : {}),
    ...(keepVegaUsd !== undefined ? { vegaUsd: keepVegaUsd } : {}),
  };
  const { model, params: modelParams } = modelWithParams(opts.model, opts.params);
  const params =
    opts.optimiserParams === undefined
      ? DEFAULT_OPTIMISER_PARAMS
      : parseOptimiserParams(readJsonFile(opts.optimiserParams, '--optimiser-params'));
  const inputs = loadInputs(
    opts.market,
    opts.portfolio,
    MARGIN_MODELS.map((m) => m.name),
  );
  const market = inputs.ctx.market;
  const candidates =
    opts.candidates === undefined
      ? defaultCandidates(market, params)
      : parseCandidateFile(readJsonFile(opts.candidates, '--candidates'), market, params);
  const solver = await createHighsSolver();
  const t0 = performance.now();
  const result = optimiseTrades({
    portfolio: inputs.portfolio,
    ctx: inputs.ctx,
    model,
    modelParams,
    goal,
    ...(targetImUsd !== undefined ? { targetImUsd } : {}),
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(maxTrades !== undefined ? { maxTrades } : {}),
    bands,
    candidates,
    params,
    solver,
  });
  const solveMs = performance.now() - t0;
  const all = MARGIN_MODELS.map((m) => modelWithParams(m.name));
  const sideBefore = compareModels(inputs.portfolio, inputs.ctx, all);
  const sideAfter = compareModels(result.portfolioAfter, inputs.ctx, all);
  const sideBySide = all.map(({ model: m }) => {
    const b = sideBefore.rows.find((r) => r.model === m.name);
    const a = sideAfter.rows.find((r) => r.model === m.name);
    const err =
      sideBefore.errors.find((e) => e.model === m.name) ?? sideAfter.errors.find((e) => e.model === m.name);
    return {
      model: m.name,
      before: b ? { initialUsd: b.initialUsd, maintenanceUsd: b.maintenanceUsd } : null,
      after: a ? { initialUsd: a.initialUsd, maintenanceUsd: a.maintenanceUsd } : null,
      ...(err ? { error: { code: err.code, message: err.message } } : {}),
    };
  });
  return { result, sideBySide, solveMs };
}

/** The JSON document of `optimise --json`. */
export function optimiseJson(out: Awaited<ReturnType<typeof runOptimise>>) {
  const { resultBefore: _b, resultAfter: _a, portfolioAfter: _p, ...rest } = out.result;
  return { ...rest, sideBySide: out.sideBySide, solveMs: out.solveMs };
}

const usd = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Text report. */
export function formatOptimise(out: Awaited<ReturnType<typeof runOptimise>>): string {
  const r: OptimiseResult = out.result;
  const lines = [
    `optimise (${r.goal}) under ${r.model}: ${r.status}, ${r.trades.length} trade(s) from ${r.candidates} candidates`,
  ];
  if (r.trades.length > 0)
    lines.push(
      '',
      formatTable(
        ['trade', 'size (contracts)', 'cost', 'of which fee', 'premium', 'delta change'],
        r.trades.map((t) => [
          t.instrument,
          `${t.size > 0 ? '+' : ''}${formatNumber(t.size, 6)}`,
          usd(t.costUsd),
          usd(t.feeUsd),
          usd(t.premiumUsd),
          formatNumber(t.deltaChange, 4),
        ]),
      ),
    );
  lines.push(
    '',
    formatTable(
      ['', 'before', 'after'],
      [
        ['initial margin', usd(r.before.initialUsd), usd(r.after.initialUsd)],
        ['maintenance', usd(r.before.maintenanceUsd), usd(r.after.maintenanceUsd)],
        ['equity (after costs)', usd(r.before.equityUsd), usd(r.after.equityUsd)],
        ['excess', usd(r.before.excessUsd), usd(r.after.excessUsd)],
      ],
    ),
    '',
    `capital freed ${usd(r.capitalFreedUsd)} USD (${r.capitalFreedPct === null ? '-' : `${(100 * r.capitalFreedPct).toFixed(1)}% of IM`}) for an execution cost of ${usd(r.costUsd)} USD (LP charged ${usd(r.lpCostUsd)})`,
    `solver ${r.solver.name}: ${r.solver.kind}, objective ${usd(r.solver.objectiveUsd)}, bound ${usd(r.solver.boundUsd)}, gap ${formatNumber(r.solver.gapUsd, 3)} USD (${formatNumber(100 * r.solver.gapRel, 3)}%), ${r.solver.iterations} solve(s), ${r.solver.columns} columns x ${r.solver.rows} rows, ${out.solveMs.toFixed(0)} ms${r.solver.timeLimited ? '; TIME LIMIT: the best answer found, not proven optimal' : ''}`,
    `verified: ${r.model}'s own IM ${usd(r.verification.verifiedImUsd)} vs solver ${usd(r.verification.solverImUsd)} (difference ${formatNumber(r.verification.differenceUsd, 3)}, tolerance ${formatNumber(r.verification.toleranceUsd, 3)}; ${r.verification.exactness} LP form)`,
    '',
    'every model, before and after (IM / MM, USD):',
    formatTable(
      ['model', 'IM before', 'IM after', 'MM before', 'MM after'],
      out.sideBySide.map((s) =>
        s.before && s.after
          ? [
              s.model,
              usd(s.before.initialUsd),
              usd(s.after.initialUsd),
              usd(s.before.maintenanceUsd),
              usd(s.after.maintenanceUsd),
            ]
          : [s.model, 'n/a', 'n/a', s.error?.code ?? '', ''],
      ),
    ),
  );
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/** Registers `optimise`. */
export function registerOptimiseCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  program
    .command('optimise')
    .description(
      'The trades that free the most margin at the least cost, solved exactly (HiGHS) and verified by the model',
    )
    .requiredOption('--portfolio <file>', 'portfolio file (docs/formats.md)')
    .requiredOption('--market <file>', 'market file (docs/formats.md)')
    .option(
      '--model <name>',
      'margin model: isolated, cross, portfolio, deribit-pm, es, var, dydx',
      'portfolio',
    )
    .option('--goal <goal>', 'release | target | close-only', 'release')
    .option('--target-im <usd>', 'with --goal target: the IM to reach, USD')
    .option(
      '--candidates <file>',
      'candidate file (docs/formats.md#candidates); default: every listed perpetual, future and option',
    )
    .option('--budget-usd <usd>', 'largest total execution cost, USD')
    .option('--max-trades <k>', 'largest number of instruments traded (solved as a MILP)')
    .option('--keep-delta <band>', "largest change of each underlying's delta (units), or U=BAND,...")
    .option('--keep-vega-usd <usd>', "largest change of the book's vega, USD per vol point")
    .option('--params <file>', 'model parameters')
    .option(
      '--optimiser-params <file>',
      'optimiser parameters (costs, lots, limits; docs/methodology/optimiser.md)',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: OptimiseOptions) => {
      setJson(opts.json === true);
      const out = await runOptimise(opts);
      io.out(opts.json === true ? JSON.stringify(optimiseJson(out)) : formatOptimise(out));
    });
}
