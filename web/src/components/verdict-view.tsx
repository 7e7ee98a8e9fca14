/**
 * @module verdict-view
 * The verdict on a what-if, first: accepted or refused under the account's mode, the rule and
 * the shortfall, then the account before and after (IM, MM, equity, excess, health, status) and
 * the liquidation prices after.
 */
import type { VerdictResponse } from '../api-types.js';
import { formatHealth, formatPrice, formatUsd } from '../format.js';
import { StatusBadge } from './status-badge.js';

type View = VerdictResponse['before'];

function liq(v: View, side: 'down' | 'up'): string {
  if (v.liquidation.liquidatableNow) return 'now';
  const parts = v.liquidation.underlyings
    .filter((u) => u[side] !== null)
    .map((u) => `${u.underlying} ${formatPrice(u[side]!.priceUsd)}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** The verdict block. */
export function VerdictView({ v }: { v: VerdictResponse }) {
  const row = (name: string, get: (x: View) => number) => (
    <tr key={name}>
      <th scope="row">{name}</th>
      <td className="num">{formatUsd(get(v.before))}</td>
      <td className="num">{formatUsd(get(v.after))}</td>
      <td className="num">{formatUsd(get(v.after) - get(v.before), true)}</td>
    </tr>
  );
  return (
    <div className={`verdict verdict-${v.verdict}`} data-testid="verdict">
      <p className="verdict-head" role="status">
        <b data-testid="verdict-word">{v.verdict === 'accepted' ? 'Accepted' : 'Refused'}</b> under {v.model}{' '}
        <span className="muted">(rule: {v.rule})</span>
        {v.shortfallUsd !== null && (
          <>
            {' '}
            — shortfall <b className="worse">{formatUsd(v.shortfallUsd)}</b>
          </>
        )}
      </p>
      <p className="note">{v.reason}</p>
      {v.warnings.map((w) => (
        <p key={w} className="note warn">
          {w}
        </p>
      ))}
      <div className="table-wrap">
        <table className="grid" data-testid="verdict-figures">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col" className="num">
                Before
              </th>
              <th scope="col" className="num">
                After
              </th>
              <th scope="col" className="num">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {row('IM', (x) => x.initialUsd)}
            {row('MM', (x) => x.maintenanceUsd)}
            {row('Equity', (x) => x.equityUsd)}
            {row('Excess', (x) => x.excessUsd)}
            <tr>
              <th scope="row">Health</th>
              <td className="num">{formatHealth(v.before.health)}</td>
              <td className="num">{formatHealth(v.after.health)}</td>
              <td />
            </tr>
            <tr>
              <th scope="row">Status</th>
              <td className="num">
                <StatusBadge status={v.before.status} thresholds={v.thresholds} />
              </td>
              <td className="num">
                <StatusBadge status={v.after.status} thresholds={v.thresholds} />
              </td>
              <td />
            </tr>
            <tr>
              <th scope="row">Liquidated falling to</th>
              <td className="num">{liq(v.before, 'down')}</td>
              <td className="num">{liq(v.after, 'down')}</td>
              <td />
            </tr>
            <tr>
              <th scope="row">Liquidated rising to</th>
              <td className="num">{liq(v.before, 'up')}</td>
              <td className="num">{liq(v.after, 'up')}</td>
              <td />
            </tr>
          </tbody>
        </table>
      </div>
      <p className="note">
        Priced as the venue fills the order (spread and fee {formatUsd(v.tradingCostUsd)}).
      </p>
    </div>
  );
}
