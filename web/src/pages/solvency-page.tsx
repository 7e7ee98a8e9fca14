/**
 * @module solvency-page
 * The venue's solvency epochs (docs/methodology/solvency-proofs.md): the latest epoch's root,
 * totals, accounts proven compliant, the severity per risk class and the published risk arrays'
 * size and hash; "Verify my account" fetches the owner's proofs and checks them here, in the
 * browser (solvency-verify.ts), step by step. An admin key can also commit a new epoch.
 */
import { useState } from 'react';
import type { ApiError } from '../api.js';
import { useServices } from '../app-context.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatNumber, formatTime } from '../format.js';
import { useLoad } from '../use-load.js';
import type { VerifyStep } from '../solvency-verify.js';

interface EpochSummary {
  epochId: string;
  timeMs: number;
  rootHash: string;
  accounts: number;
  compliant: number;
  proven: number;
}

interface EpochDoc {
  epochId: string;
  timeMs: number;
  venue: string;
  root: { hash: string; count: string };
  totals: { equityUsd: string; maintenanceUsd: string };
  arrays: { hash: string; scale: number; rows: string[]; columns: { id: string }[] };
  classes: string[];
  severities: number[];
  perClass: number[];
  accounts: number;
  compliant: number;
  notCompliant: Record<string, number>;
  circuit: {
    size: 'full' | 'small';
    vkeySha256: string;
    shape: { rows: number; scenarios: number; depth: number };
  };
}

