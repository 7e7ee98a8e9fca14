/**
 * @module builder-page
 * The position builder: start from a sub-account or from nothing, add and remove hypothetical
 * legs from the listed instruments (perpetuals, futures, the option chain by expiry and strike)
 * and collateral, and see every model's IM and MM with the capital released against isolated
 * margin, the greeks, the liquidation prices and the P&L curve update as you edit. The book lives
 * in the URL (builder-state.ts): the address bar is the link to share.
 */
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api.js';
import type { BuilderResponse } from '../api-types.js';
import { useServices } from '../app-context.js';
import { decodeBuilderQuery, toBuilderHash, type BuilderState } from '../builder-state.js';
import { ErrorBanner } from '../components/error-banner.js';
import { GreeksTable } from '../components/greeks-table.js';
import { LegPicker } from '../components/leg-picker.js';
import { LiquidationTable } from '../components/liquidation-table.js';
import { ModelsTable } from '../components/models-table.js';
import { PnlPanel } from '../components/pnl-panel.js';
import { formatPrice, formatSize } from '../format.js';
import { toAccountHash } from '../route.js';
import { useLoad } from '../use-load.js';

/** Wait after the last edit before asking the service. */
const DEBOUNCE_MS = 250;

/** Replaces the URL's book (no history entry per keystroke); the page re-renders from it. */
function navigate(s: BuilderState) {
  window.location.replace(toBuilderHash(s));
}

