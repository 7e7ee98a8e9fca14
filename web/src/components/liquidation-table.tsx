/**
 * @module liquidation-table
 * Where an account is liquidated: per underlying the price on each side, the move in percent and
 * in daily volatilities, where the daily vol comes from, and the joint move along the book's worst
 * direction. "none" means no liquidation within the search range (a hundredth to ten times spot).
 */
import type { LiquidationReport } from '../api-types.js';
import { formatNumber, formatPct, formatPrice, formatUsd } from '../format.js';

type Side = LiquidationReport['underlyings'][number]['down'];

function SideCells({ s, now }: { s: Side; now: boolean }) {
  if (now)
    return (
      <td colSpan={3} className="worse">
        now
      </td>
    );
  if (s === null)
    return (
      <td colSpan={3} className="muted">
        none
      </td>
    );
  return (
    <>
      <td className="num">{formatPrice(s.priceUsd)}</td>
      <td className={`num ${s.side === 'down' ? 'worse' : ''}`}>{formatPct(s.movePct, 1, true)}</td>
      <td className="num">{s.moveDailyVols === null ? '—' : formatNumber(s.moveDailyVols, 1, true)}</td>
    </>
  );
}

/** The liquidation prices of a report, with the joint move below. */
export function LiquidationTable({ report, testId }: { report: LiquidationReport; testId: string }) {
  const rule =
    report.volRule === 'model' ? "option vols moved by the model's spot–vol rule" : 'option vols held';
  return (
    <div data-testid={testId}>
      {report.liquidatableNow && (
        <p className="error-banner">
          Liquidatable now: equity {formatUsd(report.equityUsd)} is below maintenance{' '}
          {formatUsd(report.maintenanceUsd)}.
        </p>
      )}
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Underlying
              </th>
              <th scope="col" rowSpan={2} className="num">
                Spot
              </th>
              <th scope="colgroup" colSpan={3}>
                Falling to
              </th>
              <th scope="colgroup" colSpan={3}>
                Rising to
              </th>
            </tr>
            <tr>
              {['price', 'move', 'daily vols', 'price', 'move', 'daily vols'].map((h, i) => (
                <th scope="col" key={i} className="num">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.underlyings.map((u) => (
              <tr key={u.underlying}>
                <th
                  scope="row"
                  title={
                    u.dailyVol
                      ? `daily vol ${formatPct(u.dailyVol.daily, 2)} (${u.dailyVol.source}, ${u.dailyVol.from})`
                      : 'no daily vol: no listed option, no history'
                  }
                >
                  {u.underlying}
                </th>
                <td className="num">{formatPrice(u.spotUsd)}</td>
                <SideCells s={u.down} now={report.liquidatableNow} />
                <SideCells s={u.up} now={report.liquidatableNow} />
              </tr>
            ))}
            {report.underlyings.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  No volatile underlying: nothing moves this account.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {report.joint !== null && (
        <p className="note" data-testid={`${testId}-joint`}>
          Joint move along the book's worst direction: {formatNumber(report.joint.dailyVols, 1)} daily vols (
          {report.joint.moves
            .map((m) => `${m.underlying} ${formatPct(m.movePct, 1, true)} to ${formatPrice(m.priceUsd)}`)
            .join(', ')}
          ).
        </p>
      )}
      <p className="note">
        Equity meets maintenance margin under {report.model}; everything else held, {rule}.
      </p>
    </div>
  );
}
