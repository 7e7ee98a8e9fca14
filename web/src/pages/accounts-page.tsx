/**
 * @module accounts-page
 * Every sub-account with its margin and status: sortable, searchable, live. Rows are loaded once
 * (lowest health first) and then kept current by `margin` and status events on the stream.
 */
import { useEffect, useMemo, useState } from 'react';
import { HEALTH_STATUSES, type HealthStatus, type SubAccountHealth } from '../api-types.js';
import { useServices } from '../app-context.js';
import { ErrorBanner } from '../components/error-banner.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatHealth, formatNumber, formatUsd } from '../format.js';
import { toAccountHash } from '../route.js';
import { useLoad } from '../use-load.js';

/** How many sub-accounts the page loads (the API pages; the rest are counted, not shown). */
const PAGE_LIMIT = 1000;

type Column = 'key' | 'mode' | 'status' | 'equityUsd' | 'initialUsd' | 'maintenanceUsd' | 'health';

const COLUMNS: { id: Column; title: string; numeric: boolean }[] = [
  { id: 'key', title: 'Sub-account', numeric: false },
  { id: 'mode', title: 'Mode', numeric: false },
  { id: 'status', title: 'Status', numeric: false },
  { id: 'equityUsd', title: 'Equity (USD)', numeric: true },
  { id: 'initialUsd', title: 'IM (USD)', numeric: true },
  { id: 'maintenanceUsd', title: 'MM (USD)', numeric: true },
  { id: 'health', title: 'Health (equity/MM)', numeric: true },
];

/** Comparable value of a cell: health null (MM = 0) sorts as +∞, status by severity. */
function sortValue(r: SubAccountHealth, c: Column): number | string {
  switch (c) {
    case 'health':
      return r.health ?? Number.POSITIVE_INFINITY;
    case 'status':
      return HEALTH_STATUSES.indexOf(r.status);
    default:
      return r[c];
  }
}

function compareRows(a: SubAccountHealth, b: SubAccountHealth, c: Column): number {
  const x = sortValue(a, c);
  const y = sortValue(b, c);
  if (typeof x === 'number' && typeof y === 'number') return x === y ? 0 : x < y ? -1 : 1;
  return String(x).localeCompare(String(y));
}

/** The accounts page. */
export function AccountsPage() {
  const { api, stream } = useServices();
  const loaded = useLoad(() => api.getAccounts('health', PAGE_LIMIT), [api]);
  const [rows, setRows] = useState<Map<string, SubAccountHealth>>(new Map());
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<{ col: Column; asc: boolean }>({ col: 'health', asc: true });

  useEffect(() => {
    if (loaded.data !== null) setRows(new Map(loaded.data.items.map((r) => [r.key, r])));
  }, [loaded.data]);

  const keys = useMemo(() => [...rows.keys()].sort().join('\n'), [rows]);
  useEffect(() => {
    if (keys === '') return undefined;
    return stream.subscribe({ accounts: keys.split('\n') }, (e) => {
      if (e.type === 'tick' || e.type === 'liquidation') return;
      setRows((prev) => new Map(prev).set(e.account.key, e.account));
    });
  }, [keys, stream]);

  const visible = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = [...rows.values()].filter(
      (r) =>
        q === '' ||
        r.key.toLowerCase().includes(q) ||
        r.mode.toLowerCase().includes(q) ||
        r.status.includes(q),
    );
    list.sort((a, b) => (sort.asc ? 1 : -1) * compareRows(a, b, sort.col) || a.key.localeCompare(b.key));
    return list;
  }, [rows, query, sort]);

  const counts = useMemo(() => {
    const c = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
    for (const r of rows.values()) c[r.status]++;
    return c;
  }, [rows]);

  const total = loaded.data?.total ?? 0;
  return (
    <section>
      <header className="page-head">
        <h1>Accounts</h1>
        <div className="counts">
          {HEALTH_STATUSES.map((s) => (
            <span key={s}>
              <StatusBadge status={s} /> <span className="num">{formatNumber(counts[s], 0)}</span>
            </span>
          ))}
        </div>
        <input
          type="search"
          placeholder="Search sub-account, mode, status"
          aria-label="Search accounts"
          data-testid="accounts-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </header>
      <ErrorBanner error={loaded.error} what="accounts" />
      {total > rows.size && (
        <p className="note">
          Showing the {formatNumber(rows.size, 0)} lowest-health of {formatNumber(total, 0)} sub-accounts.
        </p>
      )}
      <div className="table-wrap">
        <table className="grid" data-testid="accounts-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.id}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={sort.col === c.id ? (sort.asc ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    className="sort"
                    onClick={() => setSort((s) => ({ col: c.id, asc: s.col === c.id ? !s.asc : true }))}
                  >
                    {c.title}
                    {sort.col === c.id ? (sort.asc ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((r) => (
              <tr
                key={r.key}
                className={`clickable row-${r.status}`}
                onClick={() => (window.location.hash = toAccountHash(r.key))}
              >
                <td>
                  <a href={toAccountHash(r.key)}>{r.key}</a>
                </td>
                <td>{r.mode}</td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td className="num">{formatUsd(r.equityUsd)}</td>
                <td className="num">{formatUsd(r.initialUsd)}</td>
                <td className="num">{formatUsd(r.maintenanceUsd)}</td>
                <td className={`num health-${r.status}`}>{formatHealth(r.health)}</td>
              </tr>
            ))}
            {visible.length === 0 && !loaded.loading && (
              <tr>
                <td colSpan={COLUMNS.length} className="empty">
                  {rows.size === 0 ? 'No sub-accounts.' : 'No sub-account matches the search.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
