/**
 * @module pnl-panel
 * The P&L across spot of one underlying at a time (a choice when the book has several), with
 * what the lines mean.
 */
import { useMemo, useState } from 'react';
import type { PnlCurve } from '../api-types.js';
import { buildPnlCurveOption } from '../trader-chart-options.js';
import { Chart } from './chart.js';

/** The P&L chart with its underlying picker. */
export function PnlPanel({ curves, testId }: { curves: readonly PnlCurve[]; testId: string }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const curve = curves.find((c) => c.underlying === chosen) ?? curves[0];
  const option = useMemo(() => (curve === undefined ? null : buildPnlCurveOption(curve)), [curve]);
  if (curve === undefined || option === null)
    return <p className="note">No volatile underlying: no P&amp;L curve.</p>;
  return (
    <>
      {curves.length > 1 && (
        <div className="tabs" role="tablist">
          {curves.map((c) => (
            <button
              key={c.underlying}
              role="tab"
              aria-selected={c.underlying === curve.underlying}
              onClick={() => setChosen(c.underlying)}
              type="button"
            >
              {c.underlying}
            </button>
          ))}
        </div>
      )}
      <Chart
        option={option}
        testId={testId}
        height={300}
        label={`P&L across ${curve.underlying}'s price now and at the nearest expiry, with the IM and MM lines and the liquidation prices`}
      />
      <p className="note">
        P&amp;L in USD against {curve.underlying}'s price. Below the red dashed line the account is liquidated
        (equity under maintenance margin at that price); below the dotted one it is under initial margin.
      </p>
    </>
  );
}
