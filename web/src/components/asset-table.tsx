/**
 * A table of asset amounts (a sub-account's balances, the insurance fund): asset, amount, USD value.
 */
import type { AssetAmount } from '../api-types.js';
import { formatDecimalString, formatUsd } from '../format.js';

/** Renders `rows` as asset / amount / value; `testId` names the table for end-to-end tests. */
export function AssetTable({ rows, testId }: { rows: readonly AssetAmount[]; testId: string }) {
  return (
    <div className="table-wrap">
      <table className="grid" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Asset</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col" className="num">
              Value (USD)
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.asset}>
              <th scope="row">{a.asset}</th>
              <td className="num">{formatDecimalString(a.amount)}</td>
              <td className="num">{formatUsd(a.usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
