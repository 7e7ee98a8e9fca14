/**
 * @module whatif-form
 * The what-if form of the account page: pick an instrument, a signed size, and see first the
 * verdict under the account's own mode (accepted or refused, why, the account after: verdict-view),
 * then IM and MM before and after that trade under every model. Validation errors of the API are
 * shown next to the field they name (`error.field`), others above the form.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api.js';
import type { Instrument, VerdictResponse, WhatIfResponse } from '../api-types.js';
import { useServices } from '../app-context.js';
import { formatPrice, formatUsd } from '../format.js';
import { VerdictView } from './verdict-view.js';

type Field = 'instrument' | 'size';

/**
 * Which form field an API error names: the last segment of `field` (`size`, `body.size`,
 * `/size` all name the size input).
 */
function fieldOf(e: ApiError): Field | null {
  const last = e.field
    ?.split(/[./[\]]/)
    .filter((p) => p !== '')
    .pop();
  return last === 'instrument' || last === 'size' ? last : null;
}

function describe(i: Instrument): string {
  return `${i.id} (${i.kind}, mark ${formatPrice(i.markPrice)})`;
}

/** Props of {@link WhatIfForm}. */
export interface WhatIfFormProps {
  accountId: string;
  subAccountId: string;
  instruments: readonly Instrument[];
  /** a trade to fill in and run at once (e.g. from the Free capital panel); `nonce` re-runs it */
  preset?: { instrument: string; size: number; nonce: number } | null;
}

/** The what-if form and its result table. */
export function WhatIfForm({ accountId, subAccountId, instruments, preset }: WhatIfFormProps) {
  const { api } = useServices();
  const [instrument, setInstrument] = useState('');
  const [size, setSize] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<{
    label: string;
    res: WhatIfResponse;
    verdict: VerdictResponse;
  } | null>(null);

  const groups = useMemo(() => {
    const m = new Map<string, Instrument[]>();
    for (const i of instruments) m.set(i.underlying, [...(m.get(i.underlying) ?? []), i]);
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [instruments]);

  const selected = instrument !== '' ? instrument : (instruments[0]?.id ?? '');

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    await submitWith(selected, size);
  }

  useEffect(() => {
    if (!preset) return;
    setInstrument(preset.instrument);
    setSize(String(preset.size));
    void submitWith(preset.instrument, String(preset.size));
  }, [preset]);

  async function submitWith(selected: string, size: string) {
    setFieldErrors({});
    setFormError(null);
    const n = Number(size.replace(/,/g, ''));
    if (size.trim() === '' || !Number.isFinite(n)) {
      setFieldErrors({ size: 'size must be a number (negative to sell); got ' + JSON.stringify(size) });
      return;
    }
    setBusy(true);
    try {
      const trade = { instrument: selected, size: n };
      const [verdict, res] = await Promise.all([
        api.postVerdict(accountId, subAccountId, { trades: [trade] }),
        api.postWhatIf(accountId, subAccountId, trade),
      ]);
      setResult({ label: `${n > 0 ? '+' : ''}${n} ${selected}`, res, verdict });
    } catch (e) {
      if (e instanceof ApiError) {
        const f = fieldOf(e);
        if (f !== null) setFieldErrors({ [f]: `${e.message} (${e.code})` });
        else setFormError(`${e.message} (${e.code})`);
      } else setFormError(String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="whatif">
      <form onSubmit={(e) => void submit(e)} noValidate>
        {formError !== null && (
          <p className="field-error" role="alert">
            {formError}
          </p>
        )}
        <label>
          Instrument
          <select
            name="instrument"
            data-testid="whatif-instrument"
            value={selected}
            onChange={(e) => setInstrument(e.target.value)}
            aria-invalid={fieldErrors.instrument !== undefined}
          >
            {groups.map(([u, list]) => (
              <optgroup key={u} label={u}>
                {list.map((i) => (
                  <option key={i.id} value={i.id}>
                    {describe(i)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {fieldErrors.instrument !== undefined && (
            <span className="field-error" data-testid="whatif-error-instrument">
              {fieldErrors.instrument}
            </span>
          )}
        </label>
        <label>
          Size (signed; negative sells)
          <input
            name="size"
            data-testid="whatif-size"
            inputMode="decimal"
            autoComplete="off"
            value={size}
            onChange={(e) => setSize(e.target.value)}
            aria-invalid={fieldErrors.size !== undefined}
          />
          {fieldErrors.size !== undefined && (
            <span className="field-error" data-testid="whatif-error-size">
              {fieldErrors.size}
            </span>
          )}
        </label>
        <button type="submit" data-testid="whatif-submit" disabled={busy || selected === ''}>
          {busy ? 'Computing…' : 'What if'}
        </button>
      </form>
      {result !== null && <VerdictView v={result.verdict} />}
      {result !== null && (
        <div className="table-wrap">
          <table className="grid" data-testid="whatif-result">
            <caption>After {result.label}</caption>
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
                  Change in IM
                </th>
                <th scope="col" className="num">
                  MM before
                </th>
                <th scope="col" className="num">
                  MM after
                </th>
                <th scope="col" className="num">
                  Equity after
                </th>
              </tr>
            </thead>
            <tbody>
              {result.res.rows.map((r) => (
                <tr key={r.model}>
                  <th scope="row">{r.model}</th>
                  <td className="num">{formatUsd(r.before.initialUsd)}</td>
                  <td className="num">{formatUsd(r.after.initialUsd)}</td>
                  <td
                    className={`num ${r.deltaInitialUsd > 0 ? 'worse' : r.deltaInitialUsd < 0 ? 'better' : ''}`}
                  >
                    {formatUsd(r.deltaInitialUsd, true)}
                  </td>
                  <td className="num">{formatUsd(r.before.maintenanceUsd)}</td>
                  <td className="num">{formatUsd(r.after.maintenanceUsd)}</td>
                  <td className="num">{formatUsd(r.after.equityUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
