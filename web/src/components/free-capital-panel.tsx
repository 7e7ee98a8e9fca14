/**
 * @module free-capital-panel
 * The "Free capital" panel of the account page: asks the optimiser (POST …/optimise) for the
 * trades that free the most margin under a chosen model, and shows them with their cost, the
 * capital freed, IM and MM before and after under every compared model, the solver's gap and the
 * model's own verification. Each trade is one click into the what-if form (`onTry`).
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api.js';
import type { OptimiseResponse } from '../api-types.js';
import { useServices } from '../app-context.js';
import { formatNumber, formatPct, formatSize, formatUsd } from '../format.js';

/** Models the optimiser has an LP form for (docs/methodology/optimiser.md). */
const MODELS = ['portfolio', 'deribit-pm', 'cross', 'isolated', 'es', 'var', 'dydx'];

/** Props of {@link FreeCapitalPanel}. */
export interface FreeCapitalPanelProps {
  accountId: string;
  subAccountId: string;
  /** the sub-account's margin mode: the default model */
  mode: string;
  /** called when a suggested trade is to be tried in the what-if form */
  onTry: (trade: { instrument: string; size: number }) => void;
}

/** The panel. */
export function FreeCapitalPanel({ accountId, subAccountId, mode, onTry }: FreeCapitalPanelProps) {
  const { api } = useServices();
  const [model, setModel] = useState(MODELS.includes(mode) ? mode : 'portfolio');
  const [maxTrades, setMaxTrades] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [res, setRes] = useState<OptimiseResponse | null>(null);

  async function run(ev: FormEvent) {
    ev.preventDefault();
    setError(null);
    const k = maxTrades.trim() === '' ? undefined : Number(maxTrades);
    if (k !== undefined && !(Number.isInteger(k) && k >= 1)) {
      setError(`max trades must be a whole number >= 1; got ${JSON.stringify(maxTrades)}`);
      return;
    }
    setBusy(true);
    try {
      setRes(
        await api.postOptimise(accountId, subAccountId, {
          model,
          ...(k !== undefined ? { maxTrades: k } : {}),
        }),
      );
    } catch (e) {
      setRes(null);
      setError(e instanceof ApiError ? `${e.message} (${e.code})` : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="free-capital whatif" data-testid="free-capital">
      <form onSubmit={(e) => void run(e)} noValidate>
        <label>
          Model
          <select
            name="model"
            data-testid="optimise-model"
            value={model}
            onChange={(e) => setModel(e.target.value)}
          >
            {MODELS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Max trades (optional)
          <input
            name="maxTrades"
            data-testid="optimise-max-trades"
            inputMode="numeric"
            value={maxTrades}
            onChange={(e) => setMaxTrades(e.target.value)}
          />
        </label>
        <button type="submit" data-testid="optimise-submit" disabled={busy}>
          {busy ? 'Solving…' : 'Find trades'}
        </button>
      </form>
      {error !== null && (
        <p className="field-error" role="alert" data-testid="optimise-error">
          {error}
        </p>
      )}
      {res !== null && (
        <>
          <p className="note" data-testid="optimise-summary">
            {res.status === 'improved'
              ? `Capital freed ${formatUsd(res.capitalFreedUsd)} (${formatPct(res.capitalFreedPct)} of IM) for ${formatUsd(res.costUsd)} of execution cost under ${res.model}.`
              : `No trade frees margin under ${res.model} (${res.status}).`}{' '}
            Solver {res.solver.kind}, gap {formatUsd(res.solver.gapUsd)}; verified by {res.model}: IM{' '}
            {formatUsd(res.verification.verifiedImUsd)} (solver {formatUsd(res.verification.solverImUsd)},{' '}
            {res.verification.exactness}).
          </p>
          {res.trades.length > 0 && (
            <table className="grid" data-testid="optimise-trades">
              <thead>
                <tr>
                  <th scope="col">Trade</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                  <th scope="col" className="num">
                    Premium
                  </th>
                  <th scope="col" className="num">
                    Δ delta
                  </th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {res.trades.map((t) => (
                  <tr key={t.instrument}>
                    <th scope="row">{t.instrument}</th>
                    <td className={`num ${t.size < 0 ? 'short' : ''}`}>{formatSize(t.size, true)}</td>
                    <td className="num">{formatUsd(t.costUsd)}</td>
                    <td className="num">{formatUsd(t.premiumUsd, true)}</td>
                    <td className="num">{formatNumber(t.deltaChange, 4, true)}</td>
                    <td>
                      <button
                        type="button"
                        data-testid="optimise-try"
                        onClick={() => onTry({ instrument: t.instrument, size: t.size })}
                      >
                        Try in what-if
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <table className="grid" data-testid="optimise-models">
            <caption>IM and MM before and after the suggested trades</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="num">
                  IM before
                </th>
                <th scope="col" className="num">
                  IM after
                </th>
                <th scope="col" className="num">
                  MM before
                </th>
                <th scope="col" className="num">
                  MM after
                </th>
              </tr>
            </thead>
            <tbody>
              {res.sideBySide.map((r) => (
                <tr key={r.model}>
                  <th scope="row">{r.model}</th>
                  <td className="num">{formatUsd(r.before.initialUsd)}</td>
                  <td
                    className={`num ${r.after.initialUsd < r.before.initialUsd ? 'better' : r.after.initialUsd > r.before.initialUsd ? 'worse' : ''}`}
                  >
                    {formatUsd(r.after.initialUsd)}
                  </td>
                  <td className="num">{formatUsd(r.before.maintenanceUsd)}</td>
                  <td className="num">{formatUsd(r.after.maintenanceUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
