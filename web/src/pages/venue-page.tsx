/**
 * @module venue-page
 * The venue at a glance: prices ticking, the liquidation feed, the insurance fund with its history
 * in venue time (walked back from its value through the liquidations' flows), and the
 * sub-accounts closest to liquidation. Prices and liquidations come
 * from the stream (`venue: true`, admin keys); the fund and the lowest-health list are also
 * polled, since the stream carries no fund value.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Liquidation, SubAccountHealth } from '../api-types.js';
import { useServices } from '../app-context.js';
import { buildInsuranceOption, fundHistory } from '../chart-options.js';
import { Chart } from '../components/chart.js';
import { AssetTable } from '../components/asset-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatHealth, formatNumber, formatPrice, formatTime, formatUsd } from '../format.js';
import { toAccountHash } from '../route.js';
import { useLoad } from '../use-load.js';

/** How often the fund and the lowest-health list are re-read. */
const POLL_MS = 5000;
/** After this long without a tick, polled prices replace ticked ones. */
const TICK_STALE_MS = 10_000;
/** Rows kept in the liquidation feed. */
const FEED_LIMIT = 200;
/** Liquidations read for the fund's history. */
const HISTORY_LIMIT = 1000;
/** Sub-accounts listed as closest to liquidation. */
const CLOSEST = 10;

function stepCount(steps: unknown): string {
  if (Array.isArray(steps)) return formatNumber(steps.length, 0);
  if (typeof steps === 'number') return formatNumber(steps, 0);
  return '—';
}