/** The builder page for the book in `query`. */
export function BuilderPage({ query }: { query: string }) {
  const { api } = useServices();
  const state = useMemo(() => decodeBuilderQuery(query), [query]);
  const instruments = useLoad(() => api.getInstruments(), [api]);
  const accounts = useLoad(() => api.getAccounts('id', 1000), [api]);
  const venue = useLoad(() => api.getVenue(), [api]);
  const [result, setResult] = useState<BuilderResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [cashAsset, setCashAsset] = useState('USDC');
  const [cashAmount, setCashAmount] = useState('10000');

  useEffect(() => {
    let stale = false;
    setBusy(true);
    const t = setTimeout(() => {
      api
        .postBuilder({
          ...(state.base !== null ? { base: state.base } : {}),
          ...(state.model !== null ? { model: state.model } : {}),
          collateral: Object.fromEntries(state.collateral.map((c) => [c.asset, c.amount])),
          legs: state.legs.map((l) => ({ instrument: l.instrument, size: l.size })),
        })
        .then(
          (r) => {
            if (stale) return;
            setResult(r);
            setError(null);
            setBusy(false);
          },
          (e: unknown) => {
            if (stale) return;
            setError(e instanceof ApiError ? e : new ApiError(0, { code: 'ERR_CLIENT', message: String(e) }));
            setBusy(false);
          },
        );
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [api, state]);

  const marks = useMemo(
    () => new Map((instruments.data?.items ?? []).map((i) => [i.id, i.markPrice])),
    [instruments.data],
  );
  const assets = Object.keys(venue.data?.prices ?? { USDC: 1 }).sort();
  const update = (patch: Partial<BuilderState>) => navigate({ ...state, ...patch });

  return (
    <section>
      <header className="page-head">
        <h1>Position builder</h1>
        <label className="inline">
          Start from{' '}
          <select
            value={state.base ?? ''}
            onChange={(e) => update({ base: e.target.value === '' ? null : e.target.value })}
            data-testid="builder-base"
          >
            <option value="">nothing (an empty book)</option>
            {(accounts.data?.items ?? []).map((a) => (
              <option key={a.key} value={a.key}>
                {a.key} ({a.mode})
              </option>
            ))}
          </select>
        </label>
        {state.base !== null && <a href={toAccountHash(state.base)}>open {state.base}</a>}
        <label className="inline">
          Model{' '}
          <select
            value={state.model ?? ''}
            onChange={(e) => update({ model: e.target.value === '' ? null : e.target.value })}
            data-testid="builder-model"
          >
            <option value="">{state.base !== null ? "the account's mode" : 'portfolio'}</option>
            {(result?.models ?? []).map((m) => (
              <option key={m.model}>{m.model}</option>
            ))}
          </select>
        </label>
        <span className="muted" data-testid="builder-busy">
          {busy ? 'computing…' : result !== null ? 'up to date' : ''}
        </span>
      </header>
      <ErrorBanner error={instruments.error} what="instruments" />
      <ErrorBanner error={error} what="the book" />

      <div className="panels">
        <article className="panel wide">
          <h2>Legs</h2>
          <LegPicker
            instruments={instruments.data?.items ?? []}
            onAdd={(leg) => update({ legs: [...state.legs, leg] })}
          />
          <div className="table-wrap">
            <table className="grid" data-testid="builder-legs">
              <thead>
                <tr>
                  <th scope="col">Leg</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col" className="num">
                    Mark
                  </th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {state.legs.map((l, i) => (
                  <tr key={`${l.instrument}-${i}`}>
                    <th scope="row">{l.instrument}</th>
                    <td className={`num ${l.size < 0 ? 'short' : ''}`}>{formatSize(l.size, true)}</td>
                    <td className="num">{formatPrice(marks.get(l.instrument))}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        data-testid={`builder-remove-${i}`}
                        onClick={() => update({ legs: state.legs.filter((_, j) => j !== i) })}
                      >
                        remove
                      </button>
                    </td>
                  </tr>
                ))}
                {state.collateral.map((c, i) => (
                  <tr key={`cash-${c.asset}-${i}`}>
                    <th scope="row">collateral {c.asset}</th>
                    <td className="num">{c.amount}</td>
                    <td />
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => update({ collateral: state.collateral.filter((_, j) => j !== i) })}
                      >
                        remove
                      </button>
                    </td>
                  </tr>
                ))}
                {state.legs.length === 0 && state.collateral.length === 0 && (
                  <tr>
                    <td colSpan={4} className="empty">
                      No hypothetical legs yet{state.base !== null ? ` (the book is ${state.base}'s)` : ''}.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <form
            className="whatif"
            onSubmit={(e) => {
              e.preventDefault();
              if (/^-?\d+(\.\d+)?$/.test(cashAmount.trim()))
                update({
                  collateral: [...state.collateral, { asset: cashAsset, amount: cashAmount.trim() }],
                });
            }}
          >
            <label>
              Collateral
              <select value={cashAsset} onChange={(e) => setCashAsset(e.target.value)}>
                {assets.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </label>
            <label>
              Amount (negative borrows)
              <input
                value={cashAmount}
                onChange={(e) => setCashAmount(e.target.value)}
                inputMode="decimal"
                data-testid="builder-cash"
              />
            </label>
            <button type="submit" data-testid="builder-add-cash">
              Add collateral
            </button>
          </form>
          <p className="note">
            Share this book: <code data-testid="builder-link">{window.location.href}</code>
          </p>
        </article>

        <article className="panel wide">
          <h2>Every model</h2>
          {result !== null && (
            <ModelsTable
              rows={result.models}
              errors={result.errors}
              testId="builder-models"
              chosen={result.model}
            />
          )}
        </article>

        <article className="panel">
          <h2>P&amp;L across spot{result !== null ? ` (${result.model})` : ''}</h2>
          {result !== null && <PnlPanel curves={result.curves} testId="builder-pnl-chart" />}
        </article>

        <article className="panel">
          <h2>Greeks</h2>
          {result !== null && <GreeksTable greeks={result.greeks} testId="builder-greeks" />}
        </article>

        <article className="panel wide">
          <h2>Where it is liquidated</h2>
          {result?.liquidation && (
            <LiquidationTable report={result.liquidation} testId="builder-liquidation" />
          )}
        </article>
      </div>
    </section>
  );
}
