/**
 * @module account-page
 * One sub-account: its health, where it is liquidated and its P&L across spot with the IM and MM
 * lines, its greeks, margin under every model side by side, the scenario P&L grid of its worst
 * underlying, what each position contributes to IM, its balances and positions, and the what-if
 * form (the verdict first). Kept live: a `margin` or status event updates the header at once and
 * reloads the details at most every few seconds.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SubAccountHealth } from '../api-types.js';
import { useServices } from '../app-context.js';
import { buildContributionsOption, buildHeatmapOption, buildMarginByModelOption } from '../chart-options.js';
import { Chart } from '../components/chart.js';
import { AssetTable } from '../components/asset-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { StatusBadge } from '../components/status-badge.js';
import { WhatIfForm } from '../components/whatif-form.js';
import { GreeksTable } from '../components/greeks-table.js';
import { LiquidationTable } from '../components/liquidation-table.js';
import { PnlPanel } from '../components/pnl-panel.js';
import { toBuilderHash } from '../builder-state.js';
import { FreeCapitalPanel } from '../components/free-capital-panel.js';
import { ModelsTable } from '../components/models-table.js';
import { formatHealth, formatPrice, formatShock, formatSize, formatUsd } from '../format.js';
import { useLoad } from '../use-load.js';

/** Least time between two reloads triggered by stream events. */
const RELOAD_EVERY_MS = 3000;

/** Props of {@link AccountPage}. */
export interface AccountPageProps {
  accountId: string;
  subAccountId: string;
}

