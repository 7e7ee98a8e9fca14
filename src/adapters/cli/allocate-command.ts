/**
 * `xmargin allocate`: collateral transfers across a user's sub-accounts that leave the most value
 * free while every sub-account keeps (1 + buffer)·IM covered under its own model, solved by
 * HiGHS and verified per sub-account (docs/methodology/optimiser.md#allocation).
 */
import type { Command } from 'commander';
import {
  DEFAULT_OPTIMISER_PARAMS,
  allocateCollateral,
  parseAllocationFile,
  type AllocationResult,
} from '../../core/optimise/index.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { STATISTICAL_MODELS } from '../../core/margin/registry.js';
import { loadMarketHistory } from '../marketdata/history/load-market-history.js';
import { createHighsSolver } from '../solver/highs-solver.js';
import type { CliIo } from './run-cli.js';
import { formatNumber, formatTable } from './format-table.js';
import { numberFlag } from './optimise-command.js';
import { readJsonFile } from './read-json-file.js';

/** Runs the allocation for the CLI (and tests). */
export async function runAllocate(opts: {
  accounts: string;
  market: string;
  transferCostUsd?: string;
  maxTransfers?: string;
}): Promise<AllocationResult> {
  const market = buildMarginMarket(readJsonFile(opts.market, '--market'));
  const file = parseAllocationFile(readJsonFile(opts.accounts, '--accounts'), market);
  const needsHistory = file.accounts.some((a) => STATISTICAL_MODELS.has(a.model.name));
  const ctx = createMarginContext(market, needsHistory ? loadMarketHistory(market) : undefined);
  const transferCostUsd =
    opts.transferCostUsd === undefined
      ? file.transferCostUsd
      : numberFlag('--transfer-cost-usd', opts.transferCostUsd, (x) => x >= 0, 'must be a number >= 0 (USD)');
  const maxTransfers =
    opts.maxTransfers === undefined
      ? file.maxTransfers
      : numberFlag(
          '--max-transfers',
          opts.maxTransfers,
          (x) => Number.isInteger(x) && x >= 0,
          'must be an integer >= 0',
        );
  return allocateCollateral({
    accounts: file.accounts,
    market,
    ctx,
    transferCostUsd,
    ...(maxTransfers !== undefined ? { maxTransfers } : {}),
    params: DEFAULT_OPTIMISER_PARAMS,
    solver: await createHighsSolver(),
  });
}

const usd = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Text report. */
export function formatAllocate(r: AllocationResult): string {
  const lines = [
    r.transfers.length === 0
      ? 'no transfer needed'
      : formatTable(
          ['asset', 'from', 'to', 'amount', 'value (USD)'],
          r.transfers.map((t) => [t.asset, t.from, t.to, t.amount, usd(t.valueUsd)]),
        ),
    '',
    formatTable(
      ['sub-account', 'model', 'IM', 'equity today', 'equity posted', 'coverage', 'posted', 'free'],
      r.accounts.map((a) => [
        a.id,
        a.model,
        usd(a.after.initialUsd),
        usd(a.before.equityUsd),
        usd(a.after.equityUsd),
        Number.isFinite(a.after.coverage) ? `${formatNumber(a.after.coverage, 4)}x` : '-',
        Object.entries(a.posted)
          .map(([k, q]) => `${formatNumber(q, 6)} ${k}`)
          .join(', ') || '-',
        Object.entries(a.free)
          .map(([k, q]) => `${formatNumber(q, 6)} ${k}`)
          .join(', ') || '-',
      ]),
    ),
    '',
    `free after: ${usd(r.freeUsd)} USD (today: ${usd(r.freeTodayUsd)} above the buffers, ${usd(r.shortfallTodayUsd)} short of them), transfer costs ${usd(r.transferCostUsd)} USD`,
    `solver ${r.solver.name}: ${r.solver.kind}, objective ${usd(r.solver.objectiveUsd)}, bound ${usd(r.solver.boundUsd)}, gap ${formatNumber(r.solver.gapUsd, 3)} USD, ${r.solver.iterations} round(s); every sub-account verified by its model on the posted collateral alone`,
  ];
  return lines.join('\n');
}

/** Registers `allocate`. */
export function registerAllocateCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  program
    .command('allocate')
    .description(
      'Collateral transfers across sub-accounts that free the most value while every buffer above IM holds',
    )
    .requiredOption(
      '--accounts <file>',
      'allocation file: sub-accounts with model, buffer and portfolio (docs/formats.md#allocation)',
    )
    .requiredOption('--market <file>', 'market file')
    .option('--transfer-cost-usd <usd>', 'fixed cost per transfer, USD (overrides the file)')
    .option('--max-transfers <k>', 'largest number of transfers (overrides the file)')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        accounts: string;
        market: string;
        transferCostUsd?: string;
        maxTransfers?: string;
        json?: boolean;
      }) => {
        setJson(opts.json === true);
        const r = await runAllocate(opts);
        io.out(opts.json === true ? JSON.stringify(r) : formatAllocate(r));
      },
    );
}
