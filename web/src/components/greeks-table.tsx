/**
 * @module greeks-table
 * Portfolio greeks per underlying, in coin and in USD: delta (per 100% move), gamma (change of
 * delta for a +1% move), vega (per volatility point) and theta (per calendar day).
 */
import type { Greeks } from '../api-types.js';
import { formatNumber, formatUsd } from '../format.js';

const coin = (x: number) => formatNumber(x, Math.abs(x) >= 100 ? 2 : 4, true);

/** The greeks table. */
export function GreeksTable({ greeks, testId }: { greeks: Greeks; testId: string }) {
  return (
    <div className="table-wrap" data-testid={testId}>
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Underlying</th>
            <th scope="col">Unit</th>
            <th scope="col" className="num" title="value change per 100% move, to first order">
              Delta
            </th>
            <th scope="col" className="num" title="change of delta for a +1% move">
              Gamma /1%
            </th>
            <th scope="col" className="num" title="value change per volatility point (+0.01)">
              Vega /pt
            </th>
            <th scope="col" className="num" title="value change per calendar day">
              Theta /day
            </th>
          </tr>
        </thead>
        <tbody>
          {greeks.underlyings.flatMap((g) => [
            <tr key={`${g.underlying}-coin`}>
              <th scope="row">{g.underlying}</th>
              <td>coin</td>
              <td className="num">{coin(g.deltaCoin)}</td>
              <td className="num">{coin(g.gammaCoin)}</td>
              <td className="num">{coin(g.vegaCoin)}</td>
              <td className="num">{coin(g.thetaCoin)}</td>
            </tr>,
            <tr key={`${g.underlying}-usd`}>
              <th scope="row">{g.underlying}</th>
              <td>USD</td>
              <td className="num">{formatUsd(g.deltaUsd, true)}</td>
              <td className="num">{formatUsd(g.gammaUsd, true)}</td>
              <td className="num">{formatUsd(g.vegaUsd, true)}</td>
              <td className="num">{formatUsd(g.thetaUsd, true)}</td>
            </tr>,
          ])}
          {greeks.underlyings.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                No volatile underlying.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
