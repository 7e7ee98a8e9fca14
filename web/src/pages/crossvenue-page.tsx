/**
 * @module crossvenue-page
 * Across venues: the trader loads each venue's account payloads (the files `xmargin import`
 * reads, named after their kind: positions.json, balance.json, ...), and the page shows each
 * venue's own requirement (reproduced, next to the venue's own figures), the combined requirement
 * across venues, the difference, what can be released now and the collateral moves that release
 * it (POST /crossvenue, docs/methodology/cross-venue.md). Nothing is stored: the payloads go to
 * the service once, for this computation.
 */
import { useState } from 'react';
import type { CrossVenueRequest, CrossVenueResponse } from '../api-types.js';
import type { ApiError } from '../api.js';
import { useServices } from '../app-context.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatHealth, formatPct, formatUsd } from '../format.js';

/** The importers a venue row may name (`ccxt:<exchange>` is typed in full). */
const IMPORTERS = ['deribit', 'okx', 'bybit', 'binance', 'hyperliquid', 'dydx', 'drift', 'aave', 'ccxt:'];

interface Row {
  id: number;
  venue: string;
  files: { name: string; json: unknown }[];
  error: string | null;
}

async function readFiles(list: FileList): Promise<{ files: Row['files']; error: string | null }> {
  const files: Row['files'] = [];
  for (const f of Array.from(list)) {
    try {
      files.push({ name: f.name.replace(/\.json$/i, ''), json: JSON.parse(await f.text()) as unknown });
    } catch (e) {
      return { files, error: `${f.name} is not JSON: ${String(e)}` };
    }
  }
  return { files, error: null };
}