function EpochView({ doc, proven }: { doc: EpochDoc; proven: number }) {
  return (
    <article className="panel wide" data-testid="epoch-view">
      <h2>Epoch {doc.epochId}</h2>
      <dl className="kpis">
        <div>
          <dt>Time (UTC)</dt>
          <dd className="num">{formatTime(doc.timeMs)}</dd>
        </div>
        <div>
          <dt>Accounts</dt>
          <dd className="num" data-testid="epoch-accounts">
            {formatNumber(doc.accounts, 0)}
          </dd>
        </div>
        <div>
          <dt>Compliant (proofs made)</dt>
          <dd className="num" data-testid="epoch-compliant">
            {formatNumber(doc.compliant, 0)} ({formatNumber(proven, 0)})
          </dd>
        </div>
        <div>
          <dt>Total equity (USD)</dt>
          <dd className="num">{doc.totals.equityUsd}</dd>
        </div>
        <div>
          <dt>Total maintenance (USD)</dt>
          <dd className="num">{doc.totals.maintenanceUsd}</dd>
        </div>
      </dl>
      <p className="note">
        Root <code data-testid="epoch-root">{doc.root.hash}</code>
      </p>
      <p className="note">
        Risk arrays: {doc.arrays.rows.length} rows × {doc.arrays.columns.length} scenarios (scale{' '}
        {doc.arrays.scale}), hash <code>{doc.arrays.hash.slice(0, 20)}…</code>; circuit {doc.circuit.size} (
        {doc.circuit.shape.rows} × {doc.circuit.shape.scenarios}, depth {doc.circuit.shape.depth}),
        verification key sha256 <code>{doc.circuit.vkeySha256.slice(0, 16)}…</code>
      </p>
      <table className="grid" data-testid="severity-table">
        <thead>
          <tr>
            <th scope="col">Risk class</th>
            <th scope="col" className="num">
              Accounts
            </th>
            <th scope="col" className="num">
              Share of each scenario loss covered by MM
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.classes.map((c, i) => (
            <tr key={c}>
              <th scope="row">{c}</th>
              <td className="num">{formatNumber(doc.perClass[i] ?? 0, 0)}</td>
              <td className="num">{((doc.severities[i] ?? 0) / 10).toFixed(1)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">
        Not compliant:{' '}
        {Object.entries(doc.notCompliant)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}
        . Venue: {doc.venue}.
      </p>
    </article>
  );
}

function VerifyForm({ epochId, size }: { epochId: string; size: 'full' | 'small' }) {
  const { api } = useServices();
  const [accountId, setAccountId] = useState('');
  const [subAccountId, setSubAccountId] = useState('main');
  const [steps, setSteps] = useState<VerifyStep[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const verify = async () => {
    setBusy(true);
    setSteps(null);
    setError(null);
    try {
      const path = `/solvency/epochs/${encodeURIComponent(epochId)}`;
      const [epoch, account, vkey] = await Promise.all([
        api.request<unknown>('GET', path),
        api.request<unknown>(
          'GET',
          `${path}/accounts/${encodeURIComponent(accountId)}/${encodeURIComponent(subAccountId)}`,
        ),
        fetch(`/api/v1/solvency/circuits/${size}/vkey`, {
          headers: { Authorization: `Bearer ${api.key}` },
        }).then(async (r) => new Uint8Array(await r.arrayBuffer())),
      ]);
      const { verifyAccountInBrowser } = await import('../solvency-verify.js');
      setSteps(await verifyAccountInBrowser(epoch, account, vkey));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const allOk = steps !== null && steps.length === 4 && steps.every((s) => s.ok);
  return (
    <article className="panel wide">
      <h2>Verify my account</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void verify();
        }}
      >
        <label>
          Account{' '}
          <input
            value={accountId}
            onChange={(e) => setAccountId(e.target.value)}
            data-testid="verify-account"
            required
          />
        </label>{' '}
        <label>
          Sub-account{' '}
          <input
            value={subAccountId}
            onChange={(e) => setSubAccountId(e.target.value)}
            data-testid="verify-sub"
            required
          />
        </label>{' '}
        <button type="submit" disabled={busy || accountId === ''} data-testid="verify-button">
          {busy ? 'Verifying…' : 'Verify my account'}
        </button>
      </form>
      {error !== null && (
        <p className="error-banner" role="alert" data-testid="verify-error">
          {error}
        </p>
      )}
      {steps !== null && (
        <ol data-testid="verify-steps">
          {steps.map((s) => (
            <li key={s.name} data-testid={`verify-step-${s.name}`} data-ok={s.ok ? 'true' : 'false'}>
              {s.ok ? '✓' : '✗'} <strong>{s.name}</strong>: {s.detail}
            </li>
          ))}
        </ol>
      )}
      {steps !== null && (
        <p data-testid="verify-result" data-ok={allOk ? 'true' : 'false'}>
          {allOk
            ? 'Your account is in the published totals and proven to meet its margin.'
            : 'Verification failed.'}
        </p>
      )}
    </article>
  );
}

/** The solvency page. */
export function SolvencyPage() {
  const { api } = useServices();
  const list = useLoad(() => api.request<{ items: EpochSummary[] }>('GET', '/solvency/epochs'), [api]);
  const latest = list.data?.items.at(-1);
  const epoch = useLoad(
    () =>
      latest === undefined
        ? Promise.resolve(null)
        : api.request<EpochDoc>('GET', `/solvency/epochs/${encodeURIComponent(latest.epochId)}`),
    [api, latest?.epochId],
  );
  const [commitError, setCommitError] = useState<ApiError | null>(null);
  const commit = async () => {
    setCommitError(null);
    try {
      await api.request('POST', '/solvency/epochs', { epochId: `epoch-${Date.now()}` });
      list.reload();
    } catch (e) {
      setCommitError(e as ApiError);
    }
  };
  return (
    <section>
      <header className="page-head">
        <h1>Solvency</h1>
        <button type="button" onClick={() => void commit()} data-testid="commit-epoch">
          Commit an epoch now (admin)
        </button>
      </header>
      <ErrorBanner error={list.error ?? epoch.error ?? commitError} what="the solvency epochs" />
      {list.data !== null && list.data.items.length === 0 && (
        <p className="note">No epoch has been committed yet.</p>
      )}
      {epoch.data !== null && latest !== undefined && (
        <div className="panels">
          <EpochView doc={epoch.data} proven={latest.proven} />
          <VerifyForm epochId={epoch.data.epochId} size={epoch.data.circuit.size} />
        </div>
      )}
    </section>
  );
}
