/**
 * @module models-table
 * Every model side by side: IM, MM, equity, excess and the capital released against isolated
 * margin, then the models that cannot value the book and why. Shared by the account page and the
 * position builder.
 */
import type { MarginRow } from '../api-types.js';
import { formatPct, formatUsd } from '../format.js';

/** Props of {@link ModelsTable}. */
export interface ModelsTableProps {
  rows: readonly MarginRow[];
  errors: readonly { model: string; code: string; message: string }[];
  testId: string;
  /** a model to show in bold (the account's mode, or the builder's chosen model) */
  chosen?: string;
}

/** The models table and its error list. */
export function ModelsTable({ rows, errors, testId, chosen }: ModelsTableProps) {
  return (
    <>
      <div className="table-wrap">
        <table className="grid" data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">Model</th>
              {['IM', 'MM', 'Equity', 'Excess (equity − IM)', 'Released vs isolated', 'Released %'].map(
                (h) => (
                  <th scope="col" className="num" key={h}>
                    {h}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.model} className={r.model === chosen ? 'chosen' : undefined}>
                <th scope="row">{r.model}</th>
                <td className="num">{formatUsd(r.initialUsd)}</td>
                <td className="num">{formatUsd(r.maintenanceUsd)}</td>
                <td className="num">{formatUsd(r.equityUsd)}</td>
                <td className={`num ${r.excessUsd < 0 ? 'worse' : ''}`}>{formatUsd(r.excessUsd)}</td>
                <td className="num">{formatUsd(r.releasedVsIsolatedUsd, true)}</td>
                <td className="num">{formatPct(r.releasedVsIsolatedPct, 1, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {errors.length > 0 && (
        <ul className="model-errors">
          {errors.map((e) => (
            <li key={e.model}>
              <b>{e.model}</b> cannot value this book: {e.message} <code>{e.code}</code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
