/**
 * `xmargin crossvenue --accounts DIR --replay [ids]`: the accounts directory's book through the
 * shipped crashes (engine/backtest/crash-replays.ts windows), each venue liquidating its part by
 * its own preset in its own engine venue, against the whole book as one combined sub-account
 * (engine/crossvenue/replay-across-venues.ts). Loads the hourly history of the book's assets that
 * the shipped data has (data/history); other assets keep their price through the crash.
 */
import { InvalidInputError } from '../../core/errors.js';
import type { CrossVenueInput } from '../../core/crossvenue/compute-cross-venue.js';
import type { CrossVenueParams } from '../../core/crossvenue/cross-venue-params.js';
import { CRASH_WINDOWS } from '../../engine/backtest/crash-replays.js';
import { replayAcrossVenues, type CrossVenueReplayResult } from '../../engine/crossvenue/index.js';
import { readHistoryManifest } from '../marketdata/history/history-manifest.js';
import { loadHourlyHistory } from '../marketdata/history/load-history.js';
import { formatNumber, formatTable } from './format-table.js';

const HOUR_MS = 3_600_000;

/**
 * Replays the book through the named crashes (all when `ids` is 'all').
 * @throws InvalidInputError naming `--replay` for an unknown crash id
 */
export function runCrossVenueReplay(
  input: CrossVenueInput,
  params: CrossVenueParams,
  ids: string,
): CrossVenueReplayResult[] {
  const windows =
    ids === 'all' || ids === ''
      ? CRASH_WINDOWS
      : ids.split(',').map((id) => {
          const w = CRASH_WINDOWS.find((c) => c.id === id.trim());
          if (!w)
            throw new InvalidInputError(
              '--replay',
              id,
              `must be all or crash ids among ${CRASH_WINDOWS.map((c) => c.id).join(', ')}`,
            );
          return w;
        });
  const hourly = new Set(
    readHistoryManifest()
      .files.filter((f) => f.kind === 'ohlcv_1h')
      .map((f) => f.symbol),
  );
  const symbols = [...input.market.prices.keys()].filter((a) => hourly.has(a)).sort();
  const history = loadHourlyHistory({
    symbols,
    fromMs: Math.min(...windows.map((w) => w.fromMs)) - HOUR_MS,
    toMs: Math.max(...windows.map((w) => w.toMs)) + HOUR_MS,
  });
  return windows.map((window) =>
    replayAcrossVenues({
      venues: input.venues.map((v) => ({
        name: v.venue,
        model: v.model,
        params: v.params,
        market: v.market,
        portfolio: v.portfolio,
      })),
      combined: {
        name: 'combined',
        model: params.model,
        ...(params.modelParams === undefined ? {} : { params: params.modelParams }),
        market: input.market,
        portfolio: input.portfolio,
      },
      history,
      window,
    }),
  );
}

const usd = (x: number) => formatNumber(Math.round(x * 100) / 100, 9);

/** The replays as text: per crash, each venue and their total against the combined account. */
export function formatCrossVenueReplay(results: readonly CrossVenueReplayResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push('', `${r.window.label}: ${r.updates} market updates (hourly lows, highs and closes)`);
    const row = (o: {
      name: string;
      model: string;
      pricing?: string;
      liquidations: number;
      liquidationCostUsd: number;
      feesUsd: number;
      insuranceFeeUsd: number;
      badDebtUsd: number;
      minHealth: number | null;
      endEquityUsd: number;
    }) => [
      o.name,
      o.model,
      o.pricing ?? '',
      String(o.liquidations),
      usd(o.liquidationCostUsd),
      usd(o.feesUsd),
      usd(o.insuranceFeeUsd),
      usd(o.badDebtUsd),
      o.minHealth === null ? '-' : o.minHealth.toFixed(2),
      usd(o.endEquityUsd),
    ];
    const t = r.venuesTotal;
    out.push(
      formatTable(
        [
          'account',
          'model',
          'liquidation rules',
          'liquidations',
          'cost',
          'fees',
          'IF take',
          'bad debt',
          'min health',
          'end equity',
        ],
        [
          ...r.venues.map(row),
          [
            'venues, total',
            '',
            '',
            String(t.liquidations),
            usd(t.liquidationCostUsd),
            usd(t.feesUsd),
            usd(t.insuranceFeeUsd),
            usd(t.badDebtUsd),
            '',
            usd(t.endEquityUsd),
          ],
          row(r.combined),
        ],
      ),
    );
  }
  return out.join('\n');
}