/** The page. */
export function CrossVenuePage() {
  const { api } = useServices();
  const [rows, setRows] = useState<Row[]>([{ id: 1, venue: 'deribit', files: [], error: null }]);
  const [asOf, setAsOf] = useState('');
  const [params, setParams] = useState('');
  const [result, setResult] = useState<CrossVenueResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const update = (id: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  const submit = async () => {
    setLocalError(null);
    let parsedParams: unknown;
    if (params.trim() !== '') {
      try {
        parsedParams = JSON.parse(params) as unknown;
      } catch (e) {
        setLocalError(`parameters are not JSON: ${String(e)}`);
        return;
      }
    }
    const venues: CrossVenueRequest['venues'] = rows
      .filter((r) => r.files.length > 0)
      .map((r) => ({
        venue: r.venue.trim(),
        payloads: Object.fromEntries(r.files.map((f) => [f.name, f.json])),
      }));
    if (venues.length === 0) {
      setLocalError('load the payload files of at least one venue');
      return;
    }
    setBusy(true);
    try {
      setResult(
        await api.postCrossVenue({
          venues,
          ...(asOf.trim() === '' ? {} : { asOf: asOf.trim() }),
          ...(parsedParams === undefined ? {} : { params: parsedParams }),
        }),
      );
      setError(null);
    } catch (e) {
      setError(e as ApiError);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="crossvenue-page">
      <h1>Across venues</h1>
      <p className="hint">
        Load each venue&apos;s account payloads (files named after their kind, as <code>xmargin import</code>{' '}
        reads them). Each venue is margined by its own rule; the combined view nets only the venues you
        declare jointly managed, charges the move while collateral is in transit and the venue default risk.
      </p>
      <table className="venue-inputs">
        <thead>
          <tr>
            <th>venue</th>
            <th>payload files</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="venue-row">
              <td>
                <input
                  aria-label="venue"
                  list="crossvenue-importers"
                  value={r.venue}
                  onChange={(e) => update(r.id, { venue: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label="payload files"
                  type="file"
                  multiple
                  accept=".json,application/json"
                  onChange={(e) => {
                    const list = e.target.files;
                    if (list !== null) void readFiles(list).then((x) => update(r.id, x));
                  }}
                />
                <span className="files">{r.files.map((f) => f.name).join(', ')}</span>
                {r.error !== null && <span className="field-error">{r.error}</span>}
              </td>
              <td>
                <button type="button" onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}>
                  remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <datalist id="crossvenue-importers">
        {IMPORTERS.map((i) => (
          <option key={i} value={i} />
        ))}
      </datalist>
      <p>
        <button
          type="button"
          onClick={() =>
            setRows((rs) => [
              ...rs,
              { id: Math.max(0, ...rs.map((r) => r.id)) + 1, venue: '', files: [], error: null },
            ])
          }
        >
          Add a venue
        </button>
      </p>
      <label>
        As of (UTC, for payloads without a time){' '}
        <input
          aria-label="as of"
          placeholder="2026-03-02T08:00:00Z"
          value={asOf}
          onChange={(e) => setAsOf(e.target.value)}
        />
      </label>
      <label className="block">
        Parameters (JSON: agreements, latencies, venue default charges)
        <textarea
          aria-label="parameters"
          rows={4}
          value={params}
          onChange={(e) => setParams(e.target.value)}
        />
      </label>
      <p>
        <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
          {busy ? 'Computing…' : 'Compute'}
        </button>
      </p>
      {localError !== null && (
        <div className="error-banner" role="alert">
          {localError}
        </div>
      )}
      <ErrorBanner error={error} what="the combined view" />
      {result !== null && <CrossVenueResult r={result} />}
    </section>
  );
}

function CrossVenueResult({ r }: { r: CrossVenueResponse }) {
  const err = (x: number | null | undefined) => (x === null || x === undefined ? '—' : formatPct(x, 2));
  return (
    <div data-testid="crossvenue-result">
      <h2>Each venue, by its own rule</h2>
      <table data-testid="venue-table">
        <thead>
          <tr>
            <th>venue</th>
            <th>preset</th>
            <th>IM</th>
            <th>MM</th>
            <th>equity</th>
            <th>free</th>
            <th>health</th>
            <th>venue IM</th>
            <th>venue MM</th>
            <th>IM error</th>
          </tr>
        </thead>
        <tbody>
          {r.venues.map((v) => (
            <tr key={v.venue}>
              <td>{v.venue}</td>
              <td>{v.model}</td>
              <td className="num">{formatUsd(v.own.initialUsd)}</td>
              <td className="num">{formatUsd(v.own.maintenanceUsd)}</td>
              <td className="num">{formatUsd(v.own.equityUsd)}</td>
              <td className="num">{formatUsd(v.freeCollateralUsd)}</td>
              <td className="num">{formatHealth(v.health)}</td>
              <td className="num">{formatUsd(v.reported?.initialUsd ?? null)}</td>
              <td className="num">{formatUsd(v.reported?.maintenanceUsd ?? null)}</td>
              <td className="num">{err(v.reproduction?.initialRelError)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Combined, margined by xmargin&apos;s {r.model} model</h2>
      <dl className="totals" data-testid="crossvenue-totals">
        <dt>Sum of the venues&apos; requirements</dt>
        <dd data-testid="sum-of-venues">{formatUsd(r.sumOfVenuesUsd)}</dd>
        <dt>Combined requirement</dt>
        <dd data-testid="combined">
          {formatUsd(r.combinedUsd)} (risk {formatUsd(r.components.riskUsd)}, transit{' '}
          {formatUsd(r.components.transitUsd)}, venue default {formatUsd(r.components.defaultUsd)})
        </dd>
        <dt>Difference</dt>
        <dd data-testid="difference">{formatUsd(r.differenceUsd, true)}</dd>
        <dt>Releasable now</dt>
        <dd data-testid="releasable">{formatUsd(r.releasableNowUsd)}</dd>
      </dl>
      <table data-testid="group-table">
        <thead>
          <tr>
            <th>venues</th>
            <th>cap</th>
            <th>venues&apos; IM</th>
            <th>netted</th>
            <th>requirement</th>
          </tr>
        </thead>
        <tbody>
          {r.groups.map((g) => (
            <tr key={g.venues.join('+')}>
              <td>{g.venues.join(' + ')}</td>
              <td className="num">{g.cap === null ? '—' : formatPct(g.cap, 0)}</td>
              <td className="num">{formatUsd(g.standaloneSumUsd)}</td>
              <td className="num">{formatUsd(g.nettedUsd)}</td>
              <td className="num">
                {formatUsd(g.requirementUsd)}
                {g.capped ? ' (capped)' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Collateral moves</h2>
      <p data-testid="moves-method">
        {r.allocation.method === 'optimiser' && r.allocation.solver !== null
          ? `The optimiser's least-cost allocation (${r.allocation.solver.name}, ${r.allocation.solver.kind}), solver gap ${formatUsd(r.allocation.solver.gapUsd)}; each venue recomputed by its own rule after the moves.`
          : `Greedy fallback, not optimised: ${r.allocation.fallbackReason ?? ''}`}
      </p>
      {r.moves.length === 0 ? (
        <p>No venue is below its target: no move is needed.</p>
      ) : (
        <table data-testid="moves-table">
          <thead>
            <tr>
              <th>asset</th>
              <th>from</th>
              <th>to</th>
              <th>USD</th>
              <th>hours</th>
              <th>cost</th>
            </tr>
          </thead>
          <tbody>
            {r.moves.map((m, i) => (
              <tr key={i}>
                <td>{m.asset}</td>
                <td>{m.from}</td>
                <td>{m.to}</td>
                <td className="num">{formatUsd(m.usd)}</td>
                <td className="num">{m.hours}</td>
                <td className="num">{formatUsd(m.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table data-testid="after-moves-table">
        <thead>
          <tr>
            <th>venue</th>
            <th>equity after</th>
            <th>required</th>
            <th>margin</th>
            <th>covered</th>
          </tr>
        </thead>
        <tbody>
          {r.allocation.plan.venues.map((v) => (
            <tr key={v.venue}>
              <td>{v.venue}</td>
              <td className="num">{formatUsd(v.equityUsd)}</td>
              <td className="num">{formatUsd(v.requiredUsd)}</td>
              <td className="num">{formatUsd(v.marginUsd, true)}</td>
              <td>{v.covered ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="moves-summary">
        {`Freed ${formatUsd(r.allocation.plan.freedUsd)} at a cost of ${formatUsd(r.allocation.plan.costUsd)} in ${r.allocation.plan.moves.length} transfer(s)`}
        {r.allocation.method === 'optimiser'
          ? `; the greedy plan: freed ${formatUsd(r.allocation.greedy.freedUsd)} at ${formatUsd(r.allocation.greedy.costUsd)} in ${r.allocation.greedy.moves.length} transfer(s).`
          : '.'}
      </p>
      <ul className="notes">
        {r.imports.flatMap((i) => i.notes.map((n) => <li key={`${i.venue}:${n}`}>{`${i.venue}: ${n}`}</li>))}
      </ul>
    </div>
  );
}
