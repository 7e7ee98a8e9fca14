/**
 * @module solvency/build-epoch
 *
 * Builds one solvency epoch from plain account values (docs/methodology/solvency-proofs.md):
 *
 * 1. every account becomes a leaf: equity (rounded down, negative equity committed as 0 and
 *    reported), its mode's MM raised to its class's scan floor (rounded up), its class, its
 *    quantities per published row (rounded half-even), salted;
 * 2. the leaves are ordered by their salted id hash (the index reveals nothing of the key) and
 *    committed in a Merkle sum tree of the circuit's depth;
 * 3. each class's severity is the one given, or with `auto` the strongest of SEVERITY_LADDER that
 *    every account of the class meets (accounts below their own MM do not lower it: they are
 *    reported as not compliant whatever the severity);
 * 4. an account is compliant when 0 ≤ MM ≤ equity and MM covers its class's share of every
 *    scenario loss (account-scan.ts); only compliant accounts get a compliance proof.
 *
 * Pure: salts and the hash are arguments; the same input gives the same epoch.
 */
import { InvalidInputError, RiskError } from '../errors.js';
import type { FieldHash } from './field.js';
import { equityToMicroUsd, quantityToMicro, requirementToMicroUsd, checkSeverity } from './fixed-point.js';
import { accountIdHash, epochTagOf, leafNode, type LeafOpening } from './leaf.js';
import { coversScan, scanFloorMicroUsd, scanLoss, scanPnl } from './account-scan.js';
import { RISK_CLASSES, riskClassIndex, riskClassOf, SEVERITY_LADDER, type RiskClass } from './risk-class.js';
import { checkScanArrays, hashScanArrays, type CircuitShape, type ScanArrays } from './scan-arrays.js';
import { buildSumTree, sumTreePath, type SumNode, type SumTree } from './sum-tree.js';

/** One sub-account as the venue sees it at the epoch. */
export interface EpochAccount {
  readonly key: string;
  /** its margin mode (a registry model name) */
  readonly mode: string;
  readonly equityUsd: number;
  /** MM under its own mode, USD */
  readonly maintenanceUsd: number;
  /** signed quantity per published row (instrument id or `collateral:<ASSET>`) */
  readonly holdings: readonly { readonly row: string; readonly quantity: number }[];
}

/** The salts of one account (secret to the venue and the owner). */
export interface AccountSalts {
  readonly idSalt: bigint;
  readonly positionSalt: bigint;
}

/** Severities per class (thousandths), or `auto`. */
export type SeverityChoice = 'auto' | Readonly<Partial<Record<RiskClass, number>>>;

/** Input of {@link buildEpoch}. */
export interface BuildEpochInput {
  readonly epochId: string;
  readonly timeMs: number;
  readonly shape: CircuitShape;
  readonly scan: ScanArrays;
  readonly severity: SeverityChoice;
  readonly accounts: readonly EpochAccount[];
  readonly salts: ReadonlyMap<string, AccountSalts>;
  readonly hash: FieldHash;
}

/** Why an account has no compliance proof. */
export type NonComplianceReason = 'negative-equity' | 'below-maintenance' | 'below-scan';

/** What the epoch publishes. */
export interface EpochStatement {
  readonly epochId: string;
  readonly epochTag: bigint;
  readonly timeMs: number;
  readonly shape: CircuitShape;
  /** root hash and totals (micro-USD, count) */
  readonly root: SumNode;
  readonly arraysHash: bigint;
  /** per class, in RISK_CLASSES order, thousandths */
  readonly severities: readonly number[];
  readonly severityChoice: 'auto' | 'given';
  readonly accounts: number;
  /** accounts with a compliance proof */
  readonly compliant: number;
  readonly notCompliant: Readonly<Record<NonComplianceReason, number>>;
  /** accounts per class, in RISK_CLASSES order */
  readonly perClass: readonly number[];
}

/** One account of the epoch: its opening, slot, path and status. */
export interface EpochRecord {
  readonly opening: LeafOpening;
  readonly index: number;
  readonly leaf: SumNode;
  readonly path: readonly SumNode[];
  /** the mode's own MM before the scan floor, micro-USD */
  readonly modeMm: bigint;
  readonly compliant: boolean;
  readonly reason?: NonComplianceReason;
}

/** A built epoch. */
export interface SolvencyEpoch {
  readonly statement: EpochStatement;
  readonly scan: ScanArrays;
  /** in slot order */
  readonly records: readonly EpochRecord[];
  readonly tree: SumTree;
}

interface Prepared {
  readonly account: EpochAccount;
  readonly cls: number;
  readonly equity: bigint;
  readonly negative: boolean;
  readonly modeMm: bigint;
  readonly q: bigint[];
  readonly pnl: bigint[];
  readonly loss: bigint;
}

/**
 * Builds the epoch (module header).
 * @throws InvalidInputError ERR_INVALID_INPUT on a repeated key, a missing salt or a bad epoch id;
 *         RiskError ERR_SOLVENCY_SHAPE when a holding's row is not published or the epoch does
 *         not fit the shape; ERR_SOLVENCY_RANGE on a value out of range
 */
