/**
 * The files of a proven epoch (docs/formats.md#solvency-epoch) and their zod schemas. Every
 * number that is exact is a decimal string (bigint on the wire); risk-array values are integers
 * below 2^40 and so plain JSON numbers.
 *
 *   epoch.json            public: root and totals, risk arrays and their hash, severities, counts
 *   proofs.json           public: the compliance proof of every compliant slot (the aggregate)
 *   accounts/<key>.json   private to the owner: leaf opening, path, their compliance proof
 */
import { z } from 'zod';
import type { Groth16Proof } from 'snarkjs';
import { ValidationError } from '../../core/errors.js';
import type { EpochRecord, EpochStatement, SolvencyEpoch } from '../../core/solvency/build-epoch.js';
import type { InclusionProof } from '../../core/solvency/inclusion.js';
import type { LeafOpening } from '../../core/solvency/leaf.js';
import type { ScanArrays } from '../../core/solvency/scan-arrays.js';
import type { PublishedEpoch } from '../../core/solvency/public-signals.js';
import { RISK_CLASSES } from '../../core/solvency/risk-class.js';
import type { SumNode } from '../../core/solvency/sum-tree.js';
import { microToUsdString } from '../../core/solvency/fixed-point.js';

/** A shipped circuit size. */
export type CircuitSize = 'full' | 'small';

const uint = z.string().regex(/^[0-9]{1,78}$/, 'must be a non-negative integer as a decimal string');
const int = z.string().regex(/^-?[0-9]{1,78}$/, 'must be an integer as a decimal string');
/** A tree node on the wire. */
export const nodeSchema = z.strictObject({ hash: uint, equity: uint, mm: uint, count: uint });
const shapeSchema = z.strictObject({
  rows: z.int().min(1).max(75),
  scenarios: z.int().min(1).max(4096),
  depth: z.int().min(1).max(32),
  classes: z.int().min(1).max(16),
});
const proofSchema = z.strictObject({
  pi_a: z.array(uint).length(3),
  pi_b: z.array(z.array(uint).length(2)).length(3),
  pi_c: z.array(uint).length(3),
  protocol: z.literal('groth16'),
  curve: z.literal('bn128'),
});

/** A leaf opening on the wire (an owner's file, the store). */
export const openingSchema = z.strictObject({
  key: z.string().min(1).max(200),
  idSalt: uint,
  equity: uint,
  mm: uint,
  riskClass: z.int().min(0).max(15),
  quantities: z.array(int).max(75),
  positionSalt: uint,
});

