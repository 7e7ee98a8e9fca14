/**
 * `xmargin crossvenue --accounts DIR [--as-of TIME] [--json]`: every venue's own IM/MM (its preset,
 * compared with the venue's own figures), free collateral and health, then the combined view:
 * netting groups, the sum of the venues' requirements, the combined requirement (risk + transfer
 * move + venue default), the difference, what can be released now and the collateral moves that
 * release it: the optimiser's least-cost allocation solved by HiGHS with its gap and each venue
 * recomputed after the moves, or the greedy plan, labelled, when the solver fails
 * (docs/methodology/cross-venue.md).
 */
import type { Command } from 'commander';
import { computeCrossVenue, type CrossVenueResult } from '../../core/crossvenue/compute-cross-venue.js';
import { toCrossVenueInput } from '../importers/combine-accounts.js';
import { loadAccountsDir } from '../importers/load-accounts-dir.js';
import type { ImportedAccount } from '../importers/index.js';
import { parseAsOf } from './import-command.js';
import { formatCrossVenueReplay, runCrossVenueReplay } from './crossvenue-replay.js';
import type { CrossVenueReplayResult } from '../../engine/crossvenue/index.js';
import { formatNumber, formatTable } from './format-table.js';
import type { CliIo } from './run-cli.js';
import { createHighsSolver } from '../solver/highs-solver.js';

/** The combined view of an accounts directory, with the imports behind it. */
export interface CrossVenueReport {
  readonly result: CrossVenueResult;
  readonly accounts: readonly ImportedAccount[];
  /** the crash replays across venues, when asked (`--replay`) */
  readonly replays?: readonly CrossVenueReplayResult[];
}

/** Loads the directory and computes the combined view (and, when asked, the crash replays). */
export async function runCrossVenue(dir: string, asOf?: string, replay?: string): Promise<CrossVenueReport> {
  const loaded = loadAccountsDir(dir, parseAsOf(asOf));
  const input = toCrossVenueInput(loaded.accounts, loaded.params);
  return {
    result: computeCrossVenue(input, await createHighsSolver()),
    accounts: loaded.accounts,
    ...(replay === undefined ? {} : { replays: runCrossVenueReplay(input, loaded.params, replay) }),
  };
}

const usd = (x: number) => formatNumber(Math.round(x * 100) / 100, 9);
const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(2)}%`);

/** The collateral moves: the plan shown, its cost, the solver's gap and each venue after the moves. */
function formatAllocation(r: CrossVenueResult): string[] {
  const a = r.allocation;
  const p = a.params;
  const out = [
    a.method === 'optimiser'
      ? `Collateral moves: the optimiser's least-cost allocation (${a.solver!.name}, ${a.solver!.kind}; objective ${usd(a.solver!.objectiveUsd)}, bound ${usd(a.solver!.boundUsd)}, gap ${formatNumber(a.solver!.gapUsd, 3)} USD)`
      : `Collateral moves: GREEDY FALLBACK, not optimised (${a.fallbackReason})`,
    `  costs: ${usd(p.transferCostUsd)} USD per transfer + ${formatNumber(p.latencyChargePerHour * 1e4, 3)} bp of the value per hour in transit; transfers at most ${p.maxTransfers ?? 'unlimited'}; buffer ${pct(p.buffer)}`,
  ];
  out.push(
    a.plan.moves.length === 0
      ? '  no move needed: every venue covers its target'
      : formatTable(
          ['asset', 'from', 'to', 'amount', 'USD', 'hours', 'cost'],
          a.plan.moves.map((m) => [
            m.asset,
            m.from,
            m.to,
            formatNumber(m.qty, 9),
            usd(m.usd),
            String(m.hours),
            usd(m.costUsd),
          ]),
        ),
  );
  out.push(
    '',
    'After the moves, each venue recomputed by its preset',
    formatTable(
      ['venue', 'IM', 'equity', 'required', 'margin', 'covered'],
      a.plan.venues.map((v) => [
        v.venue,
        usd(v.initialUsd),
        usd(v.equityUsd),
        usd(v.requiredUsd),
        usd(v.marginUsd),
        v.covered ? 'yes' : 'NO',
      ]),
    ),
    `freed ${usd(a.plan.freedUsd)} at a cost of ${usd(a.plan.costUsd)} in ${a.plan.moves.length} transfer(s)` +
      (a.method === 'optimiser'
        ? `; the greedy plan: freed ${usd(a.greedy.freedUsd)} at ${usd(a.greedy.costUsd)} in ${a.greedy.moves.length} transfer(s)${a.greedy.allCovered ? '' : ', leaving a venue short'}`
        : ''),
  );
  return out;
}