export function buildEpoch(input: BuildEpochInput): SolvencyEpoch {
  const { shape, scan, hash } = input;
  if (!(input.epochId.length > 0 && /^[A-Za-z0-9._:-]{1,64}$/.test(input.epochId)))
    throw new InvalidInputError('epochId', input.epochId, 'must be 1-64 characters of [A-Za-z0-9._:-]');
  if (!(shape.classes >= RISK_CLASSES.length))
    throw new RiskError(
      'ERR_SOLVENCY_SHAPE',
      `classes must be >= ${RISK_CLASSES.length}; got ${shape.classes}`,
      {
        field: 'classes',
        value: shape.classes,
      },
    );
  checkScanArrays(scan, shape);
  const rowOf = new Map(scan.rows.map((k, i) => [k, i]));
  const keys = new Set<string>();
  const prepared: Prepared[] = input.accounts.map((a) => {
    if (keys.has(a.key)) throw new InvalidInputError('accounts', a.key, 'must not repeat a key');
    keys.add(a.key);
    const q = new Array<bigint>(scan.rows.length).fill(0n);
    for (const h of a.holdings) {
      const r = rowOf.get(h.row);
      if (r === undefined)
        throw new RiskError(
          'ERR_SOLVENCY_SHAPE',
          `${a.key}: row ${h.row} is not in the epoch's risk arrays`,
          {
            field: `${a.key}.holdings`,
            value: h.row,
          },
        );
      q[r] = q[r]! + quantityToMicro(h.quantity, `${a.key}.${h.row}`);
    }
    const raw = equityToMicroUsd(a.equityUsd, `${a.key}.equity`);
    const pnl = scanPnl(q, scan);
    return {
      account: a,
      cls: riskClassIndex(riskClassOf(a.mode)),
      equity: raw < 0n ? 0n : raw,
      negative: raw < 0n,
      modeMm: requirementToMicroUsd(a.maintenanceUsd, `${a.key}.maintenance`),
      q,
      pnl,
      loss: scanLoss(pnl),
    };
  });

  // 3. Severities.
  const severities = RISK_CLASSES.map((c, ci) => {
    if (input.severity !== 'auto') {
      const s = input.severity[c] ?? 0;
      checkSeverity(`severity.${c}`, s);
      return s;
    }
    const members = prepared.filter((p) => p.cls === ci && !p.negative && p.equity >= p.modeMm);
    return SEVERITY_LADDER.find((s) => members.every((p) => p.equity >= scanFloorMicroUsd(s, p.loss))) ?? 0;
  });

  // 1-2. Leaves, ordered by salted id hash.
  const epochTag = epochTagOf(input.epochId, hash);
  const leaves = prepared.map((p) => {
    const salts = input.salts.get(p.account.key);
    if (!salts) throw new InvalidInputError('salts', p.account.key, 'must hold every account');
    const sev = severities[p.cls]!;
    const floor = scanFloorMicroUsd(sev, p.loss);
    const mm = p.modeMm > floor ? p.modeMm : floor;
    const quantities = [...p.q, ...new Array<bigint>(shape.rows - p.q.length).fill(0n)];
    const opening: LeafOpening = {
      key: p.account.key,
      idSalt: salts.idSalt,
      equity: p.equity,
      mm,
      riskClass: p.cls,
      quantities,
      positionSalt: salts.positionSalt,
    };
    const reason: NonComplianceReason | undefined = p.negative
      ? 'negative-equity'
      : p.equity < p.modeMm
        ? 'below-maintenance'
        : p.equity < mm || !coversScan(mm, sev, p.pnl)
          ? 'below-scan'
          : undefined;
    return {
      opening,
      reason,
      modeMm: p.modeMm,
      idHash: accountIdHash(p.account.key, salts.idSalt, hash),
      node: leafNode(opening, epochTag, hash),
    };
  });
  leaves.sort((a, b) => (a.idHash < b.idHash ? -1 : a.idHash > b.idHash ? 1 : 0));
  const tree = buildSumTree(
    leaves.map((l) => l.node),
    shape.depth,
    hash,
  );
  const records: EpochRecord[] = leaves.map((l, index) => ({
    opening: l.opening,
    index,
    leaf: l.node,
    path: sumTreePath(tree, index),
    modeMm: l.modeMm,
    compliant: l.reason === undefined,
    ...(l.reason ? { reason: l.reason } : {}),
  }));
  const count = (r: NonComplianceReason) => records.filter((x) => x.reason === r).length;
  const statement: EpochStatement = {
    epochId: input.epochId,
    epochTag,
    timeMs: input.timeMs,
    shape,
    root: tree.root,
    arraysHash: hashScanArrays(scan, shape, hash),
    severities,
    severityChoice: input.severity === 'auto' ? 'auto' : 'given',
    accounts: records.length,
    compliant: records.filter((r) => r.compliant).length,
    notCompliant: {
      'negative-equity': count('negative-equity'),
      'below-maintenance': count('below-maintenance'),
      'below-scan': count('below-scan'),
    },
    perClass: RISK_CLASSES.map((_, ci) => records.filter((r) => r.opening.riskClass === ci).length),
  };
  return { statement, scan, records, tree };
}