/** The page of one sub-account. */
export function AccountPage({ accountId, subAccountId }: AccountPageProps) {
  const { api, stream } = useServices();
  const key = `${accountId}/${subAccountId}`;
  const detail = useLoad(() => api.getSubAccount(accountId, subAccountId), [api, accountId, subAccountId]);
  const margin = useLoad(() => api.getMargin(accountId, subAccountId), [api, accountId, subAccountId]);
  const risk = useLoad(() => api.getRisk(accountId, subAccountId), [api, accountId, subAccountId]);
  const instruments = useLoad(() => api.getInstruments(), [api]);
  const [live, setLive] = useState<SubAccountHealth | null>(null);
  const [tryTrade, setTryTrade] = useState<{ instrument: string; size: number; nonce: number } | null>(null);
  const lastReload = useRef(0);
  const reloadDetail = detail.reload;
  const reloadMargin = margin.reload;
  const reloadRisk = risk.reload;

  useEffect(() => {
    setLive(null);
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = stream.subscribe({ accounts: [key] }, (e) => {
      if (e.type === 'tick' || e.type === 'liquidation') return;
      setLive(e.account);
      if (timer !== null) return;
      const wait = Math.max(0, lastReload.current + RELOAD_EVERY_MS - Date.now());
      timer = setTimeout(() => {
        timer = null;
        lastReload.current = Date.now();
        reloadDetail();
        reloadMargin();
        reloadRisk();
      }, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [key, stream, reloadDetail, reloadMargin, reloadRisk]);

  const health = live ?? detail.data?.health ?? null;
  const m = margin.data;
  const marginOption = useMemo(() => (m === null ? null : buildMarginByModelOption(m.rows)), [m]);
  const heatmapOption = useMemo(() => (m?.heatmap ? buildHeatmapOption(m.heatmap) : null), [m]);
  const contribOption = useMemo(() => (m === null ? null : buildContributionsOption(m.contributions)), [m]);
  const worstCell = useMemo(() => {
    const h = m?.heatmap;
    if (!h) return null;
    let worst: { pnl: number; spot: number; vol: number } | null = null;
    h.pnlUsd.forEach((row, v) =>
      row.forEach((pnl, s) => {
        if (worst === null || pnl < worst.pnl)
          worst = { pnl, spot: h.spotShocks[s] ?? NaN, vol: h.volShocks[v] ?? NaN };
      }),
    );
    return worst as { pnl: number; spot: number; vol: number } | null;
  }, [m]);

  return (
    <section>
      <header className="page-head">
        <h1>
          <a href="#/">Accounts</a> / {key}
        </h1>
        {detail.data !== null && <span className="muted">mode {detail.data.mode}</span>}
        <a
          href={toBuilderHash({ base: key, model: null, legs: [], collateral: [] })}
          data-testid="open-builder"
        >
          Open in the position builder
        </a>
        {health !== null && (
          <dl className="kpis" data-testid="account-health">
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge
                  status={health.status}
                  {...(risk.data ? { thresholds: risk.data.thresholds } : {})}
                />
              </dd>
            </div>
            <div>
              <dt>Equity</dt>
              <dd className="num">{formatUsd(health.equityUsd)}</dd>
            </div>
            <div>
              <dt>IM</dt>
              <dd className="num">{formatUsd(health.initialUsd)}</dd>
            </div>
            <div>
              <dt>MM</dt>
              <dd className="num">{formatUsd(health.maintenanceUsd)}</dd>
            </div>
            <div>
              <dt>Health</dt>
              <dd className={`num health-${health.status}`}>{formatHealth(health.health)}</dd>
            </div>
          </dl>
        )}
      </header>
      <ErrorBanner error={detail.error} what="the sub-account" />
      <ErrorBanner error={margin.error} what="its margin" />
      <ErrorBanner error={risk.error} what="its liquidation prices and greeks" />

      <div className="panels">
        <article className="panel wide">
          <h2>Where it is liquidated</h2>
          {risk.data !== null && (
            <LiquidationTable report={risk.data.liquidation} testId="liquidation-table" />
          )}
        </article>

        <article className="panel">
          <h2>P&amp;L across spot</h2>
          {risk.data !== null && <PnlPanel curves={risk.data.curves} testId="pnl-chart" />}
        </article>

        <article className="panel">
          <h2>Greeks</h2>
          {risk.data !== null && <GreeksTable greeks={risk.data.greeks} testId="greeks-table" />}
        </article>

        <article className="panel wide">
          <h2>Margin by model</h2>
          {marginOption !== null && (
            <Chart
              option={marginOption}
              testId="margin-by-model-chart"
              height={220}
              label="Initial and maintenance margin under each model, with equity"
            />
          )}
          {m !== null && (
            <ModelsTable rows={m.rows} errors={m.errors} testId="margin-table" chosen={m.mode} />
          )}
        </article>

        <article className="panel">
          <h2>Scenario P&amp;L{m?.heatmap ? ` — ${m.heatmap.underlying}` : ''}</h2>
          {heatmapOption !== null ? (
            <>
              <Chart
                option={heatmapOption}
                testId="heatmap"
                height={300}
                label="Portfolio P&L under spot and volatility shocks"
              />
              {worstCell !== null && (
                <p className="note">
                  Worst cell: spot {formatShock(worstCell.spot)}, vol {formatShock(worstCell.vol)} →{' '}
                  <span className="worse">{formatUsd(worstCell.pnl)}</span>
                </p>
              )}
            </>
          ) : (
            m !== null && (
              <p className="note">No scenario grid: the book has no position the grid can shock.</p>
            )
          )}
        </article>

        <article className="panel">
          <h2>Contribution to IM by position</h2>
          {contribOption !== null && m !== null && (
            <Chart
              option={contribOption}
              testId="contributions-chart"
              height={Math.max(120, 40 + 22 * m.contributions.length)}
              label="Each position's contribution to initial margin; hedges are negative"
            />
          )}
        </article>

        <article className="panel">
          <h2>Balances</h2>
          {detail.data !== null && <AssetTable rows={detail.data.balances} testId="balances-table" />}
        </article>

        <article className="panel">
          <h2>Positions</h2>
          {detail.data !== null && (
            <div className="table-wrap">
              <table className="grid" data-testid="positions-table">
                <thead>
                  <tr>
                    <th scope="col">Instrument</th>
                    <th scope="col" className="num">
                      Size
                    </th>
                    <th scope="col" className="num">
                      Entry
                    </th>
                    <th scope="col" className="num">
                      Mark
                    </th>
                    <th scope="col" className="num">
                      Value (USD)
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {detail.data.positions.map((p) => (
                    <tr key={p.instrument}>
                      <th scope="row">{p.instrument}</th>
                      <td className={`num ${p.size < 0 ? 'short' : ''}`}>{formatSize(p.size, true)}</td>
                      <td className="num">{formatPrice(p.entryPrice)}</td>
                      <td className="num">{formatPrice(p.markPrice)}</td>
                      <td className="num">{formatUsd(p.valueUsd)}</td>
                    </tr>
                  ))}
                  {detail.data.positions.length === 0 && (
                    <tr>
                      <td colSpan={5} className="empty">
                        No positions.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          )}
        </article>

        <article className="panel wide">
          <h2>Free capital</h2>
          <FreeCapitalPanel
            accountId={accountId}
            subAccountId={subAccountId}
            mode={detail.data?.mode ?? 'portfolio'}
            onTry={(t) => setTryTrade({ ...t, nonce: Date.now() })}
          />
        </article>

        <article className="panel wide" id="whatif">
          <h2>What if: will this trade go through?</h2>
          <ErrorBanner error={instruments.error} what="instruments" />
          <WhatIfForm
            accountId={accountId}
            subAccountId={subAccountId}
            instruments={instruments.data?.items ?? []}
            preset={tryTrade}
          />
        </article>
      </div>
    </section>
  );
}