/** The venue page. */
export function VenuePage() {
  const { api, stream } = useServices();
  const venue = useLoad(() => api.getVenue(), [api]);
  const liqs = useLoad(() => api.getLiquidations(HISTORY_LIMIT), [api]);
  const closest = useLoad(() => api.getAccounts('health', CLOSEST), [api]);

  const [prices, setPrices] = useState<Record<string, number>>({});
  const [moves, setMoves] = useState<Record<string, 'up' | 'down'>>({});
  const openPrices = useRef<Record<string, number>>({});
  const lastTickMs = useRef(0);
  const [feed, setFeed] = useState<Liquidation[]>([]);
  const [records, setRecords] = useState<Liquidation[]>([]);
  const [liveHealth, setLiveHealth] = useState<Map<string, SubAccountHealth>>(new Map());

  const reloadVenue = venue.reload;
  const reloadClosest = closest.reload;
  useEffect(() => {
    const t = setInterval(() => {
      reloadVenue();
      reloadClosest();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [reloadVenue, reloadClosest]);

  // Every answer of /venue: prices (until ticks take over) and a point of the fund's history.
  useEffect(() => {
    const v = venue.data;
    if (v === null) return;
    // Ticks are fresher than a poll: the poll's prices count only while the stream is quiet.
    if (Date.now() - lastTickMs.current > TICK_STALE_MS) setPrices((p) => ({ ...p, ...v.prices }));
    for (const [a, px] of Object.entries(v.prices)) openPrices.current[a] ??= px;
  }, [venue.data]);

  useEffect(() => {
    if (liqs.data === null) return;
    setFeed(liqs.data.items.slice(0, FEED_LIMIT));
    setRecords(liqs.data.items);
  }, [liqs.data]);

  useEffect(
    () =>
      stream.subscribe({ venue: true }, (e) => {
        if (e.type === 'tick') {
          lastTickMs.current = Date.now();
          setPrices((prev) => {
            const dir: Record<string, 'up' | 'down'> = {};
            for (const [a, px] of Object.entries(e.prices)) {
              const old = prev[a];
              if (old !== undefined && px !== old) dir[a] = px > old ? 'up' : 'down';
              openPrices.current[a] ??= px;
            }
            setMoves(dir);
            return { ...prev, ...e.prices };
          });
        } else if (e.type === 'liquidation') {
          setFeed((f) => [e.item, ...f].slice(0, FEED_LIMIT));
          setRecords((r) => [e.item, ...r].slice(0, HISTORY_LIMIT));
          reloadVenue();
          reloadClosest();
        }
      }),
    [stream, reloadVenue, reloadClosest],
  );

  const closestKeys = useMemo(() => (closest.data?.items ?? []).map((r) => r.key), [closest.data]);
  const closestKeyList = closestKeys.join('\n');
  useEffect(() => {
    if (closestKeyList === '') return undefined;
    return stream.subscribe({ accounts: closestKeyList.split('\n') }, (e) => {
      if (e.type === 'tick' || e.type === 'liquidation') return;
      setLiveHealth((m) => new Map(m).set(e.account.key, e.account));
    });
  }, [closestKeyList, stream]);

  const closestRows = useMemo(() => {
    const rows = (closest.data?.items ?? []).map((r) => liveHealth.get(r.key) ?? r);
    return rows.sort((a, b) => (a.health ?? Infinity) - (b.health ?? Infinity) || a.key.localeCompare(b.key));
  }, [closest.data, liveHealth]);

  const v = venue.data;
  const venueNowMs = v === null ? null : (v.replay?.timeMs ?? v.timeMs);
  const history = useMemo(
    () => (v === null || venueNowMs === null ? [] : fundHistory(venueNowMs, v.insuranceFundUsd, records)),
    [v, venueNowMs, records],
  );
  const insuranceOption = useMemo(() => buildInsuranceOption(history), [history]);

  return (
    <section>
      <header className="page-head">
        <h1>Venue</h1>
        {v !== null && (
          <dl className="kpis">
            <div>
              <dt>Venue time (UTC)</dt>
              <dd className="num">{formatTime(v.replay?.timeMs ?? v.timeMs)}</dd>
            </div>
            <div>
              <dt>Sub-accounts</dt>
              <dd className="num">{formatNumber(v.subAccounts, 0)}</dd>
            </div>
            <div>
              <dt>Liquidations</dt>
              <dd className="num">{formatNumber(v.liquidations, 0)}</dd>
            </div>
            {v.replay !== undefined && (
              <div>
                <dt>Replay</dt>
                <dd>
                  {formatTime(v.replay.fromMs)} → {formatTime(v.replay.toMs)} at ×
                  {formatNumber(v.replay.speed, 0)}
                </dd>
              </div>
            )}
          </dl>
        )}
      </header>
      <ErrorBanner error={venue.error} what="the venue" />
      <ErrorBanner error={liqs.error} what="liquidations" />
      <ErrorBanner error={closest.error} what="accounts" />

      <div className="panels">
        <article className="panel">
          <h2>Prices</h2>
          <div className="table-wrap">
            <table className="grid" data-testid="prices-table">
              <thead>
                <tr>
                  <th scope="col">Asset</th>
                  <th scope="col" className="num">
                    Price (USD)
                  </th>
                  <th scope="col" className="num">
                    Since page opened
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(prices)
                  .sort((a, b) => a[0].localeCompare(b[0]))
                  .map(([asset, px]) => {
                    const open = openPrices.current[asset];
                    const change = open !== undefined && open !== 0 ? px / open - 1 : null;
                    return (
                      <tr key={asset}>
                        <th scope="row">{asset}</th>
                        <td className={`num tick-${moves[asset] ?? 'flat'}`}>{formatPrice(px)}</td>
                        <td
                          className={`num ${change !== null && change < 0 ? 'worse' : change ? 'better' : ''}`}
                        >
                          {change === null ? '—' : `${formatNumber(change * 100, 2, true)}%`}
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        </article>

        <article className="panel">
          <h2>
            Insurance fund <span className="num big">{v !== null ? formatUsd(v.insuranceFundUsd) : ''}</span>
          </h2>
          <Chart
            option={insuranceOption}
            testId="insurance-chart"
            height={160}
            label="Insurance fund value in USD over venue time, through the liquidations' flows"
          />
          {history.length < 2 && <p className="note">No liquidation has moved the fund yet.</p>}
          {v !== null && <AssetTable rows={v.insuranceFund} testId="insurance-table" />}
        </article>

        <article className="panel">
          <h2>Closest to liquidation</h2>
          <div className="table-wrap">
            <table className="grid" data-testid="closest-table">
              <thead>
                <tr>
                  <th scope="col">Sub-account</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Equity
                  </th>
                  <th scope="col" className="num">
                    MM
                  </th>
                  <th scope="col" className="num">
                    Health
                  </th>
                </tr>
              </thead>
              <tbody>
                {closestRows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">
                      <a href={toAccountHash(r.key)}>{r.key}</a>
                    </th>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td className="num">{formatUsd(r.equityUsd)}</td>
                    <td className="num">{formatUsd(r.maintenanceUsd)}</td>
                    <td className={`num health-${r.status}`}>{formatHealth(r.health)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </article>

        <article className="panel wide">
          <h2>Liquidations</h2>
          <div className="table-wrap">
            <table className="grid" data-testid="liquidation-feed">
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Sub-account</th>
                  <th scope="col" className="num">
                    Steps
                  </th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                  <th scope="col" className="num">
                    Fee
                  </th>
                  <th scope="col" className="num">
                    To insurance
                  </th>
                  <th scope="col" className="num">
                    Deficit
                  </th>
                  <th scope="col">Bankrupt</th>
                </tr>
              </thead>
              <tbody>
                {feed.map((l, i) => (
                  <tr
                    key={`${l.timeMs}-${l.subAccount}-${i}`}
                    className={l.bankrupt ? 'row-liquidatable' : undefined}
                  >
                    <td className="mono">{formatTime(l.timeMs)}</td>
                    <td>
                      <a href={toAccountHash(l.subAccount)}>{l.subAccount}</a>
                    </td>
                    <td className="num">{stepCount(l.steps)}</td>
                    <td className="num">{formatUsd(l.costUsd)}</td>
                    <td className="num">{formatUsd(l.feeUsd)}</td>
                    <td className="num">{formatUsd(l.insuranceUsd, true)}</td>
                    <td className={`num ${l.deficitUsd > 0 ? 'worse' : ''}`}>{formatUsd(l.deficitUsd)}</td>
                    <td>{l.bankrupt ? 'yes' : 'no'}</td>
                  </tr>
                ))}
                {feed.length === 0 && !liqs.loading && (
                  <tr>
                    <td colSpan={8} className="empty">
                      No liquidations yet.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </article>
      </div>
    </section>
  );
}