/** The report as text. */
export function formatCrossVenue({ result: r, accounts, replays }: CrossVenueReport): string {
  const out: string[] = [];
  out.push("Each venue, by its own rule (the venue's figures where its payload gives them)");
  out.push(
    formatTable(
      ['venue', 'preset', 'IM', 'MM', 'equity', 'free', 'health', 'venue IM', 'venue MM', 'IM err', 'MM err'],
      r.venues.map((v) => [
        v.venue,
        v.model,
        usd(v.own.initialUsd),
        usd(v.own.maintenanceUsd),
        usd(v.own.equityUsd),
        usd(v.freeCollateralUsd),
        v.health === null ? '-' : v.health.toFixed(2),
        v.reported?.initialUsd === undefined ? '-' : usd(v.reported.initialUsd),
        v.reported?.maintenanceUsd === undefined ? '-' : usd(v.reported.maintenanceUsd),
        pct(v.reproduction?.initialRelError ?? null),
        pct(v.reproduction?.maintenanceRelError ?? null),
      ]),
    ),
  );
  out.push('', `Combined, margined by xmargin's ${r.model} model`);
  out.push(
    formatTable(
      ['venues', 'cap', 'venues IM', 'netted', 'requirement'],
      r.groups.map((g) => [
        g.venues.join('+'),
        g.cap === null ? '-' : pct(g.cap),
        usd(g.standaloneSumUsd),
        usd(g.nettedUsd),
        `${usd(g.requirementUsd)}${g.capped ? ' (capped)' : ''}`,
      ]),
    ),
  );
  out.push(
    '',
    formatTable(
      [
        'venue',
        'xmargin alone',
        'share',
        'MM + transit',
        'holding',
        'default charge',
        'target',
        'surplus',
        'releasable',
      ],
      r.venues.map((v) => [
        v.venue,
        usd(v.standaloneUsd),
        usd(v.shareUsd),
        usd(v.own.maintenanceUsd + v.transitUsd),
        usd(v.holdingUsd),
        usd(v.defaultChargeUsd),
        usd(v.targetUsd),
        usd(v.surplusUsd),
        usd(v.releasableUsd),
      ]),
    ),
  );
  out.push(
    '',
    `sum of the venues' requirements   ${usd(r.sumOfVenuesUsd)}`,
    `combined requirement              ${usd(r.combinedUsd)}  (risk ${usd(r.components.riskUsd)} + transit ${usd(r.components.transitUsd)} + venue default ${usd(r.components.defaultUsd)})`,
    `difference                        ${usd(r.differenceUsd)}`,
    `whole book, xmargin's model       ${usd(r.wholeBookUsd)}  (every offset recognised, for information)`,
    `equity across venues              ${usd(r.equityUsd)}`,
    `required now (venues' rules)      ${usd(r.requiredNowUsd)}`,
    `releasable now                    ${usd(r.releasableNowUsd)}`,
  );
  out.push('', ...formatAllocation(r));
  for (const a of accounts) for (const n of a.notes) out.push(`note (${a.venue}): ${n}`);
  if (replays !== undefined) {
    out.push(
      '',
      'Crash replays: each venue liquidating its part by its own rule, against one combined account',
    );
    out.push(formatCrossVenueReplay(replays));
  }
  return out.join('\n');
}

/** Registers `crossvenue`. */
export function registerCrossVenueCommand(
  program: Command,
  io: CliIo,
  setJson: (json: boolean) => void,
): void {
  program
    .command('crossvenue')
    .description(
      "Each venue's own margin, the combined requirement across venues, and the moves that release the difference",
    )
    .requiredOption(
      '--accounts <dir>',
      'one sub-directory of payloads per venue, and an optional crossvenue.json',
    )
    .option('--as-of <time>', 'valuation time (UTC) for payloads that carry none (overrides crossvenue.json)')
    .option('--replay [crashes]', 'replay the book through the shipped crashes (all, or comma-separated ids)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { accounts: string; asOf?: string; replay?: string | boolean; json?: boolean }) => {
      setJson(opts.json === true);
      const replay =
        opts.replay === undefined ? undefined : opts.replay === true ? 'all' : String(opts.replay);
      const report = await runCrossVenue(opts.accounts, opts.asOf, replay);
      io.out(
        opts.json
          ? JSON.stringify({
              ...report.result,
              imports: report.accounts.map((a) => ({
                venue: a.venue,
                importer: a.importer,
                preset: a.preset.model,
                notes: a.notes,
              })),
              ...(report.replays === undefined ? {} : { replays: report.replays }),
            })
          : formatCrossVenue(report),
      );
    });
}