/** Schema of epoch.json. */
export const EpochDocumentSchema = z.strictObject({
  format: z.literal('xmargin-solvency-epoch/1'),
  epochId: z.string().min(1).max(64),
  epochTag: uint,
  timeMs: z.int(),
  venue: z.string().max(200),
  circuit: z.strictObject({
    size: z.enum(['full', 'small']),
    shape: shapeSchema,
    vkeySha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  root: nodeSchema,
  totals: z.strictObject({ equityUsd: z.string(), maintenanceUsd: z.string() }),
  arrays: z.strictObject({
    hash: uint,
    scale: z.number().positive(),
    rows: z.array(z.string().max(200)),
    columns: z.array(z.strictObject({ id: z.string().max(200), underlying: z.string().max(50) })),
    values: z.array(z.array(z.int())),
  }),
  classes: z.array(z.string()),
  severities: z.array(z.int().min(0).max(1000)),
  severityChoice: z.enum(['auto', 'given']),
  accounts: z.int().min(0),
  compliant: z.int().min(0),
  notCompliant: z.strictObject({
    'negative-equity': z.int(),
    'below-maintenance': z.int(),
    'below-scan': z.int(),
  }),
  perClass: z.array(z.int().min(0)),
});
/** epoch.json. */
export type EpochDocument = z.infer<typeof EpochDocumentSchema>;

/** Schema of proofs.json. */
export const ProofsDocumentSchema = z.strictObject({
  format: z.literal('xmargin-solvency-proofs/1'),
  epochId: z.string().min(1).max(64),
  proofs: z.array(z.strictObject({ index: z.int().min(0), proof: proofSchema })),
});
/** proofs.json. */
export type ProofsDocument = z.infer<typeof ProofsDocumentSchema>;

/** Schema of an owner's accounts/<key>.json. */
export const AccountProofDocumentSchema = z.strictObject({
  format: z.literal('xmargin-solvency-account/1'),
  epochId: z.string().min(1).max(64),
  index: z.int().min(0),
  opening: openingSchema,
  path: z.array(nodeSchema).max(32),
  status: z.enum(['compliant', 'negative-equity', 'below-maintenance', 'below-scan']),
  compliance: proofSchema.nullable(),
});
/** accounts/<key>.json. */
export type AccountProofDocument = z.infer<typeof AccountProofDocumentSchema>;

/**
 * Parses a document with its schema.
 * @throws ValidationError ERR_VALIDATION listing every bad field
 */
export function parseDocument<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new ValidationError(
      what,
      r.error.issues.map((i) => ({
        path: i.path.filter((p) => typeof p !== 'symbol'),
        code: i.code,
        message: i.message,
      })),
    );
  return r.data;
}

/** A node in its JSON form. */
export const nodeToJson = (n: SumNode): z.infer<typeof nodeSchema> => ({
  hash: n.hash.toString(),
  equity: n.equity.toString(),
  mm: n.mm.toString(),
  count: n.count.toString(),
});
/** A node from its JSON form. */
export const nodeFromJson = (n: z.infer<typeof nodeSchema>): SumNode => ({
  hash: BigInt(n.hash),
  equity: BigInt(n.equity),
  mm: BigInt(n.mm),
  count: BigInt(n.count),
});

/** epoch.json of a built epoch. */
export function toEpochDocument(
  epoch: SolvencyEpoch,
  venue: string,
  circuit: { readonly size: CircuitSize; readonly vkeySha256: string },
): EpochDocument {
  const s: EpochStatement = epoch.statement;
  const scan = epoch.scan;
  const S = scan.columns.length;
  return {
    format: 'xmargin-solvency-epoch/1',
    epochId: s.epochId,
    epochTag: s.epochTag.toString(),
    timeMs: s.timeMs,
    venue,
    circuit: { size: circuit.size, shape: { ...s.shape }, vkeySha256: circuit.vkeySha256 },
    root: nodeToJson(s.root),
    totals: { equityUsd: microToUsdString(s.root.equity), maintenanceUsd: microToUsdString(s.root.mm) },
    arrays: {
      hash: s.arraysHash.toString(),
      scale: scan.scale,
      rows: [...scan.rows],
      columns: scan.columns.map((c) => ({ ...c })),
      values: scan.rows.map((_, r) => scan.values.slice(r * S, (r + 1) * S).map(Number)),
    },
    classes: [...RISK_CLASSES],
    severities: [...s.severities],
    severityChoice: s.severityChoice,
    accounts: s.accounts,
    compliant: s.compliant,
    notCompliant: { ...s.notCompliant },
    perClass: [...s.perClass],
  };
}

/** The published arrays of an epoch document. */
export function scanArraysOf(doc: EpochDocument): ScanArrays {
  return {
    rows: doc.arrays.rows,
    columns: doc.arrays.columns,
    values: doc.arrays.values.flatMap((row) => row.map((v) => BigInt(v))),
    scale: doc.arrays.scale,
  };
}

/** The published root of an epoch document. */
export function rootOf(doc: EpochDocument): SumNode {
  return nodeFromJson(doc.root);
}

/** A leaf opening in its JSON form. */
export function openingToJson(o: LeafOpening): z.infer<typeof openingSchema> {
  return {
    key: o.key,
    idSalt: o.idSalt.toString(),
    equity: o.equity.toString(),
    mm: o.mm.toString(),
    riskClass: o.riskClass,
    quantities: o.quantities.map(String),
    positionSalt: o.positionSalt.toString(),
  };
}

/** A leaf opening from its JSON form. */
export function openingFromJson(o: z.infer<typeof openingSchema>): LeafOpening {
  return {
    key: o.key,
    idSalt: BigInt(o.idSalt),
    equity: BigInt(o.equity),
    mm: BigInt(o.mm),
    riskClass: o.riskClass,
    quantities: o.quantities.map((q) => BigInt(q)),
    positionSalt: BigInt(o.positionSalt),
  };
}

/** An owner's file for one record. */
export function toAccountDocument(
  epochId: string,
  record: EpochRecord,
  proof: Groth16Proof | null,
): AccountProofDocument {
  return {
    format: 'xmargin-solvency-account/1',
    epochId,
    index: record.index,
    opening: openingToJson(record.opening),
    path: record.path.map(nodeToJson),
    status: record.reason ?? 'compliant',
    compliance: proof,
  };
}

/** The inclusion proof inside an owner's file. */
export function inclusionOf(doc: AccountProofDocument): InclusionProof {
  return {
    epochId: doc.epochId,
    index: doc.index,
    opening: openingFromJson(doc.opening),
    path: doc.path.map(nodeFromJson),
  };
}

/** The public epoch a verifier holds, from its document. */
export function publishedEpochOf(doc: EpochDocument): PublishedEpoch {
  return {
    epochId: doc.epochId,
    epochTag: BigInt(doc.epochTag),
    root: rootOf(doc),
    arraysHash: BigInt(doc.arrays.hash),
    scan: scanArraysOf(doc),
    severities: doc.severities,
    shape: doc.circuit.shape,
  };
}

/** The size named by an epoch document. */
export function circuitSizeOf(doc: EpochDocument): CircuitSize {
  return doc.circuit.size;
}
