/**
 * A committed epoch to and from the store (src/adapters/store, migration 3): the published
 * epoch.json as text, and per account its slot, leaf node and record (leaf opening, status, the
 * mode's own MM). Nothing else is needed to answer as before a restart: the tree is rebuilt from
 * the stored leaf nodes (one Poseidon per node) and must give the published root; each path is
 * read from it, so an owner's inclusion proof is the same bytes; compliance proofs are stored as
 * they are made (a Groth16 proof is randomised, so it is kept, never made again).
 */
import { z } from 'zod';
import { XmarginError } from '../../core/errors.js';
import type {
  EpochRecord,
  EpochStatement,
  NonComplianceReason,
  SolvencyEpoch,
} from '../../core/solvency/build-epoch.js';
import type { FieldHash } from '../../core/solvency/field.js';
import { buildSumTree, sameSumNode, sumTreePath } from '../../core/solvency/sum-tree.js';
import type { StoredSolvencyAccount, StoredSolvencyEpoch } from '../store/store.js';
import {
  EpochDocumentSchema,
  nodeFromJson,
  nodeSchema,
  nodeToJson,
  openingFromJson,
  openingSchema,
  openingToJson,
  parseDocument,
  rootOf,
  scanArraysOf,
  type EpochDocument,
} from './epoch-documents.js';

const recordSchema = z.strictObject({
  opening: openingSchema,
  status: z.enum(['compliant', 'negative-equity', 'below-maintenance', 'below-scan']),
  modeMm: z.string().regex(/^[0-9]{1,78}$/),
});

/** What the store keeps of a committed epoch. */
export function toStoredEpoch(epoch: SolvencyEpoch, doc: EpochDocument): StoredSolvencyEpoch {
  return {
    epochId: doc.epochId,
    timeMs: doc.timeMs,
    document: JSON.stringify(doc),
    accounts: epoch.records.map((r) => ({
      slot: r.index,
      key: r.opening.key,
      leaf: JSON.stringify(nodeToJson(r.leaf)),
      record: JSON.stringify({
        opening: openingToJson(r.opening),
        status: r.reason ?? 'compliant',
        modeMm: r.modeMm.toString(),
      }),
    })),
  };
}

const integrity = (epochId: string, rule: string) =>
  new XmarginError('ERR_DATA_INTEGRITY', `stored solvency epoch ${epochId} ${rule}`, {
    epochId,
    rule,
  });

/** The published document of a stored epoch. */
export function storedEpochDocument(text: string): EpochDocument {
  return parseDocument(EpochDocumentSchema, JSON.parse(text), 'stored epoch.json');
}

/**
 * Rebuilds a committed epoch from what the store holds.
 * @throws XmarginError ERR_DATA_INTEGRITY when the accounts do not match the document (count,
 *         slots) or the rebuilt tree does not give the published root; ValidationError
 *         ERR_VALIDATION when a stored row is malformed
 */
export function restoreEpoch(
  doc: EpochDocument,
  accounts: readonly StoredSolvencyAccount[],
  hash: FieldHash,
): SolvencyEpoch {
  if (accounts.length !== doc.accounts)
    throw integrity(doc.epochId, `has ${accounts.length} accounts; its document says ${doc.accounts}`);
  const rows = accounts.map((a, i) => {
    if (a.slot !== i) throw integrity(doc.epochId, `has no account in slot ${i}`);
    const leaf = nodeFromJson(parseDocument(nodeSchema, JSON.parse(a.leaf), `stored leaf ${i}`));
    const rec = parseDocument(recordSchema, JSON.parse(a.record), `stored account ${i}`);
    return { leaf, rec };
  });
  const shape = doc.circuit.shape;
  const tree = buildSumTree(
    rows.map((r) => r.leaf),
    shape.depth,
    hash,
  );
  const root = rootOf(doc);
  if (!sameSumNode(tree.root, root)) throw integrity(doc.epochId, 'does not rebuild to its published root');
  const records: EpochRecord[] = rows.map(({ leaf, rec }, index) => ({
    opening: openingFromJson(rec.opening),
    index,
    leaf,
    path: sumTreePath(tree, index),
    modeMm: BigInt(rec.modeMm),
    compliant: rec.status === 'compliant',
    ...(rec.status === 'compliant' ? {} : { reason: rec.status as NonComplianceReason }),
  }));
  const statement: EpochStatement = {
    epochId: doc.epochId,
    epochTag: BigInt(doc.epochTag),
    timeMs: doc.timeMs,
    shape,
    root,
    arraysHash: BigInt(doc.arrays.hash),
    severities: doc.severities,
    severityChoice: doc.severityChoice,
    accounts: doc.accounts,
    compliant: doc.compliant,
    notCompliant: doc.notCompliant,
    perClass: doc.perClass,
  };
  return { statement, scan: scanArraysOf(doc), records, tree };
}
